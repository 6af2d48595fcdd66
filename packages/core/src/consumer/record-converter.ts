import type { DecodedRecord } from '../protocol/records/record.js';
import { RecordDeserializationError } from './consumer-errors.js';
import type { ConsumerRecord } from './consumer-record.js';
import { bufferDeserializer, type Deserializer } from './deserializers.js';
import type { RecordConverter } from './fetch-buffer.js';

/**
 * Builds the function that turns a decoded record into the {@link ConsumerRecord} the application receives:
 * one object per record, key and value through the deserializers (skipped when they are the byte-identity
 * default), no copies of the bytes. A deserializer that throws becomes a `RecordDeserializationError` naming the
 * record.
 */
export function createRecordConverter<K, V>(
  keyDeserializer: Deserializer<K>,
  valueDeserializer: Deserializer<V>,
): RecordConverter<ConsumerRecord<K, V>> {
  const identityKey = (keyDeserializer as unknown) === bufferDeserializer;
  const identityValue = (valueDeserializer as unknown) === bufferDeserializer;
  const deserialize = <T>(
    deserializer: Deserializer<T>,
    data: Buffer | null,
    record: DecodedRecord,
    part: 'key' | 'value',
  ): T => {
    try {
      return deserializer(data, record);
    } catch (error) {
      throw new RecordDeserializationError(
        `Could not deserialize the ${part} of the record at offset ${record.offset}: ` +
          `${(error as Error)?.message ?? String(error)}. Seek past offset ${record.offset} to skip it.`,
        { topic: record.topic, partition: record.partition, offset: record.offset, part, cause: error },
      );
    }
  };
  return (record) => {
    const key = record.key;
    const value = record.value;
    return {
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      timestamp: record.timestamp,
      timestampType: record.timestampType,
      key: identityKey ? (key as K) : deserialize(keyDeserializer, key, record, 'key'),
      value: identityValue ? (value as V) : deserialize(valueDeserializer, value, record, 'value'),
      headers: record.headers,
      leaderEpoch: record.leaderEpoch,
      serializedKeySize: key === null ? -1 : key.length,
      serializedValueSize: value === null ? -1 : value.length,
    };
  };
}
