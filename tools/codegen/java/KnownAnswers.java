// Serializes a few messages with Apache Kafka's own generated *Data classes and prints them as JSON lines
// ({"name": ..., "version": ..., "hex": ...}). The bytes become known-answer fixtures for Vltava's codecs:
//   npm run codegen:fixtures   (runs: java -cp <kafka-clients jar + slf4j-api> tools/codegen/java/KnownAnswers.java)
// Every value here is mirrored in packages/core/src/protocol/messages/known-answers.test.ts; change both together.
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.ConsumerProtocolSubscription;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.types.RawTaggedField;
import org.apache.kafka.common.record.internal.MemoryRecords;

public class KnownAnswers {
    static final Uuid TOPIC_ID = Uuid.fromString("AQIDBAUGBwgJCgsMDQ4PEA");

    public static void main(String[] args) {
        try {
            run();
        } catch (RuntimeException e) {
            System.err.println("KnownAnswers failed: " + e);
            System.exit(1);
        }
    }

    static void run() {
        print("ApiVersionsRequest", 3, new ApiVersionsRequestData()
            .setClientSoftwareName("vltava").setClientSoftwareVersion("0.1.0"));
        print("ApiVersionsRequest", 0, new ApiVersionsRequestData());

        print("RequestHeader", 2, new RequestHeaderData()
            .setRequestApiKey((short) 3).setRequestApiVersion((short) 12).setCorrelationId(42).setClientId("vltava-client"));
        print("RequestHeader", 1, new RequestHeaderData()
            .setRequestApiKey((short) 18).setRequestApiVersion((short) 3).setCorrelationId(1).setClientId(null));

        List<MetadataRequestData.MetadataRequestTopic> topics = new ArrayList<>();
        topics.add(new MetadataRequestData.MetadataRequestTopic().setName("orders").setTopicId(Uuid.ZERO_UUID));
        topics.add(new MetadataRequestData.MetadataRequestTopic().setName("logs.é").setTopicId(TOPIC_ID));
        print("MetadataRequest", 12, new MetadataRequestData()
            .setTopics(topics).setAllowAutoTopicCreation(false).setIncludeTopicAuthorizedOperations(true));
        print("MetadataRequest", 4, new MetadataRequestData().setTopics(null).setAllowAutoTopicCreation(true));

        MetadataResponseData metadata = new MetadataResponseData()
            .setThrottleTimeMs(5).setClusterId("cluster-1").setControllerId(1);
        metadata.brokers().add(new MetadataResponseData.MetadataResponseBroker()
            .setNodeId(1).setHost("127.0.0.1").setPort(9092).setRack(null));
        MetadataResponseData.MetadataResponseTopic topic = new MetadataResponseData.MetadataResponseTopic()
            .setErrorCode((short) 0).setName("orders").setTopicId(TOPIC_ID).setIsInternal(false)
            .setTopicAuthorizedOperations(-2147483648);
        topic.partitions().add(new MetadataResponseData.MetadataResponsePartition()
            .setErrorCode((short) 0).setPartitionIndex(0).setLeaderId(1).setLeaderEpoch(3)
            .setReplicaNodes(List.of(1, 2)).setIsrNodes(List.of(1)).setOfflineReplicas(List.of()));
        metadata.topics().add(topic);
        metadata.unknownTaggedFields().add(new RawTaggedField(7, new byte[] {1, 2, 3}));
        print("MetadataResponse", 12, metadata);

        print("ProduceRequest", 9, produce(null, false));
        print("ProduceRequest", 11, produce("tx-1", false));
        print("ProduceRequest", 13, produce(null, true));

        print("FetchResponse", 4, fetch(false).setSessionId(0)); // SessionId exists from v7
        print("FetchResponse", 12, fetch(false));
        print("FetchResponse", 16, fetch(true));

        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
            new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[] {0, 3, 9}));
        print("JoinGroupRequest", 9, new JoinGroupRequestData()
            .setGroupId("group-1").setSessionTimeoutMs(45000).setRebalanceTimeoutMs(300000).setMemberId("")
            .setGroupInstanceId(null).setProtocolType("consumer").setProtocols(protocols).setReason("rejoin"));

        print("ConsumerGroupHeartbeatRequest", 1, new ConsumerGroupHeartbeatRequestData()
            .setGroupId("group-1").setMemberId("m-1").setMemberEpoch(0).setInstanceId(null).setRackId("rack-a")
            .setRebalanceTimeoutMs(300000).setSubscribedTopicNames(List.of("orders", "logs"))
            .setSubscribedTopicRegex(null).setServerAssignor("uniform").setTopicPartitions(List.of()));

        // A nullable struct: an int8 marker (1 = present) before the struct.
        print("ConsumerGroupHeartbeatResponse", 1, new ConsumerGroupHeartbeatResponseData()
            .setThrottleTimeMs(0).setErrorCode((short) 0).setErrorMessage(null).setMemberId("m-1").setMemberEpoch(3)
            .setHeartbeatIntervalMs(5000).setAssignment(new ConsumerGroupHeartbeatResponseData.Assignment()
                .setTopicPartitions(List.of(new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                    .setTopicId(TOPIC_ID).setPartitions(List.of(0, 2))))));

        print("SaslHandshakeRequest", 1, new SaslHandshakeRequestData().setMechanism("SCRAM-SHA-512"));

        CreateTopicsRequestData.CreatableTopicCollection creatable = new CreateTopicsRequestData.CreatableTopicCollection();
        CreateTopicsRequestData.CreatableTopic created = new CreateTopicsRequestData.CreatableTopic()
            .setName("orders").setNumPartitions(3).setReplicationFactor((short) 1);
        created.configs().add(new CreateTopicsRequestData.CreatableTopicConfig().setName("cleanup.policy").setValue("compact"));
        creatable.add(created);
        print("CreateTopicsRequest", 7, new CreateTopicsRequestData()
            .setTopics(creatable).setTimeoutMs(30000).setValidateOnly(false));

        ConsumerProtocolSubscription subscription = new ConsumerProtocolSubscription()
            .setTopics(List.of("orders")).setUserData(ByteBuffer.wrap(new byte[] {7})).setGenerationId(4).setRackId("rack-a");
        subscription.ownedPartitions().add(new ConsumerProtocolSubscription.TopicPartition()
            .setTopic("orders").setPartitions(List.of(0, 1)));
        print("ConsumerProtocolSubscription", 3, subscription);
    }

    static ProduceRequestData produce(String transactionalId, boolean byId) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData();
        if (byId) topic.setTopicId(TOPIC_ID);
        else topic.setName("orders");
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData()
            .setIndex(0).setRecords(MemoryRecords.readableRecords(ByteBuffer.wrap(batchBytes(20)))));
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData()
            .setIndex(1).setRecords(MemoryRecords.readableRecords(ByteBuffer.wrap(batchBytes(3)))));
        topics.add(topic);
        return new ProduceRequestData().setTransactionalId(transactionalId).setAcks((short) -1).setTimeoutMs(30000)
            .setTopicData(topics);
    }

    static FetchResponseData fetch(boolean endpoints) {
        FetchResponseData.PartitionData partition = new FetchResponseData.PartitionData()
            .setPartitionIndex(2).setErrorCode((short) 0).setHighWatermark(100).setLastStableOffset(90)
            .setLogStartOffset(0).setPreferredReadReplica(-1)
            .setRecords(MemoryRecords.readableRecords(ByteBuffer.wrap(batchBytes(12))));
        partition.abortedTransactions().add(new FetchResponseData.AbortedTransaction().setProducerId(5).setFirstOffset(10));
        partition.setCurrentLeader(new FetchResponseData.LeaderIdAndEpoch().setLeaderId(-1).setLeaderEpoch(-1));
        FetchResponseData data = new FetchResponseData().setThrottleTimeMs(0).setErrorCode((short) 0).setSessionId(77);
        FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse();
        if (endpoints) {
            topic.setTopicId(TOPIC_ID);
            partition.setCurrentLeader(new FetchResponseData.LeaderIdAndEpoch().setLeaderId(2).setLeaderEpoch(5));
            data.nodeEndpoints().add(new FetchResponseData.NodeEndpoint().setNodeId(2).setHost("broker-2").setPort(9093).setRack(null));
        } else {
            topic.setTopic("orders");
        }
        topic.partitions().add(partition);
        data.responses().add(topic);
        return data;
    }

    /** Stand-in record batch bytes: the codec treats records as opaque. */
    static byte[] batchBytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 7 + 1);
        return b;
    }

    static void print(String name, int version, Message message) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        short v = (short) version;
        ByteBuffer buffer = ByteBuffer.allocate(message.size(cache, v));
        message.write(new ByteBufferAccessor(buffer), cache, v);
        StringBuilder hex = new StringBuilder();
        for (byte b : buffer.array()) hex.append(String.format("%02x", b & 0xff));
        System.out.println("{\"name\": \"" + name + "\", \"version\": " + version + ", \"hex\": \"" + hex + "\"}");
    }
}
