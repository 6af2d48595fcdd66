/** A broker as metadata describes it. */
export interface BrokerInfo {
  /** Node id. */
  readonly nodeId: number;
  /** Advertised host. */
  readonly host: string;
  /** Advertised port. */
  readonly port: number;
  /** Rack (`broker.rack`), or null. */
  readonly rack: string | null;
}

/** One partition as metadata describes it. */
export interface PartitionInfo {
  /** Topic name. */
  readonly topic: string;
  /** Partition index. */
  readonly partition: number;
  /** Leader node id, or -1 while there is none. */
  readonly leader: number;
  /** Leader epoch (KIP-320), or -1 when the broker does not report it. */
  readonly leaderEpoch: number;
  /** Replica node ids, preferred leader first. */
  readonly replicas: readonly number[];
  /** In-sync replica node ids. */
  readonly isr: readonly number[];
  /** Replicas that are offline. */
  readonly offlineReplicas: readonly number[];
  /** Error code the broker reported for this partition (0 = none; LEADER_NOT_AVAILABLE during elections). */
  readonly errorCode: number;
}

/** One topic as metadata describes it. */
export interface TopicInfo {
  /** Topic name. */
  readonly name: string;
  /** Topic id (KIP-516) in Kafka's text form; the zero UUID when unknown. */
  readonly topicId: string;
  /** Whether the topic is internal (`__consumer_offsets`, `__transaction_state`). */
  readonly isInternal: boolean;
  /** Partitions, indexed by partition number. */
  readonly partitions: readonly PartitionInfo[];
  /** Error code for the topic (0 = none; UNKNOWN_TOPIC_OR_PARTITION when it does not exist). */
  readonly errorCode: number;
}

/** An immutable view of the cluster at one point in time. Updates replace the snapshot. */
export interface MetadataSnapshot {
  /** Cluster id, or null. */
  readonly clusterId: string | null;
  /** Node id of the active controller as brokers report it, or -1. */
  readonly controllerId: number;
  /** Brokers by node id. */
  readonly brokers: ReadonlyMap<number, BrokerInfo>;
  /** Topics by name (only the topics metadata was asked for, unless all topics were fetched). */
  readonly topics: ReadonlyMap<string, TopicInfo>;
  /** Topic names by topic id. */
  readonly topicNamesById: ReadonlyMap<string, string>;
  /** When this snapshot was built (`Date.now()`). */
  readonly updatedAt: number;
}

/** The snapshot before the first metadata response. */
export const EMPTY_METADATA: MetadataSnapshot = {
  clusterId: null,
  controllerId: -1,
  brokers: new Map(),
  topics: new Map(),
  topicNamesById: new Map(),
  updatedAt: 0,
};
