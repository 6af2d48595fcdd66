#!/usr/bin/env node
// The API reports of the published packages (etc/api/<package>.api.md), by api-extractor from each package's built
// declarations (run `npm run build` first). `node tools/scripts/check-api.mjs` (npm run check:api, part of npm test)
// fails when a report differs from what the declarations say, so that a public API change is committed with its
// report and reviewed in its diff; `--update` (npm run api:update) rewrites the reports.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
const PACKAGES = ['core', 'rx', 'streams', 'kafkajs', 'otel'];
const update = process.argv.includes('--update');

let failed = false;
for (const name of PACKAGES) {
  const folder = join(repoRoot, 'packages', name);
  if (!existsSync(join(folder, 'dist/cjs/index.d.ts'))) {
    console.error(`FAIL @vltava/${name}: no dist/cjs/index.d.ts (run npm run build first)`);
    failed = true;
    continue;
  }
  const config = ExtractorConfig.loadFileAndPrepare(join(folder, 'api-extractor.json'));
  const result = Extractor.invoke(config, { localBuild: update, showVerboseMessages: false });
  const report = `etc/api/${name}.api.md`;
  if (!result.succeeded) {
    failed = true;
    console.error(
      `FAIL @vltava/${name}: ${result.errorCount} errors, ${result.warningCount} warnings` +
        (result.apiReportChanged ? `; the public API differs from ${report}: review it, then npm run api:update` : ''),
    );
  } else {
    console.log(`${update && result.apiReportChanged ? 'updated' : 'ok'} @vltava/${name}: ${report}`);
  }
}
process.exit(failed ? 1 : 0);
