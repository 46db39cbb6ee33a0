import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caseEventTypes, recordedCaseEventTypes } from '../../intake/delivery/case-event-types.js';
import { DeliveryError, sendWebhook } from '../../intake/delivery/delivery-senders.js';
import { standardWebhookHeaders, webhookSecretProblem } from '../../intake/delivery/webhook-signature.js';
import { directoryDeliveryTargets } from '../../intake/routing/directory-delivery-targets.js';
import { DirectoryError, loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { startWebhookReceiver } from '../support/case-receivers.js';

const secret = 'whsec_2Yyc1qLGdq3hM9cBRHr3fYz3BQA4a2b22GaEHkqXfB0=';
const body = JSON.stringify({
  type: 'case.routed',
  timestamp: '2025-01-02T03:04:05.000Z',
  data: { reference: 'RL-TEST' },
});
const messageId = '5f0c2a9e-8d7b-4c1e-9a3f-2b6d4e8f1a7c';

async function post(url: string, headers: Record<string, string>, payload: string): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: payload,
  });
  await response.arrayBuffer();
  return response.status;
}

describe('Standard Webhooks signing', () => {
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  beforeEach(async () => {
    receiver = await startWebhookReceiver(secret);
  });
  afterEach(async () => receiver.close());

  it('sends webhook-id, webhook-timestamp and a v1 signature the spec describes, which Webhook.verify accepts', async () => {
    const now = new Date();
    const headers = standardWebhookHeaders(secret, messageId, now, body);
    const timestamp = Math.floor(now.getTime() / 1000);
    // Computed independently of the library, from the spec: base64 HMAC-SHA256 of "id.timestamp.body", keyed with the
    // secret's bytes.
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`${messageId}.${timestamp}.${body}`).digest('base64');
    expect(headers).toEqual({
      'webhook-id': messageId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': `v1,${expected}`,
    });

    await sendWebhook({ url: receiver.url, secret }, messageId, body, { now });
    expect(receiver.refused).toEqual([]);
    expect(receiver.accepted).toEqual([{ eventId: messageId, body }]);
  });

  it('is refused by the receiver when the body was changed after signing', async () => {
    const headers = standardWebhookHeaders(secret, messageId, new Date(), body);
    const changed = body.replace('RL-TEST', 'RL-OTHER');
    expect(await post(receiver.url, headers, changed)).toBe(401);
    // Re-serialised JSON (one added space) is a changed body too: receivers must verify the raw bytes.
    expect(await post(receiver.url, headers, JSON.stringify(JSON.parse(body), null, 1))).toBe(401);
    expect(receiver.refused.map((refusal) => refusal.reason)).toEqual([
      'No matching signature found',
      'No matching signature found',
    ]);
    expect(receiver.accepted).toEqual([]);
    // The same headers with the body as signed are accepted.
    expect(await post(receiver.url, headers, body)).toBe(200);
  });

  it('is refused by the receiver when its timestamp is more than 5 minutes old', async () => {
    await expect(
      sendWebhook({ url: receiver.url, secret }, messageId, body, { now: new Date(Date.now() - 6 * 60_000) }),
    ).rejects.toThrow('webhook answered HTTP 401');
    expect(receiver.refused).toEqual([{ eventId: messageId, reason: 'Message timestamp too old' }]);
    // Four minutes old is within the tolerance.
    await sendWebhook({ url: receiver.url, secret }, messageId, body, { now: new Date(Date.now() - 4 * 60_000) });
    expect(receiver.accepted).toHaveLength(1);
  });

  it('is refused by the receiver when the id or timestamp header was changed, or another secret signed it', async () => {
    const headers = standardWebhookHeaders(secret, messageId, new Date(), body);
    expect(await post(receiver.url, { ...headers, 'webhook-id': 'another-id' }, body)).toBe(401);
    expect(
      await post(
        receiver.url,
        { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 1) },
        body,
      ),
    ).toBe(401);
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    expect(await post(receiver.url, standardWebhookHeaders(other, messageId, new Date(), body), body)).toBe(401);
    expect(receiver.refused).toHaveLength(3);
    expect(receiver.accepted).toEqual([]);
  });

  it('does not send with a secret that is not a Standard Webhooks secret, and does not retry', async () => {
    const sent = sendWebhook({ url: receiver.url, secret: 'plain-old-secret' }, messageId, body, { now: new Date() });
    await expect(sent).rejects.toBeInstanceOf(DeliveryError);
    await expect(sent).rejects.toMatchObject({ retryable: false });
    expect(receiver.refused).toEqual([]);
    expect(receiver.accepted).toEqual([]);
  });
});

describe('Standard Webhooks secrets', () => {
  it.each([
    ['whsec_ and 24 random bytes', `whsec_${randomBytes(24).toString('base64')}`],
    ['whsec_ and 32 random bytes', `whsec_${randomBytes(32).toString('base64')}`],
    ['whsec_ and 64 random bytes', `whsec_${randomBytes(64).toString('base64')}`],
  ])('accepts %s, which the standardwebhooks library reads too', (_, value) => {
    expect(webhookSecretProblem(value)).toBeUndefined();
    expect(() => new Webhook(value)).not.toThrow();
  });

  it.each([
    ['a plain string', 'a-plain-shared-secret-0123456789', 'does not start with whsec_'],
    ['bare base64 without the prefix', randomBytes(32).toString('base64'), 'does not start with whsec_'],
    ['the prefix alone', 'whsec_', 'is not whsec_ followed by padded standard base64'],
    [
      'URL-safe base64',
      'whsec_' + Buffer.from('\u00fb\u00ff'.repeat(16), 'latin1').toString('base64url'),
      'is not whsec_ followed by padded standard base64',
    ],
    [
      'base64 without its padding',
      `whsec_${randomBytes(32).toString('base64').replace(/=+$/, '')}`,
      'is not whsec_ followed by padded standard base64',
    ],
    ['a key of 16 bytes', `whsec_${randomBytes(16).toString('base64')}`, 'holds 16 bytes (a secret needs 24 to 64)'],
    ['a key of 65 bytes', `whsec_${randomBytes(65).toString('base64')}`, 'holds 65 bytes (a secret needs 24 to 64)'],
  ])('refuses %s', (_, value, problem) => {
    expect(webhookSecretProblem(value)).toBe(problem);
  });
});

describe('webhook secrets read at start-up', () => {
  const folder = mkdtempSync(join(tmpdir(), 'reportline-webhook-secrets-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const file = join(folder, 'deployment.json');
  writeFileSync(
    file,
    JSON.stringify({
      agencies: [
        {
          id: 'kh-cnp',
          delivery: { webhook: { url: 'https://cnp.example.gov.kh/reportline', secretEnv: 'KH_CNP_WEBHOOK_SECRET' } },
        },
        {
          id: 'kr-knpa',
          delivery: {
            webhook: { url: 'https://intake.police.example.kr/reportline', secretEnv: 'KNPA_WEBHOOK_SECRET' },
          },
        },
      ],
    }),
  );
  const directory = loadAgencyDirectory({ deploymentFile: file });

  it('are used as they are when each is a whsec_ secret', () => {
    const targets = directoryDeliveryTargets(directory, { KH_CNP_WEBHOOK_SECRET: secret, KNPA_WEBHOOK_SECRET: secret });
    expect(targets.webhook('kh-cnp')).toEqual({ url: 'https://cnp.example.gov.kh/reportline', secret });
  });

  it('stop start-up with every unusable one named by its variable, never repeating the value', () => {
    let error: unknown;
    try {
      directoryDeliveryTargets(directory, {
        KH_CNP_WEBHOOK_SECRET: 'hunter2-shared-secret',
        KNPA_WEBHOOK_SECRET: 'whsec_c2hvcnQ=',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DirectoryError);
    const message = (error as Error).message;
    expect(message.split('\n').sort()).toEqual([
      'agencies[kh-cnp].delivery.webhook.secretEnv: the environment variable KH_CNP_WEBHOOK_SECRET does not start with whsec_; it must be a Standard Webhooks secret: whsec_ followed by the base64 of 24 to 64 random bytes, e.g. whsec_$(openssl rand -base64 32)',
      'agencies[kr-knpa].delivery.webhook.secretEnv: the environment variable KNPA_WEBHOOK_SECRET holds 5 bytes (a secret needs 24 to 64); it must be a Standard Webhooks secret: whsec_ followed by the base64 of 24 to 64 random bytes, e.g. whsec_$(openssl rand -base64 32)',
    ]);
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('c2hvcnQ');
  });
});

describe('the event type catalogue', () => {
  it('holds the four case events, each a full-stop delimited type as Standard Webhooks recommends', () => {
    expect(Object.values(caseEventTypes).sort()).toEqual([
      'case.routed',
      'case.updated',
      'case.urgent',
      'case.withdrawn',
    ]);
    for (const type of Object.values(caseEventTypes)) expect(type).toMatch(/^[a-zA-Z0-9_]+(\.[a-zA-Z0-9_]+)+$/);
  });

  it('records case.updated, case.withdrawn and a later case.urgent on their outbox rows; a delivery without a recorded type is the case routed to the agency', () => {
    expect(recordedCaseEventTypes).toEqual([caseEventTypes.updated, caseEventTypes.withdrawn, caseEventTypes.urgent]);
  });
});
