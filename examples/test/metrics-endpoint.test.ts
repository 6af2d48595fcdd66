import { kafkaBrokers } from '@vltava/kafka-harness/vitest';
import { describe, expect, it } from 'vitest';
import { main } from '../src/metrics-endpoint.js';
import { logLines } from './support.js';

const brokers = kafkaBrokers().join(',');

/** The samples of an exposition, every line checked against the text format 0.0.4; TYPE once per family. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const typed = new Set<string>();
  for (const line of text.trimEnd().split('\n')) {
    if (line.startsWith('# HELP ')) continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram)$/.exec(line);
    if (type !== null) {
      expect(typed.has(type[1]!), `TYPE of ${type[1]} twice`).toBe(false);
      typed.add(type[1]!);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (\S+)$/.exec(
      line,
    );
    expect(sample, line).not.toBeNull();
    out.set(`${sample![1]}${sample![2] ?? ''}`, Number(sample![3]!.replace('+Inf', 'Infinity')));
  }
  return out;
}

describe('examples/metrics-endpoint', () => {
  it("serves the producer's, the consumer's and the admin client's metrics as Prometheus text on 127.0.0.1", async () => {
    const { lines, log } = logLines();
    const result = await main(brokers, log);
    expect(result.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(result.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const values = samples(result.body);
    const { producer, consumer, admin } = result.clientIds;
    expect(values.get(`vltava_producer_records_sent_total{client_id="${producer}",client_type="producer"}`)).toBe(20);
    expect(values.get(`vltava_consumer_records_consumed_total{client_id="${consumer}",client_type="consumer"}`)).toBe(
      20,
    );
    // Everything fetched was read: no lag on either partition.
    for (const partition of [0, 1]) {
      const key = `vltava_consumer_records_lag{client_id="${consumer}",client_type="consumer",topic="${result.topic}",partition="${partition}"}`;
      expect(values.get(key)).toBe(0);
    }
    expect(values.get(`vltava_admin_calls_total{client_id="${admin}",client_type="admin",method="createTopics"}`)).toBe(
      1,
    );
    // The admin client's connections: requests written, and the counts agree with the bytes.
    const adminRequests = [...values].filter(
      ([name]) => name.startsWith('vltava_connection_requests_total{') && name.includes(`client_id="${admin}"`),
    );
    expect(adminRequests.reduce((sum, [, v]) => sum + v, 0)).toBeGreaterThan(0);
    expect(lines).toContain(`serving ${result.url}`);
  });
});
