/**
 * Vltava core: an Apache Kafka client written from the wire protocol up.
 *
 * @packageDocumentation
 */
export * from './errors/index.js';
export * from './producer/index.js';
