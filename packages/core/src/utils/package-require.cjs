'use strict';
// CommonJS build of package-require.ts (copied over its compiled output by tools/scripts/build-package.mjs): this
// module's own `require` already resolves from the package's folder.
Object.defineProperty(exports, '__esModule', { value: true });
exports.packageRequire = require;
exports.resolvePackageFile = (specifier) => {
  try {
    return require.resolve(specifier);
  } catch {
    return undefined;
  }
};
