import { type Channel, channel, type TracingChannel, tracingChannel } from 'node:diagnostics_channel';

/**
 * A `node:diagnostics_channel` tracing channel with a typed payload: `tracing:<name>:start`, `:end`,
 * `:asyncStart`, `:asyncEnd` and `:error`, as Node's `TracingChannel` names them.
 *
 * Publishers check {@link hasSubscribers} before building a payload, so a channel nobody listens to costs one
 * property read:
 *
 * ```ts
 * if (!channel.hasSubscribers) return operation();
 * return channel.tracePromise(operation, { ...payload });
 * ```
 *
 * Subscribers use Node's API with the channel's name (`diagnostics_channel.tracingChannel('vltava:request')`), or
 * {@link subscribe} here.
 */
export class TracedChannel<P extends object> {
  /** The tracing channel's name (`vltava:request`): its channels are `tracing:vltava:request:start`, .... */
  readonly name: string;
  /** What the channel traces, for the documentation table. */
  readonly summary: string;
  /** Node's tracing channel. */
  readonly channel: TracingChannel<unknown, P>;

  /** A channel named `name`; `summary` says what it reports (docs/DIAGNOSTICS.md). */
  constructor(name: string, summary: string) {
    this.name = name;
    this.summary = summary;
    this.channel = tracingChannel<unknown, P>(name);
  }

  /** True when any of the five channels has a subscriber (Node's `TracingChannel.hasSubscribers`). */
  get hasSubscribers(): boolean {
    return this.channel.hasSubscribers;
  }

  /**
   * Runs `fn` traced: `start` (with Node's `runStores`, so stores bound with `bindStore` are active in `fn`),
   * `end` after its synchronous part, then `asyncStart`/`asyncEnd` when its promise settles (`error` first if it
   * rejects). Resolves or rejects like `fn`. Call it only after checking {@link hasSubscribers}.
   */
  tracePromise<T>(fn: () => Promise<T>, payload: P): Promise<T> {
    return this.channel.tracePromise(fn, payload);
  }

  /** Runs `fn` traced (`start`, `end`, and `error` if it throws), in `start.runStores`. */
  traceSync<T>(fn: () => T, payload: P): T {
    return this.channel.traceSync(fn, payload);
  }

  /**
   * Opens a trace whose end comes later, from another call stack (a record's processing, a batch's delivery):
   * publishes `start` and `end`. Settle it with {@link settle}.
   */
  begin(payload: P): void {
    this.channel.start.publish(payload);
    this.channel.end.publish(payload);
  }

  /**
   * Closes a trace opened with {@link begin}: sets `error` (and publishes `error`) when there is one, else `result`,
   * then publishes `asyncStart` and `asyncEnd`.
   */
  settle(payload: P & { result?: unknown; error?: unknown }, error: unknown, result?: unknown): void {
    if (error !== undefined) {
      payload.error = error;
      this.channel.error.publish(payload);
    } else if (result !== undefined) {
      payload.result = result;
    }
    this.channel.asyncStart.publish(payload);
    this.channel.asyncEnd.publish(payload);
  }

  /** Subscribes handlers to some of the five channels; returns a function that unsubscribes them. */
  subscribe(handlers: TracedChannelHandlers<P>): () => void {
    const subscribed = { ...handlers };
    this.channel.subscribe(subscribed as Parameters<TracingChannel<unknown, P>['subscribe']>[0]);
    return () => {
      this.channel.unsubscribe(subscribed as Parameters<TracingChannel<unknown, P>['unsubscribe']>[0]);
    };
  }
}

/** Handlers for some of the five channels of a {@link TracedChannel}. */
export interface TracedChannelHandlers<P> {
  /** The operation starts (synchronously, in the caller's async context). */
  start?: (payload: P) => void;
  /** Its synchronous part returned. */
  end?: (payload: P) => void;
  /** It completed (`result` or `error` set); continuation about to run. */
  asyncStart?: (payload: P) => void;
  /** Its continuation ran. */
  asyncEnd?: (payload: P) => void;
  /** It failed (`error` set). */
  error?: (payload: P) => void;
}

/** A plain `node:diagnostics_channel` channel with a typed message: for events that have no duration. */
export class EventChannel<P extends object> {
  /** The channel's name (`vltava:connection:throttle`). */
  readonly name: string;
  /** What the channel reports, for the documentation table. */
  readonly summary: string;
  /** Node's channel. */
  readonly channel: Channel<unknown, P>;

  /** A channel named `name`; `summary` says what it reports (docs/DIAGNOSTICS.md). */
  constructor(name: string, summary: string) {
    this.name = name;
    this.summary = summary;
    this.channel = channel(name) as Channel<unknown, P>;
  }

  /** True when the channel has a subscriber: check it before building a message. */
  get hasSubscribers(): boolean {
    return this.channel.hasSubscribers;
  }

  /** Publishes a message. */
  publish(payload: P): void {
    this.channel.publish(payload);
  }

  /** Subscribes; returns a function that unsubscribes. */
  subscribe(handler: (payload: P) => void): () => void {
    const listener = (message: unknown) => handler(message as P);
    this.channel.subscribe(listener);
    return () => {
      this.channel.unsubscribe(listener);
    };
  }
}
