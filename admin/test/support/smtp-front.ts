/**
 * An SMTP address that the test controls, in front of the run's MailDev: "refuse" answers every
 * connection with a 554 greeting (a real refusal, as a provider gives), "forward" pipes it to
 * MailDev. Start it before the panel, which reads SMTP_URL when it starts.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface SmtpFront {
  mode: 'refuse' | 'forward';
  /** smtp://127.0.0.1:<port>, set once beforeAll has run. */
  readonly env: Record<string, string>;
}

export function useSmtpFront(): SmtpFront {
  const front: SmtpFront = { mode: 'refuse', env: {} };
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    const maildev = new URL(process.env.TEST_SMTP_URL!);
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      if (front.mode === 'refuse') {
        socket.end('554 5.3.2 mail.example.test refuses service for this test\r\n');
        return;
      }
      const upstream = connect(Number(maildev.port), maildev.hostname);
      socket.pipe(upstream).pipe(socket);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    front.env.SMTP_URL = `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server?.close(resolve));
  });
  return front;
}
