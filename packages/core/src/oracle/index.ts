export * from './aggregate.js'
export * from './ema.js'
