import { describe, expect, it } from 'vitest';
import type { Connection } from '../network/connection.js';
import { DeleteTopics } from '../protocol/messages/generated/delete-topics.js';
import type { AdminCall } from './admin-call.js';
import { exchange } from './admin-exchange.js';
import type { AdminRouter, VersionNeeds } from './admin-request.js';

/** A router that negotiates `version` and records what it is asked to send. */
function recordingRouter(version: number) {
  const sent: Array<{ request: unknown; version: number }> = [];
  const needsSeen: Array<VersionNeeds | undefined> = [];
  const router: Pick<AdminRouter, 'negotiate' | 'send'> = {
    negotiate: (_connection, _api, needs) => {
      needsSeen.push(needs);
      return version;
    },
    send: async (_call, _connection, _api, request, v) => {
      sent.push({ request, version: v });
      return { throttleTimeMs: 0, responses: [] } as never;
    },
  };
  return { router, sent, needsSeen };
}

describe('exchange', () => {
  const call = {} as AdminCall;
  const connection = {} as Connection;

  it('builds the request for the negotiated version and sends it in that version', async () => {
    for (const version of [5, 6]) {
      const { router, sent, needsSeen } = recordingRouter(version);
      const needs = { minVersion: 1, feature: 'test' };
      await exchange(router, call, connection, {
        api: DeleteTopics,
        needs,
        request: (v) =>
          v >= 6 ? { topics: [{ name: 'a', topicId: '' }], timeoutMs: 10 } : { topicNames: ['a'], timeoutMs: 10 },
      });
      expect(needsSeen).toEqual([needs]);
      expect(sent).toEqual([
        {
          version,
          request:
            version >= 6
              ? { topics: [{ name: 'a', topicId: '' }], timeoutMs: 10 }
              : { topicNames: ['a'], timeoutMs: 10 },
        },
      ]);
    }
  });
});
