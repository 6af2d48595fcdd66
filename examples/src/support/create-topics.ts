import { Admin } from '@vltava/core';

/**
 * Creates topics with the admin client and waits until every broker knows them (the quickstart shows the same
 * steps written out).
 */
export async function createTopics(brokers: string, topics: readonly string[], numPartitions: number): Promise<void> {
  const admin = new Admin({ brokers });
  try {
    const results = await admin.createTopics(
      topics.map((topic) => ({ topic, numPartitions })),
      { waitForMetadata: true },
    );
    for (const result of results) if (result.error !== undefined) throw result.error;
  } finally {
    await admin.close();
  }
}
