import { describe, expect, it } from 'vitest';
import { fakeBatch, fakeFetched } from '../../test/consumer/support/fake-batches.js';
import { diagnosticChannels } from '../diagnostics/channels.js';
import type { ConsumerDeliverPayload, ConsumerProcessPayload } from '../diagnostics/payloads.js';
import { silentLogger } from '../utils/logger.js';
import type { ConsumerRecord } from './consumer-record.js';
import { bufferDeserializer } from './deserializers.js';
import { FetchBuffer } from './fetch-buffer.js';
import { PartitionEvents } from './partition-events.js';
import { PartitionState } from './partition-state.js';
import { createRecordConverter } from './record-converter.js';
import { RecordDelivery } from './record-delivery.js';
import { BatchIterator, type IteratorHost, RecordIterator } from './record-iterator.js';

type Rec = ConsumerRecord<Buffer | null, Buffer | null>;

const identity = { clientId: 'c1', groupId: 'g1', groupKind: 'consumer' as const };

function setup(records: number) {
  const partitionEvents = new PartitionEvents();
  const buffer = new FetchBuffer(
    { maxBytes: 1e9, maxRecords: 1e9, partitionBytes: 1e9 },
    { events: partitionEvents, isDeliverable: (s: PartitionState) => !s.revoking },
  );
  const delivery = new RecordDelivery<Rec>(
    buffer,
    partitionEvents,
    createRecordConverter(bufferDeserializer, bufferDeserializer),
    { onRead: () => undefined, onIdle: () => undefined },
  );
  const state = new PartitionState('t', 0, partitionEvents);
  state.seek(0n, undefined);
  buffer.append(state, fakeFetched([fakeBatch(0n, records)]));
  const host: IteratorHost<Rec> = {
    delivery,
    maxPollRecords: 10,
    logger: silentLogger,
    commitOnExit: async () => undefined,
    commitAcknowledged: async () => undefined,
    identity,
  };
  return host;
}

/** Records the events of the deliver and process channels, in order. */
function listen() {
  const events: string[] = [];
  const processes: ConsumerProcessPayload[] = [];
  const delivers: ConsumerDeliverPayload[] = [];
  const stops = [
    diagnosticChannels.consumerDeliver.subscribe({
      start: (p) => {
        delivers.push(p);
        events.push(`deliver start ${p.handOver}`);
      },
      asyncEnd: (p) => events.push(`deliver end ${p.result?.map((r) => r.offset).join(',')}`),
    }),
    diagnosticChannels.consumerProcess.subscribe({
      start: (p) => {
        processes.push(p);
        events.push(`process start ${p.records.map((r) => r.offset).join(',')}`);
      },
      asyncEnd: (p) => events.push(`process end${p.error === undefined ? '' : ` ${String(p.error)}`}`),
    }),
  ];
  return {
    events,
    processes,
    delivers,
    stop: () => {
      for (const s of stops) s();
    },
  };
}

describe('consumer iterators on the diagnostics channels', () => {
  it('a record step: deliver from next() to the record, process from the record to the next step', async () => {
    const channels = listen();
    try {
      const iterator = new RecordIterator(setup(2), {});
      await iterator.next();
      await iterator.next();
      await iterator.return();
      expect(channels.events).toEqual([
        'deliver start record',
        'deliver end 0',
        'process start 0',
        'process end',
        'deliver start record',
        'deliver end 1',
        'process start 1',
        'process end',
      ]);
      expect(channels.delivers[0]).toMatchObject(identity);
      expect(channels.processes[0]).toMatchObject({ ...identity, runInContext: undefined });
    } finally {
      channels.stop();
    }
  });

  it('throw() ends the processing with the error; a batch is processed as one', async () => {
    const channels = listen();
    try {
      const iterator = new BatchIterator(setup(3), { maxRecords: 2 });
      await iterator.next();
      await iterator.throw(new Error('boom')).catch(() => undefined);
      expect(channels.events).toEqual([
        'deliver start batch',
        'deliver end 0,1',
        'process start 0,1',
        'process end Error: boom',
      ]);
    } finally {
      channels.stop();
    }
  });

  it('opens process traces with no deliver subscriber, and none for pushed batches', async () => {
    const events: string[] = [];
    const stop = diagnosticChannels.consumerProcess.subscribe({
      start: (p) => events.push(`process ${p.records.length}`),
    });
    try {
      const records = new RecordIterator(setup(1), {});
      await records.next();
      await records.return();
      const pushed = new BatchIterator(setup(2), { pushed: true });
      await pushed.next();
      await pushed.return();
      expect(events).toEqual(['process 1']);
    } finally {
      stop();
    }
  });

  it('publishes nothing without subscribers', async () => {
    expect(diagnosticChannels.consumerDeliver.hasSubscribers).toBe(false);
    expect(diagnosticChannels.consumerProcess.hasSubscribers).toBe(false);
    const iterator = new RecordIterator(setup(1), {});
    expect((await iterator.next()).value?.offset).toBe(0n);
    await iterator.return();
  });
});
