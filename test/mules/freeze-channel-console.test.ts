import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportInput } from '../../intake/report/report-schema.js';
import { openConsoleHarness } from '../support/console-harness.js';

/** Today as the server's clock reads it: a payment made today is recent. */
const today = () => new Date().toISOString().slice(0, 10);

function paid(
  country: string,
  language: string,
  to: string,
  currency: string,
): Partial<ReportInput> & Pick<ReportInput, 'consent'> {
  return {
    consent: { shareWithLawEnforcement: true },
    language: language as ReportInput['language'],
    victim: { nationality: country, residenceCountry: country },
    losses: { payments: [{ date: today(), amount: 50_000, currency, method: 'bank_transfer', toAccount: to }] },
  };
}

const freezeIds = (html: string) => [...html.matchAll(/data-freeze-request="([^"]+)"/g)].map((match) => match[1]!);

describe('a freeze request no fraud desk handles, in the staff console: the national channel, and recording it', () => {
  let harness: Awaited<ReturnType<typeof openConsoleHarness>>;
  let thai: string;
  let korean: string;

  beforeAll(async () => {
    // No deployment file: no fraud desk, and no SMTP, so nothing could be e-mailed.
    harness = await openConsoleHarness({});
    thai = (await harness.submit(paid('TH', 'th', 'ไทยพาณิชย์ 987-6-54321-0', 'THB'))).reference;
    korean = (await harness.submit(paid('KR', 'ko', 'KB국민은행 123-456-789012', 'KRW'))).reference;
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('shows the AOC line to call now with its source, and a call recorded stops the clock, in the reader’s language', async () => {
    const staff = await harness.signedIn('hotline');
    const casePage = await staff.open(`/staff/cases/${thai}`);
    expect(casePage.html).toContain('data-freeze-channel="th-aoc-1441"');
    expect(casePage.html).toContain('href="tel:1441"');
    expect(casePage.html).toContain('data-message="mules.channel.call"');
    expect(casePage.html).toContain(
      'href="https://en.vietnamplus.vn/thailand-establishes-antionline-scam-centre/270678.vnp"',
    );
    // The AOC takes calls only: no web form to record.
    expect(casePage.html).toContain('data-record="phone"');
    expect(casePage.html).not.toContain('data-record="form"');
    expect(casePage.html).not.toContain('data-message="mules.noDesk"');
    const thaiPage = await staff.open(`/staff/cases/${thai}?lang=th`);
    expect(thaiPage.html).toContain('โทรเลย:');

    const [id] = freezeIds(casePage.html);
    const recorded = await staff.submit(casePage, `/staff/freeze-requests/${id}/record`, {
      back: 'case',
      via: 'phone',
    });
    expect(recorded.response.status).toBe(200);
    expect(recorded.html).toContain('data-message="mules.recordedNotice"');
    expect(recorded.html).toContain('data-message="mules.requestedByPhone"');
    expect(recorded.html).not.toContain('data-record="phone"');
    // The case's history says it in the reader's words (Thai, chosen above), not as the audit action's name.
    expect(recorded.html).toContain('ขออายัดกับศูนย์ต่อต้านการหลอกลวงระดับชาติแล้ว ทางโทรศัพท์หรือแบบฟอร์มออนไลน์');
    expect(recorded.html).not.toContain('freeze_request.requested');
    const list = await staff.open('/staff/freeze-requests');
    expect(list.html).toContain('data-message="mules.requestedByPhone"');
    // Posted again: it was asked already.
    const again = await staff.submit(casePage, `/staff/freeze-requests/${id}/record`, { back: 'list', via: 'phone' });
    expect(again.html).toContain('data-message="mules.error.alreadySent"');
    const audit = await harness.services.db
      .selectFrom('audit_events')
      .select('detail')
      .where('action', '=', 'freeze_request.requested')
      .execute();
    expect(audit.map((row) => JSON.parse(row.detail) as Record<string, unknown>)).toMatchObject([
      { channel: 'th-aoc-1441', via: 'phone' },
    ]);
  });

  it('tells staff how a Korean payment is suspended, and refuses a way the channel does not offer', async () => {
    const staff = await harness.signedIn('hotline');
    const casePage = await staff.open(`/staff/cases/${korean}`);
    expect(casePage.html).toContain('data-freeze-channel="kr-payment-suspension"');
    expect(casePage.html).toContain('data-message="mules.channel.note.korea"');
    const [id] = freezeIds(casePage.html);
    const refused = await staff.submit(casePage, `/staff/freeze-requests/${id}/record`, { back: 'list', via: 'form' });
    expect(refused.html).toContain('data-message="mules.error.noChannel"');
    const forged = await staff.post(`/staff/freeze-requests/${id}/record`, { token: 'not-the-token', via: 'phone' });
    expect(forged.response.status).toBe(403);
  });
});
