import type { Reader } from '../primitives/reader.js';
import type { Writer } from '../primitives/writer.js';
import type { ApiDefinition } from './api-definition.js';

/**
 * One Kafka API with the codecs of both sides: the client's (request encoder, response decoder) and a broker's
 * (request decoder, response encoder). Generated for tests (`generated/server/<api>.ts`, `<Api>Server`, and the
 * registry in `generated/index.ts`): a fake broker, codec round trips. The published package holds only the
 * client's side ({@link ApiDefinition}).
 */
export interface ServerApiDefinition<Req = unknown, Res = unknown> extends ApiDefinition<Req, Res> {
  /** Reads a request body (no header) of `version`. */
  decodeRequest(reader: Reader, version: number): Req;
  /** Writes a response body (no header) in `version`. */
  encodeResponse(writer: Writer, version: number, response: Res): void;
}
