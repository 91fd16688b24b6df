/**
 * HTTP at the socket level, for what fetch cannot do: hold a request on its way (its headers or
 * its body's last byte not yet sent), or ask whether a port still accepts connections.
 */
import { connect, type Socket } from 'node:net';

/** Whether something accepts a TCP connection on the loopback port right now. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

export interface HeldRequest {
  /** Everything the server sent, once it has closed the connection (the request asks it to). */
  readonly answer: Promise<string>;
  /** Sends the byte held back, which completes the request. */
  finish(): void;
  destroy(): void;
}

/**
 * Sends an HTTP/1.1 request but its body's last byte, so that the server has it in flight (headers
 * read, body incomplete) until `finish()`. Resolves once the rest has been handed to the kernel.
 */
export function heldRequest(
  port: number,
  request: { method: string; path: string; body: string; headers?: Record<string, string> },
): Promise<HeldRequest> {
  const body = Buffer.from(request.body);
  if (body.length === 0) throw new Error('a held request needs a body to hold back');
  const head = [
    `${request.method} ${request.path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${body.length}`,
    ...Object.entries(request.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');
  return sendPart(port, Buffer.concat([Buffer.from(head), body.subarray(0, -1)]))
    .then(async (sent) => {
      // In the kernel is not yet read by the server: on a busy machine a SIGTERM sent at once could
      // find the connection still idle, with no request in flight. Give the server a moment to read
      // the head (this only waits; nothing here measures time).
      await new Promise((resolve) => setTimeout(resolve, 300));
      return sent;
    })
    .then((sent) => ({ ...sent, finish: () => sent.socket.write(body.subarray(-1)) }));
}

/** A request whose headers never end (no blank line): what a client trickling them looks like. */
export function unfinishedHeaders(port: number): Promise<Omit<HeldRequest, 'finish'>> {
  return sendPart(port, Buffer.from('GET /api/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '));
}

/** Connects and sends `part`; resolves once it is with the kernel, with all the server says until it closes. */
function sendPart(port: number, part: Buffer): Promise<Omit<HeldRequest, 'finish'> & { socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const answer = new Promise<string>((done) =>
      socket.once('close', () => {
        done(received);
      }),
    );
    socket.on('error', reject);
    socket.once('connect', () => {
      socket.write(part, (error) => {
        if (error) reject(error);
        else resolve({ socket, answer, destroy: () => socket.destroy() });
      });
    });
  });
}
