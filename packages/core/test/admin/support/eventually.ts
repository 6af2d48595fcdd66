/**
 * Polls `probe` (which asserts) until it passes or `timeoutMs` passes; rethrows its last failure then. For state
 * the brokers apply asynchronously: with KRaft, a config change or a group change is committed by the controller
 * or the coordinator and reaches each broker's view a moment later.
 */
export async function eventually<T>(probe: () => Promise<T>, timeoutMs = 20_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
