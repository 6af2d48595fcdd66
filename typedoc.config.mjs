// API reference of the published packages (`npm run docs`, also run by `npm test`): TypeDoc over each package's
// public entry (src/index.ts), into docs/api (not committed). Every warning fails the build: a public symbol
// without a doc comment, a link that does not resolve, a type the public surface uses but does not export.
// A package's own typedoc.json adds to `packageOptions` (packages/core/typedoc.json).
import { readFileSync } from 'node:fs';

// Source links without asking git: a checkout without a remote (CI clones, worktrees) made TypeDoc warn "The provided
// git remote origin was not valid", which fails the build. The links are built from the repository URL the packages
// publish (package.json `repository`), on the main branch.
const repository = JSON.parse(
  readFileSync(new URL('./packages/core/package.json', import.meta.url), 'utf8'),
).repository;
const repositoryUrl = repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

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
    // Each package is converted on its own: it needs the source-link settings too.
    disableGit: true,
    sourceLinkTemplate: `${repositoryUrl}/blob/main/{path}#L{line}`,
  },
  readme: 'README.md',
  // Members that override Node's (`Writable.write`, ...) link to Node's documentation.
  externalSymbolLinkMappings: { '@types/node': { '*': 'https://nodejs.org/api/' } },
  disableGit: true,
  sourceLinkTemplate: `${repositoryUrl}/blob/main/{path}#L{line}`,
  // TypeDoc's defaults, plus diff (the kafkajs README shows the one-line migration as a diff).
  highlightLanguages: [
    'bash',
    'console',
    'css',
    'diff',
    'html',
    'javascript',
    'json',
    'jsonc',
    'json5',
    'tsx',
    'typescript',
  ],
  out: 'docs/api',
  treatWarningsAsErrors: true,
  // The packages whose symbols must be documented.
  packagesRequiringDocumentation: ['@vltava/core', '@vltava/rx', '@vltava/streams', '@vltava/kafkajs', '@vltava/otel'],
  // notDocumented is tools/typedoc/require-docs.mjs's (it says what counts as a public symbol and why).
  validation: { notExported: true, invalidLink: true, invalidPath: true, rewrittenLink: true, notDocumented: false },
  plugin: ['./tools/typedoc/require-docs.mjs'],
};
