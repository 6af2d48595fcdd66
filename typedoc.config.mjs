// API reference of the published packages (`npm run docs`, also run by `npm test`): TypeDoc over each package's
// public entry (src/index.ts), into docs/api (not committed). Every warning fails the build: a public symbol
// without a doc comment, a link that does not resolve, a type the public surface uses but does not export.
// A package's own typedoc.json adds to `packageOptions` (packages/core/typedoc.json).
/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: 'Vltava',
  entryPoints: ['packages/core', 'packages/rx', 'packages/streams', 'packages/kafkajs', 'packages/otel'],
  entryPointStrategy: 'packages',
  packageOptions: {
    entryPoints: ['src/index.ts'],
    // The build config (no tests), with the workspace packages resolved to their sources so that links between
    // packages point at the documented symbols.
    tsconfig: 'tsconfig.build.json',
    compilerOptions: { customConditions: ['@vltava/source'] },
    excludeExternals: true,
    excludeInternal: true,
    excludeProtected: true,
    readme: 'README.md',
  },
  readme: 'README.md',
  // Members that override Node's (`Writable.write`, ...) link to Node's documentation.
  externalSymbolLinkMappings: { '@types/node': { '*': 'https://nodejs.org/api/' } },
  out: 'docs/api',
  treatWarningsAsErrors: true,
  // The packages whose symbols must be documented.
  packagesRequiringDocumentation: ['@vltava/core', '@vltava/rx', '@vltava/streams', '@vltava/kafkajs', '@vltava/otel'],
  // notDocumented is tools/typedoc/require-docs.mjs's (it says what counts as a public symbol and why).
  validation: { notExported: true, invalidLink: true, invalidPath: true, rewrittenLink: true, notDocumented: false },
  plugin: ['./tools/typedoc/require-docs.mjs'],
};
