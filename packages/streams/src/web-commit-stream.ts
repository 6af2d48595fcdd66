import type { ConsumerLike } from '@vltava/core';
import { checkOptions } from '@vltava/core/internal';
import { type CommitStreamOptions, Committer, DEFAULT_COMMIT_HIGH_WATER_MARK } from './committer.js';
import { COMMIT_STREAM_OPTIONS_SCHEMA } from './option-schemas.js';

/** What `abort()` passes on when the stream is aborted without a reason. */
const ABORTED = 'the commit stream was aborted';

/**
 * The Web Streams committer: a `WritableStream` with the behaviour of {@link createCommitStream}. Each chunk's
 * source record is marked processed as it is written; `close()` commits and (when the read stream of the same
 * consumer is done and owns it) closes the consumer; `abort()` commits what arrived and closes the consumer.
 */
export function createWebCommitStream<T = unknown>(
  consumer: ConsumerLike<unknown, unknown>,
  options: CommitStreamOptions<T> = {},
): WritableStream<T> {
  checkOptions(options, COMMIT_STREAM_OPTIONS_SCHEMA, 'createWebCommitStream()', 'call');
  const committer = new Committer<T>(consumer, options);
  return new WritableStream<T>(
    {
      async write(chunk) {
        try {
          committer.add(chunk);
        } catch (error) {
          // A rejected write errors the stream without calling abort(): end the committer here.
          await committer.abort(error);
          throw error;
        }
      },
      async close() {
        const failure = await committer.finish();
        if (failure !== undefined) throw failure;
      },
      async abort(reason: unknown) {
        await committer.abort(reason ?? ABORTED);
      },
    },
    new CountQueuingStrategy({ highWaterMark: options.highWaterMark ?? DEFAULT_COMMIT_HIGH_WATER_MARK }),
  );
}
