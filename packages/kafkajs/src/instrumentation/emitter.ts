import { EventEmitter } from 'node:events';
import { KafkaJSNonRetriableError } from '../errors/errors.js';
import type { Logger } from '../logger/logger.js';
import { NetworkEvents } from './network-events.js';

/** An instrumentation event as listeners receive it. */
export interface InstrumentationEvent<T> {
  /** Increasing number, per process. */
  id: string;
  /** The event name, e.g. `consumer.commit_offsets`. */
  type: string;
  /** `Date.now()` when it was emitted. */
  timestamp: number;
  payload: T;
}

/** Removes the listener `on()` added. The parameter is the event name, kept from KafkaJS's type. */
// biome-ignore lint/correctness/noUnusedVariables: KafkaJS's generic type, kept for compatibility.
export type RemoveInstrumentationEventListener<T> = () => void;

let nextId = 0;

/**
 * The events of one client (`producer.events`, `consumer.events`, `admin.events`): `on(name, listener)` validates
 * the name against the client's event names and returns a function that removes the listener. Listeners run
 * synchronously when the event happens; one that throws or rejects is logged and does not disturb the client.
 */
export class InstrumentationEmitter<Names extends Record<string, string>> {
  private readonly emitter = new EventEmitter();
  private readonly known: ReadonlySet<string>;
  /** The network events (request, request timeout), fed by core's request channel while someone listens. */
  private readonly network: NetworkEvents | undefined;

  constructor(
    private readonly events: Names,
    private readonly clientName: string,
    private readonly logger: Logger,
  ) {
    this.known = new Set(Object.values(events));
    this.emitter.setMaxListeners(0);
    const { REQUEST, REQUEST_TIMEOUT } = events as Record<string, string | undefined>;
    this.network =
      REQUEST === undefined || REQUEST_TIMEOUT === undefined
        ? undefined
        : new NetworkEvents({ REQUEST, REQUEST_TIMEOUT }, (name, payload) => this.emit(name, payload));
  }

  /**
   * Counts a core client this facade client made (its `instance`) as its own: its requests become this client's
   * network events.
   */
  own(instance: string): void {
    this.network?.own(instance);
  }

  /** Adds a listener; throws `KafkaJSNonRetriableError` for a name that is not one of the client's events. */
  on(eventName: string, listener: (event: InstrumentationEvent<unknown>) => unknown): () => void {
    if (!this.known.has(eventName)) {
      const names = Object.keys(this.events)
        .map((key) => `${this.clientName}.events.${key}`)
        .join(', ');
      throw new KafkaJSNonRetriableError(`Event name should be one of ${names}`);
    }
    const wrapped = (event: InstrumentationEvent<unknown>) => {
      try {
        Promise.resolve(listener(event)).catch((error: unknown) => this.listenerFailed(eventName, error));
      } catch (error) {
        this.listenerFailed(eventName, error);
      }
    };
    this.emitter.on(eventName, wrapped);
    this.networkListeners();
    return () => {
      this.emitter.off(eventName, wrapped);
      this.networkListeners();
    };
  }

  /** True when someone listens to `eventName` (payloads are built only then). */
  has(eventName: string): boolean {
    return this.emitter.listenerCount(eventName) > 0;
  }

  /** Emits an event to its listeners, if any. */
  emit(eventName: string, payload: unknown = null): void {
    if (!this.has(eventName)) return;
    const event: InstrumentationEvent<unknown> = {
      id: String(nextId++),
      type: eventName,
      timestamp: Date.now(),
      payload,
    };
    this.emitter.emit(eventName, event);
  }

  /** Subscribes the network events to core's request channel while one of them has a listener. */
  private networkListeners(): void {
    const network = this.network;
    if (network === undefined) return;
    const names = this.emitter.eventNames().filter((name): name is string => typeof name === 'string');
    network.update(names.some((name) => network.handles(name) && this.has(name)));
  }

  private listenerFailed(eventName: string, error: unknown): void {
    this.logger.error(`Failed to execute listener: ${(error as Error)?.message ?? String(error)}`, {
      eventName,
      stack: (error as Error)?.stack,
    });
  }
}
