import { type NativeCrc32c, setNativeCrc32c } from './crc32c.js';

/** Package name of the optional native CRC-32C, imported by a computed specifier so that it stays optional. */
const NODE_RS_CRC32 = '@node-rs/crc32';

let loading: Promise<boolean> | undefined;

/**
 * Loads the native CRC-32C of the optional package `@node-rs/crc32` (prebuilt for common platforms) and installs
 * it for long inputs. Resolves to whether it loaded; never rejects (the JavaScript CRC stays in use).
 */
export function loadNativeCrc32c(): Promise<boolean> {
  loading ??= (async () => {
    try {
      const specifier: string = NODE_RS_CRC32;
      const module = (await import(specifier)) as { crc32c?: NativeCrc32c; default?: { crc32c?: NativeCrc32c } };
      const fn = module.crc32c ?? module.default?.crc32c;
      if (typeof fn !== 'function') return false;
      setNativeCrc32c(fn);
      return true;
    } catch {
      return false;
    }
  })();
  return loading;
}
