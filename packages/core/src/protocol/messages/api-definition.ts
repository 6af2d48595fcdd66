import type { Reader } from '../primitives/reader.js';
import type { Writer } from '../primitives/writer.js';

/**
 * One Kafka API as the generated codecs describe it: its key, the versions this client understands, the header
 * versions each version uses, and the codecs a client needs: the request body's encoder and the response body's
 * decoder. (The other two directions, which only a broker needs, are generated apart for tests:
 * `ServerApiDefinition`.)
 *
 * The type parameters carry the request and response types, so that `send(Metadata, version, request)` checks the
 * request and infers the response. Generated constants (`Produce`, `Metadata`, ...) implement it.
 */
export interface ApiDefinition<Req = unknown, Res = unknown> {
  /** Kafka's name for the API, without `Request` (`Metadata`). */
  readonly name: string;
  /** The API key (`ApiKeys.Metadata === 3`). */
  readonly apiKey: number;
  /** Lowest version the codecs handle. */
  readonly minVersion: number;
  /** Highest version the codecs handle. */
  readonly maxVersion: number;
  /**
   * Highest version Kafka declares stable: `maxVersion`, or one less when Kafka marks its latest version unstable
   * (`latestVersionUnstable`; brokers only enable it for testing). Version negotiation should not go above it.
   */
  readonly maxStableVersion: number;
  /** First flexible version (compact encodings and tagged fields, KIP-482), or `null` when none is. */
  readonly flexibleMinVersion: number | null;
  /** Request header version for an API version: 2 for flexible versions, else 1. */
  requestHeaderVersion(version: number): number;
  /** Response header version for an API version: 1 for flexible versions, else 0 (ApiVersions: always 0). */
  responseHeaderVersion(version: number): number;
  /** Writes a request body (no header) in `version`. */
  encodeRequest(writer: Writer, version: number, request: Req): void;
  /** Reads a response body (no header) of `version`. */
  decodeResponse(reader: Reader, version: number): Res;
}

/** The request type of an {@link ApiDefinition}. */
export type RequestOf<A> = A extends ApiDefinition<infer Req, unknown> ? Req : never;

/** The response type of an {@link ApiDefinition}. */
export type ResponseOf<A> = A extends ApiDefinition<unknown, infer Res> ? Res : never;

/** The codec of one generated message (a request, a response, a header or a data message). */
export interface MessageCodec<T = unknown> {
  /** Kafka's message name (`MetadataRequest`). */
  readonly name: string;
  /** Lowest version the codec handles. */
  readonly minVersion: number;
  /** Highest version the codec handles. */
  readonly maxVersion: number;
  /** Writes the message in `version`. */
  encode(writer: Writer, version: number, message: T): void;
  /** Reads the message of `version`. */
  decode(reader: Reader, version: number): T;
}
