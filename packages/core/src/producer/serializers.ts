import { InvalidArgumentError } from '../errors/client-errors.js';

/**
 * What a serializer may return: bytes, a string (written as UTF-8 straight into the batch, with no intermediate
 * Buffer), or `null` for an absent key or value.
 */
export type Serialized = Uint8Array | string | null;

/**
 * Turns a key or value of type `T` into bytes (or a string to be written as UTF-8). Called once per record, on the
 * calling thread of `send`, before the record joins a batch. A serializer that throws fails that record's send
 * alone. Java: `Serializer<T>` (`key.serializer`, `value.serializer`).
 *
 * Serializers are called only for keys and values that are present: `null` and `undefined` stay absent without a
 * call.
 */
export type Serializer<T> = (data: T, topic: string) => Serialized;

/** Keys or values given as `string` (UTF-8) or bytes (`Buffer`/`Uint8Array`); the default serializer. */
export const stringOrBytesSerializer: Serializer<string | Uint8Array> = (data, topic) => {
  if (typeof data === 'string' || data instanceof Uint8Array) return data;
  throw new InvalidArgumentError(
    `Expected a string or a Buffer, got ${describe(data)}; configure keySerializer/valueSerializer for other types`,
    { topic },
  );
};

/** Strings, written as UTF-8. Java: `StringSerializer`. */
export const stringSerializer: Serializer<string> = (data, topic) => {
  if (typeof data === 'string') return data;
  throw new InvalidArgumentError(`stringSerializer expected a string, got ${describe(data)}`, { topic });
};

/** Bytes, passed through unchanged (not copied). Java: `ByteArraySerializer`. */
export const bufferSerializer: Serializer<Uint8Array> = (data, topic) => {
  if (data instanceof Uint8Array) return data;
  throw new InvalidArgumentError(`bufferSerializer expected a Buffer or Uint8Array, got ${describe(data)}`, {
    topic,
  });
};

/**
 * Any JSON-serializable value, written as the UTF-8 of `JSON.stringify` (bigints are rejected by JSON, as usual).
 * Typed: `jsonSerializer<OrderEvent>()` makes the producer accept only `OrderEvent` values.
 */
export function jsonSerializer<T>(): Serializer<T> {
  return (data, topic) => {
    let text: string | undefined;
    try {
      text = JSON.stringify(data);
    } catch (error) {
      throw new InvalidArgumentError(`Value is not JSON-serializable: ${(error as Error).message}`, {
        topic,
        cause: error,
      });
    }
    if (text === undefined) {
      throw new InvalidArgumentError(`Value ${describe(data)} has no JSON form`, { topic });
    }
    return text;
  };
}

/** Byte length of a serialized key or value: -1 when absent (as Java reports serialized sizes). */
export function serializedSize(data: Serialized): number {
  if (data === null) return -1;
  return typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.length;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? `an object (${value.constructor?.name ?? 'Object'})` : `a ${typeof value}`;
}
