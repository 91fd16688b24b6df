/**
 * A TCP relay between a process and the run's PostgreSQL that watches, for each connection, how
 * the client left: with the protocol's Terminate message (a pool that was closed), or by just
 * dropping the socket (a process that exited with its pool open). PostgreSQL itself cannot tell a
 * test which it was.
 */
import { connect, createServer, type Socket } from 'node:net';

/** Frontend message 'X' (Terminate): type byte and a length of 4. */
const TERMINATE = Buffer.from([0x58, 0, 0, 0, 4]);

export interface PgRelay {
  /** DATABASE_URL for the process to watch. */
  readonly url: string;
  /** One entry per connection the process opened: resolves once the client has gone. */
  readonly connections: Promise<{ terminated: boolean }>[];
  close(): Promise<void>;
}

export async function startPgRelay(databaseUrl: string): Promise<PgRelay> {
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  const connections: PgRelay['connections'] = [];
  const server = createServer((client) => {
    const upstream = connect({ host: target.hostname, port: Number(target.port) });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    }
    let tail = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      tail = Buffer.concat([tail, chunk]).subarray(-TERMINATE.length);
    });
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    connections.push(
      new Promise((resolve) =>
        client.once('close', () => {
          resolve({ terminated: tail.equals(TERMINATE) });
        }),
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the relay is not listening on TCP');
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(address.port);
  return {
    url: url.toString(),
    connections,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
