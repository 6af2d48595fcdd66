export * from './client-errors.js';
export * from './kafka-error.js';
