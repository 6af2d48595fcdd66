import type { PipelineOptions } from 'node:stream';
import { pipeline as nodePipeline } from 'node:stream/promises';

/**
 * A stream that takes chunks of type `I`: a `Writable`, `Duplex` or `Transform`, typed by its `_write` (Node's
 * `write` takes any chunk; the write and send streams and the committer of this package type `_write` by their
 * chunks).
 */
export interface ChunkWriter<I> {
  /** Whether the stream takes writes. */
  readonly writable: boolean;
  /** Writes one chunk (the hook Node's `Writable` calls). */
  _write(chunk: I, encoding: BufferEncoding, callback: (error?: Error | null) => void): void;
}

/** A first stage of chunks of type `T`: a read stream (typed by its async iterator), or any iterable. */
export type PipelineSource<T> = AsyncIterable<T> | Iterable<T>;

/** A stream that gives chunks of type `O`, typed by its `push` (as the send streams type theirs). */
export interface ChunkReader<O> {
  /** Whether the stream can be read. */
  readonly readable: boolean;
  /** Gives one chunk to the reader (`null` ends the stream). */
  push(chunk: O | null, encoding?: BufferEncoding): boolean;
}

/**
 * A middle stage from chunks `I` to chunks `O`: a `Duplex`/`Transform` (a send stream: `I` in, `SendSuccess<I>` out),
 * or a function of the chunks before it (an async generator).
 */
export type PipelineStep<I, O> =
  | (ChunkWriter<I> & ChunkReader<O>)
  | ((source: AsyncIterable<I>, options: { signal: AbortSignal }) => AsyncIterable<O>);

/** A last stage taking chunks `I`: a `Writable` (a committer, a write stream), or an async function of them. */
export type PipelineSink<I> =
  | ChunkWriter<I>
  | ((source: AsyncIterable<I>, options: { signal: AbortSignal }) => Promise<unknown>);

/**
 * `stream.pipeline` of `node:stream/promises`, the same function, typed so that the type of the chunks flows from
 * each stage to the next: the records of `createReadStream(consumer)` keep the key and value types of the consumer's
 * deserializers into the mapper of `createSendStream`, whose results (`SendSuccess<ConsumerRecord<K, V>>`) reach
 * `createCommitStream`. With Node's own typings every stage after the first sees `any` or `unknown`.
 *
 * ```ts
 * await pipeline(
 *   createReadStream(consumer), // Consumer<string, Order>: ConsumerRecord<string, Order>
 *   createSendStream(producer, (record) => ({ topic: 'invoices', key: record.key, value: invoice(record.value) })),
 *   createCommitStream(consumer),
 *   { signal },
 * );
 * ```
 *
 * Types flow through stream stages and through named or annotated functions; an async generator written inline
 * as a middle stage is typed by its annotations (TypeScript does not infer its output before the stages after it).
 */
export function pipeline<A>(source: PipelineSource<A>, sink: PipelineSink<A>, options?: PipelineOptions): Promise<void>;
export function pipeline<A, B>(
  source: PipelineSource<A>,
  step1: PipelineStep<A, B>,
  sink: PipelineSink<B>,
  options?: PipelineOptions,
): Promise<void>;
export function pipeline<A, B, C>(
  source: PipelineSource<A>,
  step1: PipelineStep<A, B>,
  step2: PipelineStep<B, C>,
  sink: PipelineSink<C>,
  options?: PipelineOptions,
): Promise<void>;
export function pipeline<A, B, C, D>(
  source: PipelineSource<A>,
  step1: PipelineStep<A, B>,
  step2: PipelineStep<B, C>,
  step3: PipelineStep<C, D>,
  sink: PipelineSink<D>,
  options?: PipelineOptions,
): Promise<void>;
export function pipeline<A, B, C, D, E>(
  source: PipelineSource<A>,
  step1: PipelineStep<A, B>,
  step2: PipelineStep<B, C>,
  step3: PipelineStep<C, D>,
  step4: PipelineStep<D, E>,
  sink: PipelineSink<E>,
  options?: PipelineOptions,
): Promise<void>;
export function pipeline(...stages: unknown[]): Promise<void> {
  return (nodePipeline as (...args: unknown[]) => Promise<void>)(...stages);
}
