import type { DecodedRecord } from '../../protocol/records/record.js';
import { RecordDeserializationError } from '../consumer-errors.js';
import { bufferDeserializer, type Deserializer } from '../deserializers.js';
import type { ShareConsumerRecord } from './share-consumer-record.js';
import type { ShareRecordConverter } from './share-fetch-buffer.js';

/**
 * Builds the function that turns an acquired record into the {@link ShareConsumerRecord} the application
 * receives: key and value through the deserializers (skipped for the byte-identity default), no copies. A
 * deserializer that throws becomes a `RecordDeserializationError`; the share consumer releases that record (it is
 * delivered again, and archived at the delivery count limit), as the Java share consumer does.
 */
export function createShareRecordConverter<K, V>(
  keyDeserializer: Deserializer<K>,
  valueDeserializer: Deserializer<V>,
): ShareRecordConverter<ShareConsumerRecord<K, V>> {
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
          `${(error as Error)?.message ?? String(error)}. The record was released for another delivery attempt.`,
        { topic: record.topic, partition: record.partition, offset: record.offset, part, cause: error },
      );
    }
  };
  return (record, deliveryCount) => {
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
      deliveryCount,
    };
  };
}
