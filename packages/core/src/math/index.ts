export * from './constants.js'
export * from './fixed-point.js'
