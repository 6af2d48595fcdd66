import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ZipArchive } from './zip.js';

/** The message definition files and where they came from. */
export interface SpecSource {
  /** File name -> JSON text (`MetadataRequest.json` -> ...). */
  readonly files: ReadonlyMap<string, string>;
  /** Kafka version (`4.4.0`), when known. */
  readonly kafkaVersion: string | undefined;
  /** Kafka commit id, when known. */
  readonly kafkaCommit: string | undefined;
  /** Where the definitions were read, as named in generated file headers (`kafka-clients-4.4.0.jar`). */
  readonly origin: string;
  /** Path prefix of each definition inside the origin (`common/message/`). */
  readonly prefix: string;
}

const MESSAGE_DIR = 'common/message/';

/** Reads `common/message/*.json` and `kafka/kafka-version.properties` out of a kafka-clients jar. */
export function readSpecsFromJar(jar: string): SpecSource {
  const zip = new ZipArchive(readFileSync(jar), jar);
  const files = new Map<string, string>();
  for (const name of zip.list(MESSAGE_DIR)) {
    if (name.endsWith('.json')) files.set(name.slice(MESSAGE_DIR.length), zip.readText(name));
  }
  if (files.size === 0) throw new Error(`${jar} holds no ${MESSAGE_DIR}*.json message definitions`);
  let props = '';
  if (zip.entries.has('kafka/kafka-version.properties')) props = zip.readText('kafka/kafka-version.properties');
  const prop = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(props)?.[1]?.trim();
  return {
    files,
    kafkaVersion: prop('version'),
    kafkaCommit: prop('commitId'),
    origin: basename(jar),
    prefix: MESSAGE_DIR,
  };
}

/** Reads `*.json` message definitions from a directory (the `--specs` fallback). */
export function readSpecsFromDirectory(dir: string): SpecSource {
  const files = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.json')) files.set(name, readFileSync(join(dir, name), 'utf8'));
  }
  if (files.size === 0) throw new Error(`${dir} holds no *.json message definitions`);
  return { files, kafkaVersion: undefined, kafkaCommit: undefined, origin: basename(dir), prefix: '' };
}
