import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../intake/store/audit-log.js';
import { openConsoleHarness } from '../support/console-harness.js';
import { messageKeys } from '../support/page-messages.js';

/** The checks' pages in the staff console, through the composition root, as staff use them. */
describe('the checks in the staff console', () => {
  let harness: Awaited<ReturnType<typeof openConsoleHarness>>;
  let caseWithAgent: string;

  beforeAll(async () => {
    harness = await openConsoleHarness();
    // The same "recovery agent" number in three distinct people's reports, and in a later case.
    for (const [index, reporter] of ['+66 89 100 0001', '+66 89 100 0002', '+66 89 100 0003'].entries())
      await harness.submit({
        channel: 'web',
        language: 'th',
        consent: { shareWithLawEnforcement: true },
        reporter: { phone: reporter },
        victim: { currentCountry: 'TH', languagesSpoken: [] },
        incident: { narrative: `A man said he could get my money back for a fee. ${index}` },
        suspects: { phones: ['081 300 0001'] },
      });
    caseWithAgent = (
      await harness.submit({
        channel: 'web',
        language: 'th',
        consent: { shareWithLawEnforcement: true },
        victim: { currentCountry: 'TH', languagesSpoken: [] },
        suspects: { phones: ['+66 81 300 0001'] },
      })
    ).reference;
  });
  afterAll(() => harness?.close());

  const flagsOf = (html: string) => [...html.matchAll(/data-flag="([a-z_]+)"/g)].map((match) => match[1]);

  it('lets a supervisor confirm a candidate as a recovery agent, flags the cases naming it, and audits it', async () => {
    const supervisor = await harness.signedIn('supervisor');
    const page = await supervisor.open('/staff/checks');
    expect(page.response.status).toBe(200);
    expect(page.html).toContain('data-value="+66813000001"');
    const valueHash = /name="valueHash" value="([^"]+)"/.exec(page.html)![1]!;

    const done = await supervisor.submit(page, '/staff/checks/confirm', { valueHash, category: 'recovery_agent' });
    expect(messageKeys(done.html)).toContain('checks.done.confirmed');
    expect(done.html).toMatch(/data-table="confirmed"[\s\S]*data-category="recovery_agent"/);

    // The case naming the agent is flagged in the queue and on its page.
    const queue = await supervisor.open('/staff');
    const row = queue.html.slice(queue.html.indexOf(caseWithAgent) - 2000, queue.html.indexOf(caseWithAgent) + 2000);
    expect(flagsOf(row)).toContain('recovery_agent');
    expect(flagsOf((await supervisor.open(`/staff/cases/${caseWithAgent}`)).html)).toContain('recovery_agent');

    const answer = await harness.services.checks.check({
      text: '081 300 0001',
      channel: 'web',
      askerKey: 'console-test',
      countryHint: 'TH',
    });
    expect(answer).toMatchObject({ indicators: [{ verdict: 'warning', advice: ['recovery_fee'] }] });
    const audit = await listAuditEvents(harness.services.db);
    expect(audit.find((event) => event.action === 'check.confirmed')).toMatchObject({
      actor: `user:${supervisor.user.id}`,
      // Three reporters known by their phone, and the later case's reporter, known by nothing but the report.
      detail: { kind: 'phone', category: 'recovery_agent', reporters: 4 },
    });
    // The audit names the kind and the blind index, never the value.
    expect(JSON.stringify(audit)).not.toContain('813000001');

    const unconfirmed = await supervisor.submit(done, '/staff/checks/unconfirm', { valueHash });
    expect(messageKeys(unconfirmed.html)).toContain('checks.done.unconfirmed');
    expect(flagsOf((await supervisor.open(`/staff/cases/${caseWithAgent}`)).html)).not.toContain('recovery_agent');
  });

  it('shows hotline staff the checks but lets them change nothing', async () => {
    const hotline = await harness.signedIn('hotline');
    const page = await hotline.open('/staff/checks');
    expect(page.response.status).toBe(200);
    expect(page.html).not.toContain('action="/staff/checks/confirm"');
    const refused = await hotline.submit(page, '/staff/checks/confirm', {
      valueHash: 'x'.repeat(43),
      category: 'other',
    });
    expect(refused.response.status).toBe(403);
  });

  it('takes a dispute from the form to a decision that withdraws the warning', async () => {
    const supervisor = await harness.signedIn('supervisor');
    const warnings = await supervisor.open('/staff/checks');
    const valueHash = /data-value="\+66813000001"[\s\S]*?name="valueHash" value="([^"]+)"/.exec(warnings.html)![1]!;
    await supervisor.submit(warnings, '/staff/checks/confirm', { valueHash, category: 'job_scam' });
    const received = await harness.services.checks.dispute({
      text: '081 300 0001',
      explanation: 'This is my number; it was spoofed.',
      contact: 'line: shopowner',
      language: 'th',
      channel: 'web',
      askerKey: 'owner',
      countryHint: 'TH',
    });
    const reference = received.kind === 'received' ? received.reference : '';
    const disputes = await supervisor.open('/staff/checks/disputes');
    expect(disputes.html).toContain(`data-dispute="${reference}"`);
    expect(disputes.html).toContain('This is my number; it was spoofed.');
    expect(disputes.html).toMatch(/data-value="\+66813000001" data-warning="stands"/);
    const action = new RegExp(`data-dispute="${reference}"[\\s\\S]*?action="(/staff/checks/disputes/[^"]+)"`).exec(
      disputes.html,
    )![1]!;
    const upheld = await supervisor.submit(disputes, action, { decision: 'uphold' });
    expect(messageKeys(upheld.html)).toContain('checks.done.upheld');
    expect(upheld.html).toMatch(new RegExp(`data-dispute="${reference}" data-status="upheld"`));
    const again = await supervisor.submit(upheld, action, { decision: 'reject' });
    expect(again.response.status).toBe(400);
    expect(messageKeys(again.html)).toContain('checks.error.disputeDecided');

    const answer = await harness.services.checks.check({
      text: '0813000001',
      channel: 'web',
      askerKey: 'after',
      countryHint: 'TH',
    });
    expect(answer).toMatchObject({ indicators: [{ verdict: 'no_warning' }] });
  });

  it('adds a public number to the safelist, keeps what was typed on a refusal, and exports a MISP warninglist', async () => {
    const admin = await harness.signedIn('admin');
    const page = await admin.open('/staff/checks/safelist');
    expect(page.html).toMatch(/data-value="\+6628888888" data-origin="built_in"/);
    const refused = await admin.submit(page, '/staff/checks/safelist', {
      kind: 'phone',
      value: 'not a number',
      country: 'TH',
      source: 'The shop itself',
    });
    expect(refused.response.status).toBe(400);
    expect(messageKeys(refused.html)).toContain('checks.error.invalidSafelistEntry');
    expect(refused.html).toContain('value="not a number"');
    const added = await admin.submit(refused, '/staff/checks/safelist', {
      kind: 'phone',
      value: '02 123 4567',
      country: 'TH',
      source: 'Bangkok shop, printed on its sign',
    });
    expect(messageKeys(added.html)).toContain('checks.done.safelistAdded');
    expect(added.html).toMatch(/data-value="\+6621234567" data-origin="staff"/);

    const list = await admin.open('/staff/checks/safelist/warninglist.json');
    const warninglist = JSON.parse(list.html) as { type: string; list: string[]; matching_attributes: string[] };
    expect(warninglist.type).toBe('string');
    expect(warninglist.list).toEqual(expect.arrayContaining(['+6628888888', '+6621234567', 'binance.com']));
    expect(warninglist.matching_attributes.length).toBeGreaterThan(0);
  });
});
