/**
 * A tagged field this codec does not know (KIP-482): kept as raw bytes so that decoding and encoding a message
 * again writes it back unchanged.
 */
export interface TaggedField {
  /** The field's tag. */
  readonly tag: number;
  /** The field's bytes, without the tag and size prefix. */
  readonly data: Buffer;
}
