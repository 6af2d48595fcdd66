/**
 * KafkaJS's `AssignerProtocol`: encoders and decoders of the consumer protocol's member metadata (the subscription
 * a member sends in JoinGroup) and member assignment (what the leader sends each member in SyncGroup), in the
 * layout of Kafka's `ConsumerProtocolSubscription` and `ConsumerProtocolAssignment` version 0: a version, the
 * topics (or topics with partitions), the user data. Decoding reads any later version too (its extra fields follow
 * and are left unread), so custom assigners see the subscriptions of Java and librdkafka members.
 *
 * @module
 */

/** Encodes and decodes one kind of value. */
export interface ISerializer<T> {
  encode(value: T): Buffer;
  decode(buffer: Buffer): T | null;
}

/** A member's subscription: the topics and the assigner's user data. */
export type MemberMetadata = { version: number; topics: string[]; userData: Buffer };

/** A member's assignment: partitions by topic and the assigner's user data. */
export type MemberAssignment = { version: number; assignment: Assignment; userData: Buffer };

/** Partitions by topic. */
export type Assignment = { [topic: string]: number[] };

class Writer {
  private readonly parts: Buffer[] = [];

  int16(value: number): this {
    const b = Buffer.allocUnsafe(2);
    b.writeInt16BE(value, 0);
    this.parts.push(b);
    return this;
  }

  int32(value: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(value, 0);
    this.parts.push(b);
    return this;
  }

  string(value: string): this {
    const bytes = Buffer.from(value, 'utf8');
    this.int16(bytes.length);
    this.parts.push(bytes);
    return this;
  }

  bytes(value: Buffer | null | undefined): this {
    if (value === null || value === undefined) return this.int32(-1);
    this.int32(value.length);
    this.parts.push(value);
    return this;
  }

  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

class Reader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  canRead(bytes: number): boolean {
    return this.offset + bytes <= this.buffer.length;
  }

  int16(): number {
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  string(): string {
    const length = this.int16();
    if (length < 0) return '';
    const value = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  bytes(): Buffer {
    const length = this.int32();
    if (length < 0) return Buffer.alloc(0);
    const value = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  array<T>(item: (reader: Reader) => T): T[] {
    const length = this.int32();
    const items: T[] = [];
    for (let i = 0; i < length; i++) items.push(item(this));
    return items;
  }
}

/** Member metadata (`ConsumerProtocolSubscription`): version, topics, user data. */
const memberMetadata: ISerializer<MemberMetadata> = {
  encode({ version, topics, userData }: { version: number; topics: string[]; userData?: Buffer }): Buffer {
    const writer = new Writer().int16(version).int32(topics.length);
    for (const topic of topics) writer.string(topic);
    return writer.bytes(userData ?? Buffer.alloc(0)).done();
  },
  decode(buffer: Buffer): MemberMetadata {
    const reader = new Reader(buffer);
    const version = reader.int16();
    const topics = reader.array((r) => r.string());
    const userData = reader.canRead(4) ? reader.bytes() : Buffer.alloc(0);
    return { version, topics, userData };
  },
};

/** Member assignment (`ConsumerProtocolAssignment`): version, partitions by topic, user data. */
const memberAssignment: ISerializer<MemberAssignment> = {
  encode({ version, assignment, userData }: { version: number; assignment: Assignment; userData?: Buffer }): Buffer {
    const topics = Object.keys(assignment);
    const writer = new Writer().int16(version).int32(topics.length);
    for (const topic of topics) {
      const partitions = assignment[topic] ?? [];
      writer.string(topic).int32(partitions.length);
      for (const partition of partitions) writer.int32(partition);
    }
    return writer.bytes(userData ?? Buffer.alloc(0)).done();
  },
  decode(buffer: Buffer): MemberAssignment | null {
    const reader = new Reader(buffer);
    if (!reader.canRead(2)) return null;
    const version = reader.int16();
    const assignment: Assignment = {};
    for (const entry of reader.array((r) => ({ topic: r.string(), partitions: r.array((p) => p.int32()) }))) {
      assignment[entry.topic] = entry.partitions;
    }
    const userData = reader.canRead(4) ? reader.bytes() : Buffer.alloc(0);
    return { version, assignment, userData };
  },
};

/** KafkaJS's `AssignerProtocol`. */
export const AssignerProtocol: {
  MemberMetadata: ISerializer<MemberMetadata>;
  MemberAssignment: ISerializer<MemberAssignment>;
} = { MemberMetadata: memberMetadata, MemberAssignment: memberAssignment };
