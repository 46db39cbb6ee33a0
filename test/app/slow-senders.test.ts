import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runEntryPoint } from '../support/spawn-process.js';

/**
 * Written before the fix, from the finding: 25 sockets that sent a request's
 * headers and then its body a byte at a time were none of them closed in
 * 100 seconds, each holding a connection and its memory. The server started
 * as `npm start` does must cut them off at REPORTLINE_REQUEST_TIMEOUT_SECONDS,
 * and still answer everyone else.
 */
describe('a sender who trickles a request in', () => {
  const folder = mkdtempSync(join(tmpdir(), 'reportline-slow-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('is cut off after the request timeout, while the server keeps answering', async () => {
    const port = await freePort();
    const server = runEntryPoint('app/server.ts', [], {
      REPORTLINE_DATA_DIR: join(folder, 'data'),
      PORT: String(port),
      HOST: '127.0.0.1',
      REPORTLINE_REQUEST_TIMEOUT_SECONDS: '2',
    });
    const sockets: Socket[] = [];
    const trickles: NodeJS.Timeout[] = [];
    try {
      await server.waitForOutput(new RegExp(`serving on http://127\\.0\\.0\\.1:${port}/`));
      const closed = Array.from(
        { length: 25 },
        (_, index) =>
          new Promise<void>((resolve) => {
            const socket = connect(port, '127.0.0.1', () => {
              const slowHeaders = index % 2 === 1;
              socket.write(
                `POST /chat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n${slowHeaders ? '' : 'Content-Length: 100000\r\n\r\n'}`,
              );
              // One byte a second, forever: of the body, or of yet another header line.
              trickles.push(setInterval(() => socket.writable && socket.write(slowHeaders ? 'X' : 'a'), 1_000));
            });
            socket.on('error', () => undefined);
            socket.on('close', () => resolve());
            sockets.push(socket);
          }),
      );
      const cutOff = await Promise.race([
        Promise.all(closed).then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000)),
      ]);
      expect(cutOff).toBe(true);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      for (const trickle of trickles) clearInterval(trickle);
      for (const socket of sockets) socket.destroy();
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 60_000);
});
