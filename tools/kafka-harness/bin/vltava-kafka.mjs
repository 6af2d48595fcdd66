#!/usr/bin/env node
// The `vltava-kafka` command: registers tsx so that Node runs the harness's TypeScript sources, then hands over to
// the CLI. See tools/kafka-harness/README.md.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
