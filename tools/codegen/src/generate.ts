import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  emitApiFiles,
  emitIndexFile,
  emitMessageFiles,
  emitSchemaFile,
  type GeneratedFile,
  type Provenance,
} from './emit/files.js';
import { dumpKafkaErrors, emitBrokerErrors, emitErrorCodes } from './errors/error-table.js';
import { selectMessages } from './select.js';
import { type KafkaClientsJar, locateKafkaClientsJar } from './source/kafka-jar.js';
import { readSpecsFromDirectory, readSpecsFromJar, type SpecSource } from './source/spec-source.js';
import { loadMessageSpec, type MessageSpec } from './spec/model.js';

/** The tools/codegen directory. */
export const CODEGEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The repository root. */
export const REPO_ROOT = join(CODEGEN_DIR, '..', '..');
/** Where message codecs go, relative to the repository root. */
export const MESSAGES_DIR = 'packages/core/src/protocol/messages/generated';
/** Where the error table goes, relative to the repository root. */
export const ERRORS_DIR = 'packages/core/src/errors';

/** Options of {@link generate}. */
export interface GenerateOptions {
  /** Read the JSON definitions from this directory instead of the jar (fallback input). */
  readonly specsDir?: string;
  /** Progress messages. */
  readonly log?: (message: string) => void;
}

/** Everything the generator produces, by path relative to the repository root. */
export interface Generated {
  readonly files: GeneratedFile[];
  /** Directories whose files are all generated (stale files there are deleted). */
  readonly ownedDirectories: string[];
  /** Generated files outside owned directories. */
  readonly ownedFiles: string[];
  readonly source: SpecSource;
}

/** Reads Kafka's definitions and error table and returns the generated files (not yet formatted). */
export async function generate(options: GenerateOptions = {}): Promise<Generated> {
  const log = options.log ?? (() => {});
  let jar: KafkaClientsJar | undefined;
  try {
    jar = await locateKafkaClientsJar({ cwd: REPO_ROOT });
    log(`kafka-clients jar: ${jar.jar} (from ${jar.source})`);
  } catch (error) {
    if (options.specsDir === undefined) throw error;
    log(`no kafka-clients jar (${(error as Error).message}); the error table will not be regenerated`);
  }
  const source = options.specsDir !== undefined ? readSpecsFromDirectory(options.specsDir) : readSpecsFromJar(jar!.jar);
  log(`${source.files.size} message definitions from ${source.origin} (Kafka ${source.kafkaVersion ?? 'unknown'})`);
  const specs: MessageSpec[] = [];
  for (const [name, text] of source.files) specs.push(loadMessageSpec(text, name));
  const selection = selectMessages(specs);
  log(`${selection.apis.length} client-facing APIs; ${selection.excluded.length} left out`);
  const provenance: Provenance = {
    kafkaVersion: source.kafkaVersion,
    kafkaCommit: source.kafkaCommit,
    origin: source.origin,
    prefix: source.prefix,
  };
  const files: GeneratedFile[] = [];
  const inMessages = (f: GeneratedFile): GeneratedFile => ({ path: `${MESSAGES_DIR}/${f.path}`, contents: f.contents });
  for (const api of selection.apis) files.push(...emitApiFiles(api, provenance).map(inMessages));
  for (const single of selection.singles) files.push(...emitMessageFiles(single, provenance).map(inMessages));
  const all = [...selection.apis.flatMap((a) => [a.request, a.response]), ...selection.singles];
  files.push(inMessages(emitSchemaFile(all, provenance)));
  files.push(inMessages(emitIndexFile(selection.apis, selection.singles, provenance)));
  const ownedFiles: string[] = [];
  if (jar !== undefined) {
    const table = await dumpKafkaErrors(CODEGEN_DIR, jar.classpath);
    log(`${table.length} error codes from ${jar.jar}`);
    const origin = source.origin.endsWith('.jar') ? source.origin : jar.jar.split(/[\\/]/).pop()!;
    files.push({ path: `${ERRORS_DIR}/error-codes.generated.ts`, contents: emitErrorCodes(table, origin) });
    files.push({ path: `${ERRORS_DIR}/broker-errors.generated.ts`, contents: emitBrokerErrors(table, origin) });
    ownedFiles.push(`${ERRORS_DIR}/error-codes.generated.ts`, `${ERRORS_DIR}/broker-errors.generated.ts`);
  }
  return { files, ownedDirectories: [MESSAGES_DIR], ownedFiles, source };
}
