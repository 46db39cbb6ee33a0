import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeReport } from '../support/fixtures.js';
import { openConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';

const staffGroup = -1001234567890;

/** The cells of one queue row, by the reference it shows. */
function rowOf(html: string, reference: string): string {
  const start = html.indexOf(`<tr data-reference="${reference}"`);
  expect(start, `no queue row for ${reference}`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</tr>', start));
}

/** The duty desk's banner of a page. */
function deskOf(html: string): string {
  const start = html.indexOf('<div role="status" class="duty-desk');
  expect(start, 'no duty desk on the page').toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</a></div>', start));
}

describe('the duty desk in the console', () => {
  let harness: ConsoleHarness;

  beforeAll(async () => {
    harness = await openConsoleHarness({ REPORTLINE_DUTY_TELEGRAM_CHAT_ID: String(staffGroup) });
  });
  afterAll(() => harness?.close());

  it('shows the live count and time left on every hotline page, tells the staff group, and takes the case with one button', async () => {
    const { reference } = await harness.submit(completeReport());
    const hotline = await harness.signedIn('hotline');

    const queue = await hotline.open('/staff');
    expect(deskOf(queue.html)).toContain('data-duty-count="waiting">1<');
    expect(deskOf(queue.html)).not.toContain('data-supervisor');
    // Counts only: no reference outside the queue, whose filters decide what it lists.
    expect(deskOf(queue.html)).not.toContain(reference);
    expect(queue.html).toContain('<script src="/assets/duty-desk.js"');
    expect(rowOf(queue.html, reference)).toMatch(/data-urgent-clock="left" data-minutes="15"/);
    const search = await hotline.open('/staff/search?q=nothing');
    expect(deskOf(search.html)).toContain('data-duty-count="waiting">1<');
    // The other hotline pages carry it too (added after these pages were found without it).
    for (const path of [
      '/staff/dashboard',
      '/staff/compounds',
      '/staff/freeze-requests',
      '/staff/mule-accounts',
      '/staff/checks',
    ]) {
      const other = await hotline.open(path);
      expect(other.response.status, path).toBe(200);
      expect(deskOf(other.html), path).toContain('data-duty-count="waiting">1<');
    }

    const script = await hotline.open('/assets/duty-desk.js');
    expect(script.response.status).toBe(200);
    const counts = await hotline.open('/staff/duty-desk.json');
    expect(counts.response.headers.get('cache-control')).toBe('no-store');
    expect(JSON.parse(counts.html)).toEqual({ waiting: 1, escalated: 0 });

    const supervisor = await harness.signedIn('supervisor');
    expect(deskOf((await supervisor.open('/staff')).html)).toContain('data-duty-count="overdue">0<');
    expect(JSON.parse((await supervisor.open('/staff/duty-desk.json')).html)).toEqual({
      waiting: 1,
      escalated: 0,
      overdue: 0,
    });

    // The staff group hears of it through the chat outbox: the reference and the country, nothing the reporter said.
    await harness.services.urgentClocks.runOnce();
    await harness.api.until(() => harness.api.delivered.some((message) => message.chatId === staffGroup));
    const told = harness.api.delivered.filter((message) => message.chatId === staffGroup);
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain(reference);
    expect(told[0]!.text).toContain('Cambodia');
    for (const personal of ['김민지', '김준호', '+855 12 345 678', 'Golden Sun', 'Sihanoukville'])
      expect(told[0]!.text).not.toContain(personal);

    const casePage = await hotline.open(`/staff/cases/${reference}`);
    expect(casePage.html).toContain('id="urgent-clock"');
    expect(casePage.html).toContain('data-urgent-hotline="left"');
    const acknowledged = await hotline.submit(casePage, `/staff/cases/${reference}/acknowledge`, {});
    expect(acknowledged.html).toContain('data-message="urgent.ack.done"');
    expect(acknowledged.html).toContain('data-urgent-hotline="taken"');
    expect(deskOf(acknowledged.html)).toContain('data-duty-count="waiting">0<');
    const again = await hotline.submit(casePage, `/staff/cases/${reference}/acknowledge`, {});
    expect(again.html).toContain('data-message="urgent.ack.already"');
    expect(rowOf((await hotline.open('/staff')).html, reference)).toContain('data-urgent-clock="taken"');
  });

  it('keeps the duty desk to hotline staff: an agency sees no banner and cannot read the counts', async () => {
    const agency = await harness.signedIn('agency', 'kh-cnp');
    const inbox = await agency.open('/agency');
    expect(inbox.response.status).toBe(200);
    expect(inbox.html).not.toContain('data-duty-desk');
    const counts = await agency.open('/staff/duty-desk.json');
    expect(counts.response.status).toBe(403);
  });

  it('refuses an acknowledgement without the form token, and answers a case that is not urgent', async () => {
    const hotline = await harness.signedIn('hotline');
    const { reference } = await harness.submit({ consent: { shareWithLawEnforcement: true } });
    const refused = await hotline.post(`/staff/cases/${reference}/acknowledge`, {});
    expect(refused.response.status).toBe(403);
    const page = await hotline.open(`/staff/cases/${reference}`);
    expect(page.html).not.toContain('id="urgent-clock"');
    const answered = await hotline.submit(page, `/staff/cases/${reference}/acknowledge`, {});
    expect(answered.html).toContain('data-message="urgent.ack.notUrgent"');
  });

  it("stops the agency's clock when it accepts in its inbox, and offers a declined case to the next agency at once", async () => {
    const { services } = harness;
    const clockOf = (reportId: string) =>
      services.db.selectFrom('urgent_clocks').selectAll().where('report_id', '=', reportId).executeTakeFirstOrThrow();
    const accepted = await harness.submit(completeReport());
    const declined = await harness.submit(completeReport());
    expect((await clockOf(accepted.reportId)).agency_id).toBe('kh-cnp');
    const police = await harness.signedIn('agency', 'kh-cnp');
    let page = await police.open(`/agency/cases/${accepted.reference}`);
    page = await police.post(`/agency/cases/${accepted.reference}/decision`, {
      token: police.consoleToken(page.html),
      decision: 'accepted',
    });
    expect(page.html).toContain('data-message="inbox.accepted"');
    const acceptedClock = await clockOf(accepted.reportId);
    expect(acceptedClock.agency_accepted_at).not.toBeNull();

    page = await police.open(`/agency/cases/${declined.reference}`);
    await police.post(`/agency/cases/${declined.reference}/decision`, {
      token: police.consoleToken(page.html),
      decision: 'declined',
      reason: 'Not in our area',
    });
    await services.urgentClocks.runOnce();
    const declinedClock = await clockOf(declined.reportId);
    expect(declinedClock).toMatchObject({ escalated_to: 'interpol', agency_id: 'interpol', escalation_count: 1 });
    expect((await clockOf(accepted.reportId)).escalated_at).toBeNull();
    const actions = await services.db
      .selectFrom('audit_events')
      .select(['report_id', 'action'])
      .where('action', 'in', ['urgent.agency_accepted', 'urgent.escalated'])
      .where('report_id', 'in', [accepted.reportId, declined.reportId])
      .execute();
    expect(actions).toEqual(
      expect.arrayContaining([
        { report_id: accepted.reportId, action: 'urgent.agency_accepted' },
        { report_id: declined.reportId, action: 'urgent.escalated' },
      ]),
    );
    expect(actions).toHaveLength(2);
  });
});
