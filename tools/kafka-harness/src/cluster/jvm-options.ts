import { loggingJvmOption } from '../harness-paths.js';

/**
 * JVM options of a broker, sized for a small machine running up to four brokers next to the tests (2 cores,
 * a few GiB spare): a 256 MiB to 768 MiB heap, G1 with short pauses (Kafka's own defaults), no perf-data file,
 * and a JVM that exits rather than limps on after an OutOfMemoryError.
 *
 * A heap that starts small suits the tests but not sustained load: the log cleaner's dedupe buffer (128 MiB) alone
 * keeps the live heap above G1's threshold for concurrent marking (35% of the current heap), so every large request
 * (a humongous allocation) then starts a marking cycle. `kafka-server-start.sh` starts the heap at its maximum;
 * give `heapMinMb` equal to `heapMaxMb` for the same.
 *
 * `logging` is the release's logging API: log4j 1 (reload4j) for Kafka 3.x, log4j2 for 4.x.
 */
export function brokerJvmOptions(heapMaxMb = 768, heapMinMb = 256, logging: 'log4j1' | 'log4j2' = 'log4j2'): string[] {
  return [
    `-Xms${Math.min(heapMinMb, heapMaxMb)}m`,
    `-Xmx${heapMaxMb}m`,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-XX:MaxInlineLevel=15',
    '-XX:+ExitOnOutOfMemoryError',
    '-XX:-UsePerfData',
    '-Djava.awt.headless=true',
    loggingJvmOption(logging, 'broker'),
  ];
}

/**
 * JVM options of command-line tools: short-lived, so a small heap and the serial collector; WARN logs to
 * standard error. Performance tools keep the full JIT so that their figures mean something.
 */
export function toolJvmOptions(performanceTool: boolean, logging: 'log4j1' | 'log4j2' = 'log4j2'): string[] {
  return [
    performanceTool ? '-Xmx1g' : '-Xmx512m',
    ...(performanceTool ? ['-XX:+UseG1GC'] : ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1']),
    '-XX:-UsePerfData',
    '-Djava.awt.headless=true',
    loggingJvmOption(logging, 'tools'),
  ];
}
