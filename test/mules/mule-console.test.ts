import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportInput } from '../../intake/report/report-schema.js';
import { startSmtpReceiver } from '../support/case-receivers.js';
import { openConsoleHarness } from '../support/console-harness.js';

/** Today as the server's clock reads it: a payment made today is recent. */
const today = () => new Date().toISOString().slice(0, 10);

function paid(to: string, amount: number): Partial<ReportInput> & Pick<ReportInput, 'consent'> {
  return {
    consent: { shareWithLawEnforcement: true },
    language: 'ko',
    victim: { nationality: 'KR' },
    losses: { payments: [{ date: today(), amount, currency: 'KRW', method: 'bank_transfer', toAccount: to }] },
  };
}

const freezeIds = (html: string) => [...html.matchAll(/data-freeze-request="([^"]+)"/g)].map((match) => match[1]!);

describe('freeze requests and mule accounts in the staff console', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let harness: Awaited<ReturnType<typeof openConsoleHarness>>;
  let references: string[];

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    const folder = mkdtempSync(join(tmpdir(), 'reportline-fraud-desks-'));
    const deployment = join(folder, 'deployment.json');
    writeFileSync(
      deployment,
      JSON.stringify({
        fraudDesks: [
          {
            id: 'kb-fraud',
            name: 'KB fraud desk',
            accounts: ['kb-kookmin'],
            email: { to: ['fraud@kb.example'] },
            source: 'agreement with the bank (test)',
          },
        ],
      }),
    );
    harness = await openConsoleHarness({ REPORTLINE_DIRECTORY_FILE: deployment, SMTP_URL: smtp.url });
    references = [];
    for (const amount of [3_000_000, 1_200_000])
      references.push((await harness.submit(paid('KB국민은행 123-456-789012', amount))).reference);
  });
  afterAll(async () => {
    await harness?.close();
    await smtp?.close();
  });

  it('lists the open requests with their clock, shows them on the case, and sends one to the bank once', async () => {
    const staff = await harness.signedIn('hotline');
    const list = await staff.open('/staff/freeze-requests');
    expect(list.response.status).toBe(200);
    expect(list.html).toContain('href="/staff/freeze-requests"');
    const ids = freezeIds(list.html);
    expect(ids).toHaveLength(2);
    expect(list.html).toContain('data-message="mules.timeLeft"');
    expect(list.html).not.toContain('data-message="mules.noDesk"');

    const casePage = await staff.open(`/staff/cases/${references[0]}`);
    expect(casePage.html).toContain('id="freeze-requests"');
    expect(freezeIds(casePage.html)).toHaveLength(1);

    const queued = await staff.submit(list, `/staff/freeze-requests/${ids[0]}/send`, { back: 'list' });
    expect(queued.html).toContain('data-message="mules.queuedNotice"');
    expect(queued.html).toContain('data-message="mules.queued"');
    expect(queued.html).toContain('data-mail-status="pending"');
    // The same form posted again while it is queued queues nothing more.
    const again = await staff.submit(list, `/staff/freeze-requests/${ids[0]}/send`, { back: 'list' });
    expect(again.html).toContain('data-message="mules.error.alreadyQueued"');
    expect(await harness.services.mailOutbox!.runOnce()).toBe(1);
    expect(smtp.messages).toHaveLength(1);
    const sent = await staff.open('/staff/freeze-requests');
    expect(sent.html).toContain('data-message="mules.sent"');
    const afterSent = await staff.submit(list, `/staff/freeze-requests/${ids[0]}/send`, { back: 'list' });
    expect(afterSent.html).toContain('data-message="mules.error.alreadySent"');
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.to).toEqual(['fraud@kb.example']);

    // Sent from the case page, the console goes back to the case.
    const fromCase = await staff.submit(
      casePage,
      `/staff/freeze-requests/${freezeIds(casePage.html)[0] === ids[0] ? ids[1] : ids[0]}/send`,
      {
        back: 'case',
      },
    );
    expect(fromCase.response.status).toBe(200);
    expect(fromCase.html).toContain('data-message="mules.queuedNotice"');
    // Refused for good by the mail server: the case page says it failed, with the reason's code.
    smtp.refuse(550);
    expect(await harness.services.mailOutbox!.runOnce()).toBe(1);
    const failedPage = await staff.open(`/staff/cases/${references[0]}`);
    const otherPage = await staff.open(`/staff/cases/${references[1]}`);
    const failed = [failedPage.html, otherPage.html].find((html) => html.includes('data-mail-status="failed"'));
    expect(failed).toContain('data-message="mules.failed"');
    expect(failed).toContain('<code>smtp.550</code>');
    // Send again: queued again, and sent.
    const retryFrom = failed === failedPage.html ? failedPage : otherPage;
    const retried = await staff.submit(retryFrom, `/staff/freeze-requests/${freezeIds(retryFrom.html)[0]}/send`, {
      back: 'case',
    });
    expect(retried.html).toContain('data-message="mules.queuedNotice"');
    expect(await harness.services.mailOutbox!.runOnce()).toBe(1);
    expect(smtp.messages).toHaveLength(2);

    const audit = await harness.services.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'freeze_request.sent')
      .execute();
    expect(audit).toHaveLength(2);
  });

  it('lists the account both reports name, with the count and the total reported', async () => {
    const staff = await harness.signedIn('supervisor');
    const page = await staff.open('/staff/mule-accounts');
    expect(page.response.status).toBe(200);
    expect(page.html).toContain('kb-kookmin:123456789012');
    expect(page.html).toContain('data-reports="2"');
    expect(page.html).toContain('data-currency="KRW" data-amount="4200000"');
  });

  it('refuses an agency account and a forged send', async () => {
    const agency = await harness.signedIn('agency', 'kr-knpa');
    expect((await agency.open('/staff/freeze-requests')).response.status).toBe(403);
    const staff = await harness.signedIn('hotline');
    const forged = await staff.post(`/staff/freeze-requests/${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}/send`, {
      token: 'not-the-token',
    });
    expect(forged.response.status).toBe(403);
  });
});
