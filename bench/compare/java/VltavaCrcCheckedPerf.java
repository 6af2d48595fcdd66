package org.apache.kafka.tools;

import java.util.Arrays;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;

/**
 * Kafka's own consumer perf tools (kafka-consumer-perf-test, kafka-share-consumer-perf-test) with CRC checks on.
 *
 * Both tools put check.crcs=false into their consumer's properties after reading the command line, so no option
 * turns the checks back on; Vltava's consumers check CRCs. This class runs the tools' own code through the entry
 * point each has for its tests (run(args, factory), package-private, hence this package), with a factory that sets
 * check.crcs=true before it creates the consumer. Everything else (options, timing, output) is the tool's.
 *
 * Usage: java -cp kafka-jars:this-class org.apache.kafka.tools.VltavaCrcCheckedPerf consumer|share tool-args...
 */
public final class VltavaCrcCheckedPerf {
    private VltavaCrcCheckedPerf() {
    }

    public static void main(String[] args) {
        String[] toolArgs = Arrays.copyOfRange(args, 1, args.length);
        switch (args.length == 0 ? "" : args[0]) {
            case "consumer":
                ConsumerPerformance.run(toolArgs, props -> {
                    props.put("check.crcs", "true");
                    return new KafkaConsumer<>(props);
                });
                break;
            case "share":
                ShareConsumerPerformance.run(toolArgs, props -> {
                    props.put("check.crcs", "true");
                    return new KafkaShareConsumer<>(props);
                });
                break;
            default:
                throw new IllegalArgumentException("first argument: consumer or share");
        }
    }
}
