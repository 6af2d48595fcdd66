import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { CODEGEN_DIR, REPO_ROOT } from './generate.js';
import { locateKafkaClientsJar } from './source/kafka-jar.js';

const run = promisify(execFile);

/** Where the captured bytes go. */
export const FIXTURE = 'packages/core/src/protocol/messages/known-answers.fixture.ts';

/**
 * `npm run codegen:fixtures`: runs `java/KnownAnswers.java`, which serializes a few messages with Kafka's own
 * classes, and writes the bytes it prints as the known-answer fixture of the codec tests.
 */
async function main(): Promise<void> {
  const jar = await locateKafkaClientsJar({ cwd: REPO_ROOT });
  const source = join(CODEGEN_DIR, 'java', 'KnownAnswers.java');
  const { stdout } = await run('java', ['-cp', jar.classpath.join(delimiter), source], { maxBuffer: 16 << 20 });
  const cases = stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { name: string; version: number; hex: string });
  const jarName = jar.jar.split(/[\\/]/).pop();
  const lines = [
    "// Known answers: bytes produced by Apache Kafka's own message classes (the `*Data` classes with",
    `// ObjectSerializationCache) from ${jarName}, by tools/codegen/java/KnownAnswers.java.`,
    '// Regenerate with `npm run codegen:fixtures`; the values serialized are mirrored in known-answers.test.ts.',
    '',
    '/** One message serialized by Kafka: its name, version and bytes in hex. */',
    'export interface KnownAnswer {',
    '  readonly name: string;',
    '  readonly version: number;',
    '  readonly hex: string;',
    '}',
    '',
    '/** The captured encodings. */',
    'export const KNOWN_ANSWERS: readonly KnownAnswer[] = [',
    ...cases.map((c) => `  { name: ${JSON.stringify(c.name)}, version: ${c.version}, hex: ${JSON.stringify(c.hex)} },`),
    '];',
    '',
  ];
  const target = join(REPO_ROOT, FIXTURE);
  writeFileSync(target, lines.join('\n').replaceAll('"', "'"));
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  await run(process.execPath, [require.resolve('@biomejs/biome/bin/biome'), 'format', '--write', target], {
    cwd: REPO_ROOT,
  });
  console.error(`codegen: ${cases.length} known answers written to ${FIXTURE}`);
}

main().catch((error: unknown) => {
  console.error(`codegen: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
