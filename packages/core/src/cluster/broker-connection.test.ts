import { describe, expect, it } from 'vitest';
import { AuthenticationError, ConnectionError, TlsError } from '../errors/client-errors.js';
import type { KafkaError } from '../errors/kafka-error.js';
import type { ListenerMismatch } from '../network/listener-mismatch.js';
import type { ApiDefinition } from '../protocol/messages/api-definition.js';
import { BrokerConnection, type ManagedConnection } from './broker-connection.js';

/** How one fake connection behaves: its connect, and its answer to a request (the probe). */
interface Script {
  readonly connect: 'ok' | { readonly error: KafkaError; readonly mismatch?: ListenerMismatch };
  readonly request?: 'ok' | 'close-without-answer';
}

class FakeConnection implements ManagedConnection {
  readonly host = '127.0.0.1';
  readonly port = 9092;
  readonly label = '127.0.0.1:9092';
  ready = false;
  listenerMismatch: ListenerMismatch | undefined;
  readonly requests: string[] = [];
  private readonly listeners: Array<(error: KafkaError | undefined) => void> = [];

  constructor(private readonly script: Script) {}

  async connect(): Promise<void> {
    const outcome = this.script.connect;
    if (outcome === 'ok') {
      this.ready = true;
      return;
    }
    this.listenerMismatch = outcome.mismatch;
    this.close(outcome.error);
    throw outcome.error;
  }

  async send<Req, Res>(api: ApiDefinition<Req, Res>, _request: Req): Promise<Res> {
    this.requests.push(api.name);
    if (this.script.request === 'close-without-answer') {
      // As a SASL listener does with a client that skipped authentication.
      this.dropBySaslListener();
      throw new ConnectionError('closed by the broker');
    }
    return {} as Res;
  }

  /** The broker closes this connection at its first request, as a SASL listener does without authentication. */
  dropBySaslListener(): void {
    this.listenerMismatch = 'sasl-required';
    this.close(new ConnectionError('closed by the broker'));
  }

  close(error?: KafkaError): void {
    if (!this.ready && this.listeners.length === 0) return;
    this.ready = false;
    for (const listener of this.listeners.splice(0)) listener(error);
  }

  onClose(listener: (error: KafkaError | undefined) => void): void {
    this.listeners.push(listener);
  }
}

/** A BrokerConnection whose connections follow `scripts` in turn. */
function brokerConnection(...scripts: Script[]) {
  const created: FakeConnection[] = [];
  const broker = new BrokerConnection<FakeConnection>(
    () => {
      const script = scripts[created.length];
      if (script === undefined) throw new Error(`no script for connection ${created.length + 1}`);
      const connection = new FakeConnection(script);
      created.push(connection);
      return connection;
    },
    { initialMs: 1, maxMs: 5 },
  );
  return { broker, created };
}

const silentTlsClose = (): Script => ({
  connect: { error: new ConnectionError('closed during the TLS handshake'), mismatch: 'tls-to-plaintext' },
});
const refused = (): Script => ({ connect: { error: new ConnectionError('ECONNREFUSED') } });

describe('BrokerConnection: a TLS client on a plaintext listener', () => {
  it('confirms the mismatch with a second attempt within the same get(), then fails every get() at once', async () => {
    const { broker, created } = brokerConnection(silentTlsClose(), silentTlsClose());
    const error = await broker.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TlsError);
    expect((error as TlsError).message).toMatch(
      /closed the connection during the TLS handshake without answering \(2 times in a row\); is 127\.0\.0\.1:9092 a PLAINTEXT\/SASL_PLAINTEXT listener\? Remove ssl/,
    );
    expect(created).toHaveLength(2);
    await expect(broker.get()).rejects.toBe(error);
    expect(created).toHaveLength(2);
  });

  it('hands out the connection when the second attempt works (one silent close is not a diagnosis)', async () => {
    const { broker, created } = brokerConnection(silentTlsClose(), { connect: 'ok' });
    expect(await broker.get()).toBe(created[1]);
  });

  it('throws the other failure, retriable, when the second attempt fails differently', async () => {
    const { broker, created } = brokerConnection(silentTlsClose(), refused(), silentTlsClose(), { connect: 'ok' });
    const error = await broker.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).retriable).toBe(true);
    expect(created).toHaveLength(2);
    // Still retried afterwards; the count started again, so one more silent close is not a diagnosis.
    expect(await broker.get()).toBe(created[3]);
  });
});

describe('BrokerConnection: a client without SASL on a SASL listener', () => {
  it('makes the next connection prove itself after one was closed at its first request', async () => {
    const { broker, created } = brokerConnection({ connect: 'ok' }, { connect: 'ok', request: 'close-without-answer' });
    const first = await broker.get();
    first.dropBySaslListener();
    const error = await broker.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).recovery).toBe('fail-client');
    expect((error as AuthenticationError).message).toMatch(
      /\(2 times in a row\): the listener at 127\.0\.0\.1:9092 requires SASL authentication \(SASL_PLAINTEXT or SASL_SSL\): set sasl/,
    );
    expect(created[1]?.requests).toEqual(['Metadata']);
    await expect(broker.get()).rejects.toBe(error);
    expect(created).toHaveLength(2);
  });

  it('hands out the probed connection when it answers, and probes no more', async () => {
    const { broker, created } = brokerConnection(
      { connect: 'ok' },
      { connect: 'ok', request: 'ok' },
      { connect: 'ok' },
    );
    (await broker.get()).dropBySaslListener();
    const second = await broker.get();
    expect(second).toBe(created[1]);
    expect(second.requests).toEqual(['Metadata']);
    second.close(new ConnectionError('broker restarted'));
    const third = await broker.get();
    expect(third.requests).toEqual([]);
  });

  it('does not probe after a connection that broke for another reason', async () => {
    const { broker, created } = brokerConnection({ connect: 'ok' }, { connect: 'ok' });
    (await broker.get()).close(new ConnectionError('connection reset'));
    await broker.get();
    expect(created[1]?.requests).toEqual([]);
  });
});

describe('BrokerConnection: errors that end the client', () => {
  it('reconnects after a ready connection broke, whatever the error: the reconnection decides', async () => {
    const tls = new TlsError('The broker requires a client certificate');
    const { broker, created } = brokerConnection({ connect: 'ok' }, { connect: 'ok' }, { connect: { error: tls } });
    (await broker.get()).close(new TlsError('TLS alert after the first response'));
    expect(await broker.get()).toBe(created[1]);
    created[1]!.close(new ConnectionError('connection reset'));
    await expect(broker.get()).rejects.toBe(tls);
    await expect(broker.get()).rejects.toBe(tls);
    expect(created).toHaveLength(3);
  });

  it('fails every later get() with a non-retriable connect failure', async () => {
    const tls = new TlsError('untrusted certificate');
    const { broker, created } = brokerConnection({ connect: { error: tls } });
    await expect(broker.get()).rejects.toBe(tls);
    await expect(broker.get()).rejects.toBe(tls);
    expect(created).toHaveLength(1);
  });

  it('reconnects after a retriable failure (a broker down or restarting)', async () => {
    const { broker, created } = brokerConnection(refused(), refused(), { connect: 'ok' });
    await expect(broker.get()).rejects.toBeInstanceOf(ConnectionError);
    await expect(broker.get()).rejects.toBeInstanceOf(ConnectionError);
    expect(await broker.get()).toBe(created[2]);
  });
});
