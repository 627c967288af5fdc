export * from './circuit-breaker.js'
export * from './pause.js'
