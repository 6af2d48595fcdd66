// Entry point of the `vltava-kafka` command (bin/vltava-kafka.mjs loads it through tsx).
import { runCli } from './cli/run-cli.js';

const code = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
process.exitCode = code;
