/** Free loopback ports, found by letting the kernel pick (bind port 0) and releasing them. */
import net from 'node:net';

const HOST = '127.0.0.1';

function listenEphemeral(): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => resolve(server));
  });
}

/**
 * `count` distinct ports. All are held open until every one is known, so the kernel cannot hand
 * the same port out twice; the window between release and the child's bind is small.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listenEphemeral());
    return servers.map((s) => {
      const address = s.address();
      if (address === null || typeof address === 'string') throw new Error('ephemeral port: no TCP address');
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}
