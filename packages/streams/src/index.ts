/**
 * Vltava for Node streams and Web Streams: a consumer as a `Readable` whose high-water mark pauses partitions at
 * the fetch level, a committer that commits only what reached it, and a producer as a `Writable` (or a `Duplex`
 * emitting each record's result) whose callbacks complete when the broker acknowledges.
 *
 * @packageDocumentation
 */

export { CommitWritable, createCommitStream } from './commit-stream.js';
export { type CommitStreamOptions, DEFAULT_COMMIT_HIGH_WATER_MARK } from './committer.js';
export {
  ConsumerReadable,
  createReadStream,
  DEFAULT_READ_HIGH_WATER_MARK,
  type ReadStreamOptions,
} from './read-stream.js';
export type { RecordSourceOptions } from './record-source.js';
export {
  defaultSourceOf,
  isSourceCoordinates,
  type SourceCoordinates,
  type SourceOf,
} from './source-coordinates.js';
export type { StreamConsumer } from './stream-consumer.js';
export { createWebCommitStream } from './web-commit-stream.js';
export { createWebReadStream } from './web-read-stream.js';
