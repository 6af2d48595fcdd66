import { resolveClientOptions } from '../cluster/client-options.js';
import { Cluster } from '../cluster/cluster.js';
import type { AdminCallOptions, AdminOptions } from './admin-options.js';
import { resolveAdminTimeout } from './admin-options.js';
import { AdminRouter } from './admin-request.js';
import {
  type CreatePartitionsOptions,
  type CreatePartitionsResult,
  type CreateTopicResult,
  type CreateTopicsOptions,
  createPartitions,
  createTopics,
  type DeleteTopicResult,
  type DeleteTopicsOptions,
  type DescribeTopicResult,
  type DescribeTopicsOptions,
  deleteTopics,
  describeTopics,
  type ListTopicsOptions,
  listTopics,
  type NewPartitions,
  type NewTopic,
  type TopicListing,
  type TopicToDelete,
} from './topics.js';

/**
 * The admin client: topics, configs, groups, offsets, records, ACLs, quotas, SCRAM credentials, cluster and
 * transactions, typed, over the Kafka wire protocol. Java: `org.apache.kafka.clients.admin.Admin`; kafka-python:
 * `KafkaAdminClient`.
 *
 * ```ts
 * await using admin = new Admin({ brokers: ['127.0.0.1:9092'] });
 * const [created] = await admin.createTopics([{ topic: 'orders', numPartitions: 6 }], { waitForMetadata: true });
 * if (created?.error) throw created.error;
 * ```
 *
 * Methods connect lazily; `connect()` only makes the first failure surface early. Every method takes an options
 * object with `timeoutMs` (the whole call, retries included; default `defaultApiTimeoutMs`, 60000) and `signal`.
 *
 * Batch methods (`createTopics`, `describeConfigs`, `deleteGroups`, ...) resolve with one result per item, each
 * with either its data or its `error` (see `ItemResult`), so one bad item never hides the others; they reject
 * only when the whole call failed (no broker reachable in time, authentication, abort, close, a bad argument).
 * Use `unwrapResults` to throw an `AdminBatchError` when any item failed. Methods about one thing (`describeCluster`,
 * `describeAcls`, `abortTransaction`) reject with the error.
 *
 * Each request goes to the broker that must answer it (controller, coordinator, partition leader, any broker, every
 * broker), with retries on retriable errors and metadata refreshes in between; see `AdminRouter`.
 */
export class Admin implements AsyncDisposable {
  private readonly cluster: Cluster;
  private readonly router: AdminRouter;

  /** Creates the client; nothing connects until the first call (or `connect()`). Throws `ConfigError`. */
  constructor(options: AdminOptions) {
    const resolved = resolveClientOptions(options);
    this.cluster = new Cluster(resolved, { allowAutoTopicCreation: false });
    this.router = new AdminRouter(this.cluster, resolveAdminTimeout(options), resolved.logger);
  }

  /**
   * Connects and fetches the first metadata, so that bad addresses, credentials or certificates fail here rather
   * than in the first call. Optional.
   */
  async connect(options: AdminCallOptions = {}): Promise<void> {
    await this.router.ready(this.router.call('connect', options));
  }

  /** Closes every connection. Calls in progress reject with `ClientClosedError`. Java: `close()`. */
  async close(): Promise<void> {
    this.cluster.close();
  }

  /** `await using admin = new Admin(...)` closes it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // Topics ---------------------------------------------------------------------------------------------------------

  /**
   * Lists the topics of the cluster, by name, with their ids; internal topics only with `includeInternal`.
   * Java: `listTopics(ListTopicsOptions)`; kafka-python: `list_topics()`.
   */
  listTopics(options?: ListTopicsOptions): Promise<TopicListing[]> {
    return listTopics(this.router, options);
  }

  /**
   * Describes topics: id, internal flag, and each partition's leader, leader epoch, replicas, ISR, offline replicas
   * (and eligible leader replicas where the broker reports them). One result per topic; an unknown topic fails
   * alone with `UnknownTopicOrPartitionError`. Java: `describeTopics(TopicCollection, DescribeTopicsOptions)`;
   * kafka-python: `describe_topics()`.
   */
  describeTopics(topics: readonly string[], options?: DescribeTopicsOptions): Promise<DescribeTopicResult[]> {
    return describeTopics(this.router, topics, options);
  }

  /**
   * Creates topics with a partition count and replication factor (broker defaults when left out) or an explicit
   * replica assignment, and configs; `validateOnly` checks without creating; `waitForMetadata` resolves only once
   * every broker sees them. One result per topic (topic id, partitions, replication factor, configs as created).
   * Java: `createTopics(Collection<NewTopic>, CreateTopicsOptions)`; kafka-python: `create_topics()`.
   */
  createTopics(topics: readonly NewTopic[], options?: CreateTopicsOptions): Promise<CreateTopicResult[]> {
    return createTopics(this.router, topics, options);
  }

  /**
   * Deletes topics by name or by topic id; `waitForMetadata` resolves only once no broker lists them. One result
   * per topic. Java: `deleteTopics(TopicCollection, DeleteTopicsOptions)`; kafka-python: `delete_topics()`.
   */
  deleteTopics(topics: readonly TopicToDelete[], options?: DeleteTopicsOptions): Promise<DeleteTopicResult[]> {
    return deleteTopics(this.router, topics, options);
  }

  /**
   * Adds partitions to topics (up to `totalCount`), optionally placing the new replicas; `waitForMetadata` resolves
   * once every broker sees them led. One result per topic. Java: `createPartitions(Map<String, NewPartitions>)`;
   * kafka-python: `create_partitions()`.
   */
  createPartitions(
    partitions: readonly NewPartitions[],
    options?: CreatePartitionsOptions,
  ): Promise<CreatePartitionsResult[]> {
    return createPartitions(this.router, partitions, options);
  }
}
