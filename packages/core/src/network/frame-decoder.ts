import { ProtocolError } from '../errors/client-errors.js';

/**
 * Splits a TCP byte stream into Kafka frames (a 4-byte big-endian size, then that many bytes).
 *
 * Frames that arrive whole inside one chunk are handed out as `subarray` views of that chunk, with no copy. Only a
 * frame that spans chunks is assembled, into one buffer allocated at its exact size. A size above
 * `maxFrameBytes` or below zero is a {@link ProtocolError}: the stream cannot be trusted past that point.
 */
export class FrameDecoder {
  /** A frame being assembled across chunks, allocated at its declared size. */
  private partial: Buffer | undefined;
  /** Bytes of {@link partial} already filled. */
  private partialFilled = 0;
  /** Up to three bytes of a size prefix split across chunks. */
  private sizeBytes: Buffer = Buffer.alloc(4);
  private sizeFilled = 0;

  /**
   * @param maxFrameBytes Largest frame accepted (`receiveMessageMaxBytes`).
   * @param onFrame Called once per complete frame, in order. The buffer may be a view into a socket chunk: it stays
   *   valid (Node does not reuse socket chunks), and consumers may keep slices of it.
   */
  constructor(
    private readonly maxFrameBytes: number,
    private readonly onFrame: (frame: Buffer) => void,
  ) {}

  /** True when no partial frame is pending. */
  get idle(): boolean {
    return this.partial === undefined && this.sizeFilled === 0;
  }

  /** Feeds one chunk read from the socket. Throws {@link ProtocolError} on an invalid size. */
  push(chunk: Buffer): void {
    let offset = 0;
    const length = chunk.length;
    while (offset < length) {
      if (this.partial !== undefined) {
        const needed = this.partial.length - this.partialFilled;
        const available = length - offset;
        if (available < needed) {
          chunk.copy(this.partial, this.partialFilled, offset, length);
          this.partialFilled += available;
          return;
        }
        chunk.copy(this.partial, this.partialFilled, offset, offset + needed);
        offset += needed;
        const frame = this.partial;
        this.partial = undefined;
        this.partialFilled = 0;
        this.onFrame(frame);
        continue;
      }

      let size: number;
      if (this.sizeFilled === 0 && length - offset >= 4) {
        size = chunk.readInt32BE(offset);
        offset += 4;
      } else {
        while (this.sizeFilled < 4 && offset < length) {
          this.sizeBytes[this.sizeFilled++] = chunk[offset++]!;
        }
        if (this.sizeFilled < 4) return;
        size = this.sizeBytes.readInt32BE(0);
        this.sizeFilled = 0;
      }
      this.checkSize(size);

      if (length - offset >= size) {
        const frame = chunk.subarray(offset, offset + size);
        offset += size;
        this.onFrame(frame);
      } else {
        this.partial = Buffer.allocUnsafe(size);
        this.partialFilled = 0;
      }
    }
  }

  private checkSize(size: number): void {
    if (size < 0 || size > this.maxFrameBytes) {
      throw new ProtocolError(
        `Received a frame of ${size} bytes, outside 0..${this.maxFrameBytes} (receiveMessageMaxBytes); ` +
          'the peer is not speaking the Kafka protocol, or a response is larger than allowed: raise ' +
          'receiveMessageMaxBytes if the broker is right',
      );
    }
  }
}
