/**
 * Vltava for Node streams and Web Streams: consumers as `Readable`, producers as `Writable`.
 *
 * @packageDocumentation
 */
export {};
