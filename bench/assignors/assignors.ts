/**
 * Time of one `assign` call of each built-in assignor, median over repeated runs after a warm-up, for groups of
 * 2,000 partitions over 100 members (the target: well under 100 ms) and a larger group for scale:
 *
 * - fresh: nobody owns anything yet;
 * - steady: every member owns what the assignor gave it last time (nothing changed);
 * - member left: steady state, then one member leaves;
 * - skewed: one member owns every partition and the others join (the general case's worst move count);
 * - with identical subscriptions (constrained algorithm), mixed subscriptions (general algorithm), and racks.
 *
 *   npx tsx bench/assignors/assignors.ts [--quick]
 */
import {
  createAssignor,
  type GroupMemberSubscription,
  type MemberAssignment,
  type TopicPartitionInfo,
} from '../../packages/core/src/consumer/assignors/index.js';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 5 : 21;
const RACKS = ['rack-a', 'rack-b', 'rack-c'];

interface Group {
  readonly members: GroupMemberSubscription[];
  readonly topics: Map<string, TopicPartitionInfo[]>;
}

function makeGroup(options: {
  topics: number;
  partitionsPerTopic: number;
  members: number;
  mixed: boolean;
  racks: boolean;
}): Group {
  const topics = new Map<string, TopicPartitionInfo[]>();
  for (let t = 0; t < options.topics; t++) {
    topics.set(
      `topic-${t}`,
      Array.from({ length: options.partitionsPerTopic }, (_, partition) => ({
        partition,
        // Replication factor 2 over 3 racks.
        replicaRacks: options.racks ? [RACKS[(partition + t) % 3]!, RACKS[(partition + t + 1) % 3]!] : [],
      })),
    );
  }
  const names = [...topics.keys()];
  const members = Array.from({ length: options.members }, (_, m) => ({
    memberId: `consumer-${m}-${(m * 7919) % 10007}`,
    groupInstanceId: null,
    // Mixed: half the members subscribe to everything, the others to two thirds of the topics.
    topics: options.mixed && m % 2 === 1 ? names.filter((_, t) => t % 3 !== m % 3) : names,
    userData: null,
    ownedPartitions: [],
    generationId: -1,
    rackId: options.racks ? RACKS[m % 3]! : null,
  }));
  return { members, topics };
}

/** The group one generation later, every member owning (and, for eager sticky, reporting) its assignment. */
function owning(group: Group, assignment: Map<string, MemberAssignment>, name: string, generation: number): Group {
  const members = group.members.map((m) => {
    const own = assignment.get(m.memberId)!;
    const instance = createAssignor(name);
    instance.onAssignment?.(own, generation);
    const owned = name === 'sticky' ? [] : own.partitions;
    return {
      ...m,
      ownedPartitions: owned,
      generationId: generation,
      userData: instance.subscriptionUserData?.(m.topics, owned, generation) ?? null,
    };
  });
  return { members, topics: group.topics };
}

/** Median and minimum time of `run`, in ms, as "median (min)". */
function timeMs(run: () => void, runs: number): string {
  for (let i = 0; i < Math.min(3, runs); i++) run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return `${times[Math.floor(times.length / 2)]!.toFixed(2)} (${times[0]!.toFixed(2)})`;
}

function spread(assignment: Map<string, MemberAssignment>): string {
  const counts = [...assignment.values()].map((a) => a.partitions.length);
  return `${Math.min(...counts)}..${Math.max(...counts)}`;
}

function moved(before: Map<string, MemberAssignment>, after: Map<string, MemberAssignment>): number {
  let count = 0;
  for (const [id, a] of after) {
    const previous = new Set(before.get(id)?.partitions.map((p) => `${p.topic}-${p.partition}`) ?? []);
    for (const p of a.partitions) if (!previous.has(`${p.topic}-${p.partition}`)) count++;
  }
  return count;
}

const rows: Record<string, string | number>[] = [];

function bench(label: string, group: Group, names: readonly string[], runs = RUNS): void {
  for (const name of names) {
    const fresh = createAssignor(name).assign(group.members, group.topics);
    rows.push({
      group: label,
      case: 'fresh',
      assignor: name,
      'ms, median (min)': timeMs(() => createAssignor(name).assign(group.members, group.topics), runs),
      'min..max partitions': spread(fresh),
      'newly assigned': '-',
    });
    if (name !== 'sticky' && name !== 'cooperative-sticky') continue;

    const steady = owning(group, fresh, name, 1);
    const again = createAssignor(name).assign(steady.members, steady.topics);
    rows.push({
      group: label,
      case: 'steady',
      assignor: name,
      'ms, median (min)': timeMs(() => createAssignor(name).assign(steady.members, steady.topics), runs),
      'min..max partitions': spread(again),
      'newly assigned': moved(fresh, again),
    });

    const left = { members: steady.members.slice(1), topics: steady.topics };
    const afterLeave = createAssignor(name).assign(left.members, left.topics);
    rows.push({
      group: label,
      case: 'member left',
      assignor: name,
      'ms, median (min)': timeMs(() => createAssignor(name).assign(left.members, left.topics), runs),
      'min..max partitions': spread(afterLeave),
      'newly assigned': moved(fresh, afterLeave),
    });

    const all = [...group.topics].flatMap(([topic, infos]) => infos.map(({ partition }) => ({ topic, partition })));
    const skewed = {
      members: group.members.map((m, i) =>
        i === 0
          ? { ...m, ownedPartitions: all, generationId: 1, userData: null }
          : { ...m, generationId: 1, userData: null },
      ),
      topics: group.topics,
    };
    const afterSkew = createAssignor(name).assign(skewed.members, skewed.topics);
    rows.push({
      group: label,
      case: 'skewed',
      assignor: name,
      'ms, median (min)': timeMs(() => createAssignor(name).assign(skewed.members, skewed.topics), runs),
      'min..max partitions': spread(afterSkew),
      'newly assigned': '-',
    });
  }
}

const ALL = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'] as const;
const base = { topics: 20, partitionsPerTopic: 100, members: 100 };
bench('2000p/100m identical', makeGroup({ ...base, mixed: false, racks: false }), ALL);
bench('2000p/100m mixed', makeGroup({ ...base, mixed: true, racks: false }), ALL);
bench('2000p/100m identical+racks', makeGroup({ ...base, mixed: false, racks: true }), ALL);
bench('2000p/100m mixed+racks', makeGroup({ ...base, mixed: true, racks: true }), [
  'range',
  'sticky',
  'cooperative-sticky',
]);
if (!quick) {
  const large = { topics: 50, partitionsPerTopic: 200, members: 1000 };
  bench('10000p/1000m identical', makeGroup({ ...large, mixed: false, racks: false }), ALL, 5);
  bench('10000p/1000m mixed', makeGroup({ ...large, mixed: true, racks: false }), ['sticky', 'cooperative-sticky'], 3);
}

console.log(`\nassign() time, Node ${process.version}, median of ${RUNS} runs after warm-up (large groups: 3-5 runs)`);
const columns = Object.keys(rows[0]!);
const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
console.log(line(columns));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows) console.log(line(columns.map((c) => String(row[c]))));
