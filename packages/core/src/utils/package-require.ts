import { createRequire } from 'node:module';

/**
 * A `require` that resolves from this package's own folder, for the few places that need a dependency's file path
 * (worker threads load the native codecs by path). The CommonJS build replaces this module with
 * `package-require.cjs` (`tools/scripts/build-package.mjs`), since `import.meta` exists only in ES modules.
 */
// biome-ignore lint/suspicious/noTsIgnore: the error is the CommonJS build's only (there this file is replaced).
// @ts-ignore -- import.meta is valid here; the CommonJS build swaps this file for package-require.cjs.
export const packageRequire: NodeJS.Require = createRequire(import.meta.url);

/** The file `specifier` resolves to from this package, or `undefined` where it cannot be resolved (in a bundle). */
export function resolvePackageFile(specifier: string): string | undefined {
  try {
    return packageRequire.resolve(specifier);
  } catch {
    return undefined;
  }
}
