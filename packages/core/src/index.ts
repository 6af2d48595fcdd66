/**
 * Vltava core: an Apache Kafka client written from the wire protocol up.
 *
 * @packageDocumentation
 */

export * from './consumer/index.js';
export * from './errors/index.js';
