import { defineConfig } from 'vitest/config';

/**
 * Two projects:
 * - `unit`: pure tests next to the code (`src/**\/*.test.ts`, the examples' too); no broker.
 * - `integration`: suites under `test/` of each package, tool and example; the global setup starts a real
 *   Apache Kafka broker with the harness (or uses `KAFKA_BROKERS`) and hands its address to the suites.
 *
 * Workspace packages resolve to their TypeScript sources through the `@vltava/source` export condition, so tests never
 * depend on a stale build.
 */
const resolve = { conditions: ['@vltava/source', 'import', 'node', 'default'] };

export default defineConfig({
  resolve,
  ssr: { resolve: { conditions: resolve.conditions, externalConditions: ['@vltava/source'] } },
  test: {
    projects: [
      {
        resolve,
        ssr: { resolve: { conditions: resolve.conditions, externalConditions: ['@vltava/source'] } },
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'tools/*/src/**/*.test.ts',
            'examples/src/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
          testTimeout: 30_000,
          // Projects with different maxWorkers must run in separate groups: unit tests first, then integration.
          sequence: { groupOrder: 0 },
        },
      },
      {
        resolve,
        ssr: { resolve: { conditions: resolve.conditions, externalConditions: ['@vltava/source'] } },
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.test.ts', 'tools/*/test/**/*.test.ts', 'examples/test/**/*.test.ts'],
          globalSetup: ['tools/kafka-harness/src/vitest/global-setup.ts'],
          // Fails a test during which anything escaped as an unhandled rejection or uncaught exception.
          setupFiles: ['tools/kafka-harness/src/vitest/unhandled-guard-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Suites share one broker; each uses its own topics and groups. Two cores: keep parallelism modest.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
