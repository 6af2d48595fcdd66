import type { CoordinatorType, RefreshOptions } from '../../../src/cluster/cluster.js';
import type { BrokerInfo, MetadataSnapshot, PartitionInfo, TopicInfo } from '../../../src/cluster/metadata.js';
import type { BrokerChannel, ConsumerCluster } from '../../../src/consumer/cluster-view.js';
import { UnsupportedVersionError } from '../../../src/errors/client-errors.js';
import type { RequestOptions } from '../../../src/network/connection.js';
import type { ApiDefinition } from '../../../src/protocol/messages/api-definition.js';

/** One topic of a fake cluster's metadata. */
export interface FakeTopic {
  readonly name: string;
  /** Topic id (Kafka's text form); the zero UUID when absent. */
  readonly topicId?: string;
  readonly partitions: number;
  /** Leader of every partition (default node 1). */
  readonly leader?: number;
  /** Leader epoch of every partition (default 0). */
  readonly leaderEpoch?: number;
}

/** A request the fake cluster received. */
export interface FakeSent {
  readonly node: number;
  readonly lane: string | undefined;
  readonly api: string;
  readonly version: number | undefined;
  readonly request: unknown;
}

type Handler = (request: unknown, node: number, sent: FakeSent) => unknown;

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** The metadata of one topic as a fake cluster describes it. */
export function fakeTopicInfo(topic: FakeTopic): TopicInfo {
  return {
    name: topic.name,
    topicId: topic.topicId ?? ZERO_UUID,
    isInternal: false,
    errorCode: 0,
    partitions: Array.from({ length: topic.partitions }, (_, partition) => ({
      topic: topic.name,
      partition,
      leader: topic.leader ?? 1,
      leaderEpoch: topic.leaderEpoch ?? 0,
      replicas: [topic.leader ?? 1],
      isr: [topic.leader ?? 1],
      offlineReplicas: [],
      errorCode: 0,
    })),
  };
}

/**
 * A cluster for unit tests of the consumer's parts: metadata set by the test, and brokers that answer each request
 * from a handler the test gives per API (`answer(Fetch, (request, node) => response)`). It implements the narrow
 * view every part takes ({@link ConsumerCluster} and the views it extends), so no test casts it. Requests are
 * recorded in {@link sent}; a request without a handler rejects, naming it.
 */
export class FakeCluster implements ConsumerCluster {
  metadata: MetadataSnapshot;
  readonly sent: FakeSent[] = [];
  /** Metadata refreshes asked for. */
  refreshes = 0;
  /** Coordinator invalidations. */
  coordinatorInvalidations = 0;
  /** Leader hints applied (KIP-951). */
  readonly leaderHints: Array<{ topic: string; partition: number; leaderId: number; leaderEpoch: number }> = [];
  /** Node of the group coordinator. */
  coordinatorNode = 1;
  /** Highest version each API negotiates (by name; -1: the brokers lack it); the codec's highest otherwise. */
  readonly versions = new Map<string, number>();
  private readonly handlers = new Map<string, Handler>();
  private readonly listeners = new Set<(snapshot: MetadataSnapshot) => void>();
  private readonly requestWaiters: Array<{ api: string; count: number; resolve: () => void }> = [];
  /** Called at each refresh, before it resolves (to change metadata, or to fail it by throwing). */
  onRefresh: ((options: RefreshOptions | undefined) => void) | undefined;

  constructor(topics: readonly FakeTopic[] = [], brokers: readonly number[] = [1, 2, 3]) {
    this.metadata = {
      clusterId: 'fake',
      controllerId: brokers[0] ?? -1,
      brokers: new Map(brokers.map((nodeId) => [nodeId, { nodeId, host: 'fake', port: 9092 + nodeId, rack: null }])),
      topics: new Map(topics.map((t) => [t.name, fakeTopicInfo(t)])),
      topicNamesById: new Map(topics.filter((t) => t.topicId !== undefined).map((t) => [t.topicId!, t.name])),
      updatedAt: Date.now(),
    };
  }

  /** Answers every request of `api` with `handler` (which may throw or reject to fail it). */
  answer<Req, Res>(api: ApiDefinition<Req, Res>, handler: (request: Req, node: number) => Res | Promise<Res>): void {
    this.handlers.set(api.name, handler as Handler);
  }

  /** Requests of `api` received so far. */
  requests<Req>(api: ApiDefinition<Req, unknown>): Array<{ node: number; request: Req; version: number | undefined }> {
    return this.sent
      .filter((s) => s.api === api.name)
      .map((s) => ({ node: s.node, request: s.request as Req, version: s.version }));
  }

  /** Resolves once `count` requests of `api` were received in all. */
  received(api: ApiDefinition, count: number): Promise<void> {
    if (this.sent.filter((s) => s.api === api.name).length >= count) return Promise.resolve();
    return new Promise((resolve) => this.requestWaiters.push({ api: api.name, count, resolve }));
  }

  /** Replaces the metadata and tells the listeners, as a refresh would. */
  publish(change: (current: MetadataSnapshot) => MetadataSnapshot): void {
    this.metadata = change(this.metadata);
    for (const listener of [...this.listeners]) listener(this.metadata);
  }

  /** Moves the leadership of a partition in the metadata (without telling the listeners). */
  setLeader(topic: string, partition: number, leader: number, leaderEpoch: number): void {
    const info = this.metadata.topics.get(topic);
    if (info === undefined) throw new Error(`fake cluster has no topic ${topic}`);
    const partitions = info.partitions.slice();
    partitions[partition] = { ...partitions[partition]!, leader, leaderEpoch };
    const topics = new Map(this.metadata.topics).set(topic, { ...info, partitions });
    this.metadata = { ...this.metadata, topics };
  }

  partition(topic: string, partition: number): PartitionInfo | undefined {
    return this.metadata.topics.get(topic)?.partitions[partition];
  }

  async refreshMetadata(options?: RefreshOptions): Promise<MetadataSnapshot> {
    this.refreshes++;
    this.onRefresh?.(options);
    for (const listener of [...this.listeners]) listener(this.metadata);
    return this.metadata;
  }

  onMetadata(listener: (snapshot: MetadataSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async connection(nodeId: number, lane?: string): Promise<BrokerChannel> {
    return {
      label: `${nodeId}@fake:${9092 + nodeId}`,
      versionFor: (api, maxVersion) => {
        const version = this.versions.get(api.name) ?? api.maxStableVersion;
        if (version < 0) {
          throw new UnsupportedVersionError(`Broker ${nodeId} does not support ${api.name}`, { api: api.name });
        }
        return Math.min(version, maxVersion ?? version);
      },
      send: <Req, Res>(api: ApiDefinition<Req, Res>, request: Req, options?: RequestOptions) =>
        this.send(nodeId, lane, api, request, options),
    };
  }

  updateLeader(topic: string, partition: number, leaderId: number, leaderEpoch: number, _endpoint?: BrokerInfo): void {
    this.leaderHints.push({ topic, partition, leaderId, leaderEpoch });
    this.setLeader(topic, partition, leaderId, leaderEpoch);
  }

  retryDelay(attempt: number): number {
    return 5 * 2 ** Math.min(attempt, 4);
  }

  async findCoordinator(_type: CoordinatorType, _key: string): Promise<BrokerInfo> {
    const broker = this.metadata.brokers.get(this.coordinatorNode);
    if (broker === undefined) throw new Error(`fake cluster has no broker ${this.coordinatorNode}`);
    return broker;
  }

  invalidateCoordinator(): void {
    this.coordinatorInvalidations++;
  }

  trackTopics(): void {}

  private async send<Req, Res>(
    node: number,
    lane: string | undefined,
    api: ApiDefinition<Req, Res>,
    request: Req,
    options: RequestOptions | undefined,
  ): Promise<Res> {
    const sent: FakeSent = { node, lane, api: api.name, version: options?.version, request };
    this.sent.push(sent);
    for (const waiter of this.requestWaiters.slice()) {
      if (waiter.api === api.name && this.sent.filter((s) => s.api === api.name).length >= waiter.count) {
        this.requestWaiters.splice(this.requestWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    const handler = this.handlers.get(api.name);
    if (handler === undefined) throw new Error(`the fake cluster has no answer for ${api.name}`);
    return (await handler(request, node, sent)) as Res;
  }
}
