export * from './broker-error.js';
export * from './broker-error-factory.js';
export * from './broker-errors.generated.js';
export * from './client-errors.js';
export * from './error-classification.js';
export * from './error-codes.generated.js';
export * from './kafka-error.js';
