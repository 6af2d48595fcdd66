import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The harness's cache directory: `VLTAVA_CACHE_DIR` when set, else `$XDG_CACHE_HOME/vltava`, else
 * `~/.cache/vltava`. It holds the Maven repository of Kafka's jars (`m2/`), the resolved classpath
 * (`kafka-<version>/`) and the state of clusters started by the CLI (`run/`).
 */
export function harnessCacheDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const explicit = env.VLTAVA_CACHE_DIR;
  if (explicit !== undefined && explicit !== '') return resolve(explicit);
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && xdg !== '') return join(resolve(xdg), 'vltava');
  return join(home, '.cache', 'vltava');
}
