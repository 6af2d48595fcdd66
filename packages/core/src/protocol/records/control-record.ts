import type { ControlRecordType } from './record.js';

const TYPES: readonly ControlRecordType[] = [
  'ABORT',
  'COMMIT',
  'LEADER_CHANGE',
  'SNAPSHOT_HEADER',
  'SNAPSHOT_FOOTER',
  'KRAFT_VERSION',
  'KRAFT_VOTERS',
];

/** Control record type ids as Kafka writes them in the key: ABORT=0, COMMIT=1. */
export const CONTROL_TYPE_IDS: Readonly<Record<Exclude<ControlRecordType, 'UNKNOWN'>, number>> = {
  ABORT: 0,
  COMMIT: 1,
  LEADER_CHANGE: 2,
  SNAPSHOT_HEADER: 3,
  SNAPSHOT_FOOTER: 4,
  KRAFT_VERSION: 5,
  KRAFT_VOTERS: 6,
};

/**
 * Parses the key of a control record: int16 version (>= 0; versions above 0 are read as 0, as Java does) and
 * int16 type. Returns a description of the fault instead of the type when the key is malformed.
 */
export function parseControlRecordKey(key: Buffer | null): ControlRecordType | { readonly fault: string } {
  if (key === null || key.length < 4) return { fault: `control record key has ${key?.length ?? 'no'} bytes, needs 4` };
  const version = key.readInt16BE(0);
  if (version < 0) return { fault: `control record key has negative version ${version}` };
  const type = key.readInt16BE(2);
  return TYPES[type] ?? 'UNKNOWN';
}

/** The 4-byte key of a control record of `type` (version 0), as the broker writes transaction markers. */
export function controlRecordKey(type: Exclude<ControlRecordType, 'UNKNOWN'>): Buffer {
  const key = Buffer.allocUnsafe(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(CONTROL_TYPE_IDS[type], 2);
  return key;
}
