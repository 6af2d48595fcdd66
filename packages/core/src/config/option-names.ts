import { editDistance } from './edit-distance.js';
import { listWords } from './option-rules.js';

/** A name other Kafka clients give a setting, and the option(s) of ours that do its job. */
interface ForeignName {
  /** Our options, in order of likelihood. Only those the options object has are suggested. */
  readonly use: readonly string[];
  /** What to do beyond the name, when the option works differently here. */
  readonly note?: string;
}

/**
 * Settings of the Java client, kafka-python, librdkafka and kafkajs whose name is not simply ours in another
 * spelling (those are found by {@link normalizeOptionName}), keyed by their normalized name.
 */
const FOREIGN_NAMES: Readonly<Record<string, ForeignName>> = {
  bootstrapservers: { use: ['brokers'] },
  bootstrapbrokers: { use: ['brokers'] },
  metadatabrokerlist: { use: ['brokers'] },
  kafkahost: { use: ['brokers'] },
  securityprotocol: {
    use: ['ssl', 'sasl'],
    note: 'ssl: true (or TLS options) for SSL, sasl: { mechanism, ... } for SASL_PLAINTEXT and SASL_SSL',
  },
  tls: { use: ['ssl'] },
  compressiontype: { use: ['compression'] },
  compressioncodec: { use: ['compression'] },
  compressiongziplevel: { use: ['compressionLevel'] },
  compressionzstdlevel: { use: ['compressionLevel'] },
  compressionlz4level: { use: ['compressionLevel'], note: 'LZ4 has no level here; it applies to gzip and zstd' },
  partitionerclass: { use: ['partitioner'] },
  createpartitioner: { use: ['partitioner'] },
  partitionassignmentstrategy: { use: ['partitionAssignors'] },
  socketconnectionsetuptimeoutms: { use: ['connectionTimeoutMs'] },
  connecttimeout: { use: ['connectionTimeoutMs'] },
  authenticationtimeout: { use: ['connectionTimeoutMs'] },
  idempotent: { use: ['enableIdempotence'] },
  retry: { use: ['retries', 'retryBackoffMs', 'retryBackoffMaxMs'] },
  logcreator: { use: ['logger'] },
  maxbytesperpartition: { use: ['maxPartitionFetchBytes'] },
  maxbytes: { use: ['fetchMaxBytes'] },
  minbytes: { use: ['fetchMinBytes'] },
  maxwaittime: { use: ['fetchMaxWaitMs'] },
  maxwaittimeinms: { use: ['fetchMaxWaitMs'] },
  allowautotopiccreation: { use: ['allowAutoCreateTopics'] },
  maxinflightrequests: { use: ['maxInFlightRequestsPerConnection'] },
  readuncommitted: { use: ['isolationLevel'], note: "isolationLevel: 'read_uncommitted' or 'read_committed'" },
  frombeginning: { use: ['autoOffsetReset'], note: "autoOffsetReset: 'earliest' reads from the beginning" },
  autocommit: { use: ['enableAutoCommit'] },
  apiversion: { use: [], note: 'the client negotiates API versions with each broker; remove it' },
};

/** Lower case, without `.`, `_` and `-`: `max.poll.records`, `max_poll_records` and `maxPollRecords` meet. */
export function normalizeOptionName(name: string): string {
  return name.toLowerCase().replace(/[._-]/g, '');
}

function quoted(names: readonly string[], prefix: string): string {
  return listWords(names.map((name) => `'${prefix}${name}'`));
}

/** Whose spelling `key` has, for the hint: `that is the Java name`. */
function spelling(key: string): string | undefined {
  if (key.includes('.')) return 'the Java name';
  if (key.includes('_')) return "kafka-python's name";
  return undefined;
}

function useHint(key: string, names: readonly string[], prefix: string, note?: string): string {
  const whose = spelling(key);
  const use = names.map((name) => `${prefix}${name}`);
  const tail = note === undefined ? '' : ` (${note})`;
  if (whose !== undefined) return `: that is ${whose}; use ${listWords(use)}${tail}`;
  return `; did you mean ${quoted(names, prefix)}?${tail}`;
}

/**
 * Hint for an unknown option `key`, given the options `known` of that object: the Java or kafka-python name of one
 * of ours (`: that is the Java name; use maxPollRecords`), another client's name for it, the same name without its
 * `Ms`, or the closest known names by edit distance (`; did you mean 'acks'?`). The hint starts with its separator,
 * to follow `Unknown producer option 'x'`. `undefined` when nothing is close. `prefix` goes before suggested names
 * (`sasl.` inside the `sasl` option).
 */
export function suggestOption(key: string, known: readonly string[], prefix = ''): string | undefined {
  const wanted = normalizeOptionName(key);
  const byNormal = new Map(known.map((name) => [normalizeOptionName(name), name]));

  const same = byNormal.get(wanted);
  if (same !== undefined) return useHint(key, [same], prefix);

  const foreign = FOREIGN_NAMES[wanted];
  if (foreign !== undefined) {
    const use = foreign.use.filter((name) => known.includes(name));
    if (use.length > 0) return useHint(key, use, prefix, foreign.note);
    if (foreign.use.length === 0 && foreign.note !== undefined) return `: ${foreign.note}`;
  }
  if (spelling(key) !== undefined) {
    for (const family of ['ssl', 'sasl']) {
      if (wanted.startsWith(family) && known.includes(family)) {
        const what = family === 'ssl' ? "Node.js's tls.connect options: ca, cert, key, ..." : 'see SaslOptions';
        return useHint(key, [family], prefix, what);
      }
    }
  }

  const withMs = byNormal.get(`${wanted}ms`);
  if (withMs !== undefined) return useHint(key, [withMs], prefix);

  const limit = wanted.length <= 3 ? 1 : wanted.length <= 6 ? 2 : 3;
  let best = limit + 1;
  let closest: string[] = [];
  for (const [normal, name] of byNormal) {
    const distance = editDistance(wanted, normal);
    if (distance < best) {
      best = distance;
      closest = [name];
    } else if (distance === best) {
      closest.push(name);
    }
  }
  if (closest.length > 0) return `; did you mean ${quoted(closest.slice(0, 3), prefix)}?`;

  if (wanted.length >= 4) {
    const containing = known.filter((name) => normalizeOptionName(name).includes(wanted));
    if (containing.length > 0) return `; did you mean ${quoted(containing.slice(0, 5), prefix)}?`;
  }
  return undefined;
}
