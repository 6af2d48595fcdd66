import { createServer, type Server } from 'node:net';

/** The loopback address every listener of the harness binds to. */
export const LOOPBACK = '127.0.0.1';

/**
 * Finds `count` distinct free TCP ports on 127.0.0.1 by binding that many servers to port 0 at once and closing
 * them. Another process can still take a port before Kafka binds it; the cluster start retries once with new ports
 * when that happens.
 */
export async function allocatePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: LOOPBACK, port: 0, exclusive: true }, () => resolve());
      });
    }
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new TypeError('TCP server has no port');
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}
