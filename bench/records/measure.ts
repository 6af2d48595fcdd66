/**
 * Timing helpers shared by the record benchmarks: run a function until a time budget is spent (after a warm-up)
 * and report operations per second; print aligned tables.
 */

/** Runs `fn` for about `budgetMs` after a warm-up of a fifth of that; returns calls per second. */
export function opsPerSecond(fn: () => unknown, budgetMs = 400): number {
  const warmUntil = performance.now() + budgetMs / 5;
  while (performance.now() < warmUntil) fn();
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < budgetMs) {
    for (let i = 0; i < 8; i++) fn();
    calls += 8;
    now = performance.now();
  }
  return (calls * 1000) / (now - start);
}

/** As {@link opsPerSecond} for an async function, one call at a time (or `parallel` at once). */
export async function asyncOpsPerSecond(fn: () => Promise<unknown>, budgetMs = 400, parallel = 1): Promise<number> {
  const run = async (until: number): Promise<number> => {
    let calls = 0;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (performance.now() < until) {
          await fn();
          calls++;
        }
      }),
    );
    return calls;
  };
  await run(performance.now() + budgetMs / 5);
  const start = performance.now();
  const calls = await run(start + budgetMs);
  return (calls * 1000) / (performance.now() - start);
}

/** Prints rows as an aligned table with a header. */
export function printTable(title: string, rows: Record<string, string | number>[]): void {
  console.log(`\n${title}`);
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const cells = rows.map((row) => columns.map((c) => String(row[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padStart(widths[i]!)).join(' | ')} |`;
  console.log(line(columns));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of cells) console.log(line(r));
}

/** Formats a rate with a unit suffix: 1234567 -> "1.23 M". */
export function si(value: number): string {
  if (value >= 1e9) return `${(value / 1e9).toFixed(2)} G`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)} k`;
  return value.toFixed(0);
}

/** JSON-like text of about `size` bytes, compressible about as much as typical event payloads. */
export function payload(size: number, seed: number): Buffer {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s;
  };
  let text = '';
  while (text.length < size) {
    text += JSON.stringify({
      id: next() % 1_000_000,
      user: `user-${next() % 5000}`,
      event: ['click', 'view', 'purchase', 'scroll'][next() % 4],
      ts: 1_700_000_000_000 + (next() % 100_000),
      amount: (next() % 100_000) / 100,
    });
  }
  return Buffer.from(text.slice(0, size));
}
