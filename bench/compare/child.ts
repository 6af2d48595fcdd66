/**
 * One client run in its own process: `node --conditions=@vltava/source --import tsx child.ts <driver> <variant> <peerDir>
 * <job JSON>`. Loads the driver (its modules are not counted), then measures the client's CPU time from creating
 * it to closing it (`process.cpuUsage()`), and the process's peak RSS (`process.resourceUsage().maxRSS`), and prints
 * one result line.
 */
import type { DriverLoader, Measured } from './drivers/driver.js';
import { type Job, type JobResult, RESULT_PREFIX } from './job.js';

const drivers: Record<string, () => Promise<{ load: DriverLoader }>> = {
  vltava: () => import('./drivers/vltava.js'),
  'vltava-rx': () => import('./drivers/vltava-rx.js'),
  'vltava-streams': () => import('./drivers/vltava-streams.js'),
  kafkajs: () => import('./drivers/kafkajs.js'),
  'vltava-kafkajs': () => import('./drivers/vltava-kafkajs.js'),
  platformatic: () => import('./drivers/platformatic.js'),
  confluent: () => import('./drivers/confluent.js'),
};

async function main(): Promise<void> {
  const [name, variant, peerDir, jobJson] = process.argv.slice(2);
  const loader = drivers[name ?? ''];
  if (loader === undefined || peerDir === undefined || jobJson === undefined) {
    throw new Error(`usage: child.ts <${Object.keys(drivers).join('|')}> <variant|-> <peerDir> <job JSON>`);
  }
  const job = JSON.parse(jobJson) as Job;
  const driver = await (await loader()).load(peerDir, variant === '-' ? undefined : variant);
  const run = driver[job.kind] as ((job: Job) => Promise<Measured>) | undefined;
  if (run === undefined) throw new Error(`${name} has no ${job.kind} benchmark`);
  const cpu = process.cpuUsage();
  const measured = await run.call(driver, job);
  const used = process.cpuUsage(cpu);
  const result: JobResult = {
    ...measured,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`, () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
