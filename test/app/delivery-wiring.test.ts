import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver } from '../support/case-receivers.js';
import { completeReport } from '../support/fixtures.js';
import { freePort, runEntryPoint } from '../support/spawn-process.js';

// Each test starts its own server (its own data folder, directory file and port): they run at the same time, the
// seconds one spends starting tsx spent beside the other's.
describe.concurrent('npm start with a deployment directory', () => {
  const folder = mkdtempSync(join(tmpdir(), 'reportline-wiring-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('routes a new report and delivers it to the agency webhook at once, signed with the secret from the environment', async () => {
    const secret = 'whsec_FF8yOlEclpOxqhbJadefVvl3Fwk9GNT07uCNjy0bk9A=';
    const receiver = await startWebhookReceiver(secret);
    const directoryFile = join(folder, 'deployment.json');
    writeFileSync(
      directoryFile,
      JSON.stringify({
        agencies: [{ id: 'kh-cnp', delivery: { webhook: { url: receiver.url, secretEnv: 'KH_CNP_WEBHOOK_SECRET' } } }],
      }),
    );
    const port = await freePort();
    const env = {
      REPORTLINE_DATA_DIR: join(folder, 'data'),
      PORT: String(port),
      HOST: '127.0.0.1',
      REPORTLINE_DIRECTORY_FILE: directoryFile,
      KH_CNP_WEBHOOK_SECRET: secret,
      // A long poll interval: the delivery must go out because the new report nudges the dispatcher.
      DELIVERY_POLL_SECONDS: '600',
    };
    const server = runEntryPoint('app/server.ts', [], env);
    try {
      await server.waitForOutput(/serving on/);
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(completeReport()),
      });
      const { reference } = (await response.json()) as { reference: string };
      const started = Date.now();
      while (receiver.accepted.length === 0 && Date.now() - started < 15_000)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(receiver.accepted).toHaveLength(1);
      // completeReport() is urgent (held against their will): sent as case.urgent.
      const body = JSON.parse(receiver.accepted[0]!.body) as {
        type: string;
        data: { reference: string; role: string };
      };
      expect(body).toMatchObject({ type: 'case.urgent', data: { reference, role: 'primary' } });

      // The CLI exports the same case for that agency.
      const out = join(folder, 'export.csv');
      const cli = runEntryPoint('app/cli.ts', ['export', '--format', 'csv', '--agency', 'kh-cnp', '--out', out], env);
      expect(await cli.exited).toBe(0);
      expect(readFileSync(out, 'utf8')).toContain(reference);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await receiver.close();
    }
  });

  it('refuses to start when a webhook secret is not a Standard Webhooks secret, naming the variable and not the value', async () => {
    const directoryFile = join(folder, 'bad-secret.json');
    writeFileSync(
      directoryFile,
      JSON.stringify({
        agencies: [
          {
            id: 'kh-cnp',
            delivery: { webhook: { url: 'https://cnp.example.gov.kh/reportline', secretEnv: 'KH_CNP_WEBHOOK_SECRET' } },
          },
        ],
      }),
    );
    const server = runEntryPoint('app/server.ts', [], {
      REPORTLINE_DATA_DIR: join(folder, 'data-bad-secret'),
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      REPORTLINE_DIRECTORY_FILE: directoryFile,
      // The old home-made scheme took any string as a secret.
      KH_CNP_WEBHOOK_SECRET: 'a-plain-shared-secret-0123456789',
    });
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(
      /agencies\[kh-cnp\]\.delivery\.webhook\.secretEnv: the environment variable KH_CNP_WEBHOOK_SECRET does not start with whsec_; it must be a Standard Webhooks secret: whsec_ followed by the base64 of 24 to 64 random bytes/,
    );
    expect(server.output()).not.toContain('a-plain-shared-secret');
    expect(server.output()).not.toMatch(/serving on/);
  });
});
