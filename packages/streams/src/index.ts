/**
 * Vltava for Node streams and Web Streams: a consumer as a `Readable` whose high-water mark pauses partitions at
 * the fetch level, a committer that commits only what reached it, and a producer as a `Writable` (or a `Duplex`
 * emitting each chunk's result) whose callbacks complete when the broker acknowledges.
 *
 * Built on the contracts `@vltava/core` exports (`ConsumerLike`, `ProducerLike`, `ShareConsumerLike`), and
 * emitting its vocabulary (`SendResult`, `ShareMessage`), which `@vltava/rx` shares.
 *
 * @packageDocumentation
 */

export { CommitWritable, createCommitStream } from './commit-stream.js';
export { type CommitStreamOptions, DEFAULT_COMMIT_HIGH_WATER_MARK } from './committer.js';
export {
  type ChunkReader,
  type ChunkWriter,
  type PipelineSink,
  type PipelineSource,
  type PipelineStep,
  pipeline,
} from './pipeline.js';
export {
  ConsumerReadable,
  createReadStream,
  DEFAULT_READ_HIGH_WATER_MARK,
  type ReadableIterator,
  type ReadStreamOptions,
} from './read-stream.js';
export type { RecordSourceOptions } from './record-source.js';
export { createSendStream, ProducerDuplex, type SendStreamOptions } from './send-stream.js';
export type { WriteCallback } from './send-window.js';
export { createShareReadStream, ShareReadable, type ShareReadStreamOptions } from './share-read-stream.js';
export {
  defaultSourceOf,
  isSourceCoordinates,
  type SourceCoordinates,
  type SourceOf,
} from './source-coordinates.js';
export { metrics } from './streams-metrics.js';
export { createWebCommitStream } from './web-commit-stream.js';
export { createWebReadStream } from './web-read-stream.js';
export { createWebSendStream } from './web-send-stream.js';
export { createWebWriteStream } from './web-write-stream.js';
export {
  createWriteStream,
  DEFAULT_WRITE_HIGH_WATER_MARK,
  ProducerWritable,
  type WriteStreamOptions,
} from './write-stream.js';
