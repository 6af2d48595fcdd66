import { Admin } from '../../../src/index.js';

/** Sets share-group configs (group config resource) through the admin client; throws what the broker said. */
export async function setShareGroupConfigs(
  brokers: string,
  groupId: string,
  configs: Record<string, string>,
): Promise<void> {
  await using admin = new Admin({ brokers, logLevel: 'error' });
  const [result] = await admin.incrementalAlterConfigs([
    {
      resource: { type: 'group', name: groupId },
      ops: Object.entries(configs).map(([name, value]) => ({ name, op: 'set' as const, value })),
    },
  ]);
  if (result?.error !== undefined) throw result.error;
}
