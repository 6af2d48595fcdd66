import { describe, expect, it } from 'vitest';
import { createBrokerError } from '../errors/index.js';
import type { KafkaError } from '../errors/kafka-error.js';
import { silentLogger } from '../utils/logger.js';
import { handAccumulator, oneRecordBatch } from './fixtures/test-records.js';
import { PartitionState } from './partition-state.js';
import { TransactionAbortedError, TransactionStateError } from './producer-errors.js';
import { TransactionFlow, type TransactionFlowHost, type TransactionRequests } from './transaction-flow.js';
import { TransactionManager } from './transaction-manager.js';

/** The coordinator's requests, answered at once (or held while `hold` is set), logged. */
function requests(log: string[], options: { transactionV2?: boolean } = {}) {
  let release: (() => void) | undefined;
  const held = () =>
    new Promise<void>((resolve) => {
      release = resolve;
    });
  const fake = {
    hold: false as boolean,
    release: () => release?.(),
    initProducerId: async (_deadline: number, current?: { producerId: bigint; producerEpoch: number }) => {
      log.push(current === undefined ? 'InitProducerId' : `InitProducerId bump ${current.producerEpoch}`);
      return {
        producerId: 7n,
        producerEpoch: (current?.producerEpoch ?? -1) + 1,
        transactionV2: options.transactionV2 ?? true,
      };
    },
    sendOffsets: async () => {
      log.push('offsets');
    },
    endTransaction: async (commit: boolean) => {
      log.push(commit ? 'EndTxn commit' : 'EndTxn abort');
      if (fake.hold) await held();
      return undefined;
    },
  } satisfies TransactionRequests & { hold: boolean; release: () => void };
  return fake;
}

function setup(options: { transactionV2?: boolean } = {}) {
  const log: string[] = [];
  const manager = new TransactionManager('tx', silentLogger);
  const coordinator = requests(log, options);
  const host: TransactionFlowHost = {
    connect: async () => {
      log.push('connect');
    },
    flushBuffered: async () => {
      log.push('flush');
    },
    wakeSender: () => {},
    abandonQueued: (error: KafkaError) => log.push(`abandon: ${error.name}`),
  };
  const flow = new TransactionFlow(
    manager,
    coordinator,
    host,
    { transactionalId: 'tx', maxBlockMs: 5000 },
    silentLogger,
  );
  return { log, manager, coordinator, flow };
}

/** Makes the coordinator know of the transaction (as a partition registration does). */
function touch(manager: TransactionManager): void {
  const state = new PartitionState('t', 0);
  manager.addPartition(state);
  manager.partitionsAdded([state]);
}

describe('TransactionFlow', () => {
  it('initialises, then commits: the buffered records first, then EndTxn', async () => {
    const { log, manager, flow } = setup();
    await flow.init();
    expect([manager.state, manager.producerId, manager.producerEpoch]).toEqual(['ready', 7n, 0]);
    flow.begin();
    touch(manager);
    await flow.commit();
    expect(log).toEqual(['connect', 'InitProducerId', 'flush', 'EndTxn commit']);
    expect(manager.state).toBe('ready');
  });

  it('abort gives up the records not sent with TransactionAbortedError before EndTxn', async () => {
    const { log, manager, flow } = setup();
    await flow.init();
    flow.begin();
    touch(manager);
    await flow.abort();
    expect(log.slice(2)).toEqual([`abandon: ${new TransactionAbortedError('x').name}`, 'flush', 'EndTxn abort']);
    expect(manager.state).toBe('ready');
  });

  it('an abort during a commit waits for the commit instead of sending EndTxn twice', async () => {
    const { log, manager, coordinator, flow } = setup();
    await flow.init();
    flow.begin();
    touch(manager);
    coordinator.hold = true;
    const commit = flow.commit();
    await new Promise((resolve) => setImmediate(resolve));
    const abort = flow.abort();
    coordinator.release();
    await commit;
    await abort;
    expect(log.filter((entry) => entry.startsWith('EndTxn'))).toEqual(['EndTxn commit']);
    expect(manager.state).toBe('ready');
  });

  it('closing aborts a transaction left open, and only then', async () => {
    const { log, manager, flow } = setup();
    await flow.abortLeftOpen(undefined); // not initialised: nothing to abort
    await flow.init();
    await flow.abortLeftOpen(undefined); // ready: nothing to abort
    expect(log).toEqual(['connect', 'InitProducerId']);
    flow.begin();
    touch(manager);
    await flow.abortLeftOpen(undefined);
    expect(log.slice(2)).toEqual(['abandon: TransactionAbortedError', 'flush', 'EndTxn abort']);
    // An abortable transaction (a record failed) is aborted too.
    flow.begin();
    manager.setAbortable(createBrokerError(87, { topic: 't', partition: 0 }));
    await flow.abortLeftOpen(undefined);
    expect(manager.state).toBe('ready');
  });

  it('bumps the epoch with InitProducerId after an abort caused by a sequence error (transactions v1)', async () => {
    const { log, manager, flow } = setup({ transactionV2: false });
    await flow.init();
    flow.begin();
    touch(manager);
    // A batch of the transaction meets OUT_OF_ORDER_SEQUENCE_NUMBER as the next expected one: a gap on the broker,
    // the transaction must abort and the epoch be bumped (KIP-360).
    const accumulator = handAccumulator(true);
    const state = accumulator.partitionState('t', 1);
    manager.addPartition(state);
    manager.partitionsAdded([state]);
    const batch = oneRecordBatch(accumulator, state);
    manager.assignSequence(state, batch);
    batch.markSent(Date.now());
    batch.markReturned();
    manager.onFailure(batch, 45, createBrokerError(45, { topic: 't', partition: 1 }), true);
    expect(manager.needsBumpAfterAbort).toBe(true);
    await flow.abort();
    expect(log.slice(-2)).toEqual(['EndTxn abort', 'InitProducerId bump 0']);
    expect(manager.producerEpoch).toBe(1);
  });

  it('refuses calls out of order with the state machine error', async () => {
    const { flow } = setup();
    expect(() => flow.begin()).toThrow(TransactionStateError);
    await flow.init();
    await expect(flow.commit()).rejects.toBeInstanceOf(TransactionStateError);
  });
});
