import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../intake/store/conversation-store.js';
import { purgeExpiredRecords } from '../../intake/store/retention.js';
import { createQuickExit } from '../../portal/public/quick-exit.js';
import { messageKeys } from '../support/page-messages.js';
import { browserFor, createPublicPortal } from '../support/public-portal.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';

warnIfPostgresSkipped();

type Browser = ReturnType<typeof browserFor>;

/** The cookies a browser holds, as one header: what someone who copied them before the exit would replay. */
const copyOf = (browser: Browser, view?: string) =>
  [...browser.cookies]
    .filter(([name]) => view === undefined || name !== 'rl_view')
    .map(([name, value]) => `${name}=${value}`)
    .concat(view === undefined ? [] : [`rl_view=${view}`])
    .join('; ');
const resumeCodeIn = (html: string) =>
  /class="code"><strong><bdi>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</.exec(html)?.[1];

describe.each(testDatabaseKinds)('the quick exit ends the visit on the server too, on %s', (kind) => {
  let database: TestDatabase;
  let portal: Awaited<ReturnType<typeof createPublicPortal>>;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    portal = await createPublicPortal(database);
  });
  afterAll(async () => {
    await portal?.dispose();
    await database?.dispose();
  });

  const replay = (copied: string, path: string, init: RequestInit = {}) =>
    portal.app.request(path, { ...init, headers: { cookie: copied, 'accept-language': 'ko' } });
  const leave = (browser: Browser) => replay(copyOf(browser), '/leave', { method: 'POST' });

  it('a draft cookie copied before the exit opens nothing after it; the resume code still opens the draft', async () => {
    const story = '캄보디아 단지에 갇혀 있어요 — exit test';
    const reporter = browserFor(portal.app, 'ko');
    let page = await reporter.open('/report/incident');
    page = await reporter.submit(page, '/report', { step: 'incident', action: 'next', 'incident.narrative': story });
    const code = resumeCodeIn(page.html)!;
    expect(code).toBeTruthy();
    expect(await (await replay(copyOf(reporter, 'incident'), '/report')).text()).toContain(story);

    expect((await leave(reporter)).status).toBe(200);

    // The copy, on every page of the form, shows nothing of the draft: not the story, not the code.
    for (const view of ['incident', 'review', 'money']) {
      const html = await (await replay(copyOf(reporter, view), '/report')).text();
      expect(html, view).not.toContain(story);
      expect(html, view).not.toContain(code);
    }
    const review = await (await replay(copyOf(reporter, 'review'), '/report')).text();
    // The review of a draft this browser no longer holds is the start page, with the form to enter a code.
    expect(review).toContain('<form method="post" action="/report/resume"');

    // The resume code, posted, still opens it; the copied cookie stays ended even then.
    const later = browserFor(portal.app, 'ko');
    const start = await later.open('/report/resume');
    const resumed = await later.submit(start, '/report/resume', { code });
    expect(messageKeys(resumed.html)).toContain('form.step.review.title');
    expect(resumed.html).toContain(story);
    expect(await (await replay(copyOf(reporter, 'incident'), '/report')).text()).not.toContain(story);
  });

  it('a sent report stays sent; the copied cookie shows no receipt, and the sent draft is deleted', async () => {
    const reporter = browserFor(portal.app, 'ar');
    const incident = await reporter.open('/report/incident');
    await reporter.submit(incident, '/report', { step: 'incident', action: 'next', 'incident.narrative': 'x' });
    let page = await reporter.open('/report/about');
    page = await reporter.submit(page, '/report', {
      step: 'about',
      action: 'next',
      'consent.shareWithLawEnforcement': 'yes',
    });
    const done = await reporter.submit(page, '/report', { step: 'review' });
    const reference = /RL-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(done.html)![0];
    const draftId = decodeURIComponent(reporter.cookies.get('rl_report')!).split('.')[0]!;
    const sent = (await portal.intake.reports.findSubmission({ scope: 'web-form', key: draftId }))!;
    expect(done.html).toContain(sent.receiptCode);
    const copied = copyOf(reporter, 'done');

    await leave(reporter);

    const after = await (await replay(copied, '/report')).text();
    expect(after).not.toContain(sent.receiptCode);
    expect(after).not.toContain(reference);
    expect(await portal.intake.drafts.load(draftId)).toBeUndefined();
    expect(await portal.intake.reports.verifyReceipt(reference, sent.receiptCode)).toBe(sent.reportId);
  });

  it('a web chat cookie copied before the exit opens a fresh, empty chat; the transcript is gone from the database', async () => {
    const said = '저는 감금되어 있어요 — chat exit test';
    const reporter = browserFor(portal.app, 'ko');
    let page = await reporter.open('/chat');
    page = await reporter.submit(page, '/chat', { message: said });
    expect(page.html).toContain(said);
    const session = reporter.cookies.get('rl_chat')!;
    const conversations = new ConversationStore({ db: database.db, cipher: portal.intake.cipher });
    expect(await conversations.load('webchat', session)).toBeDefined();
    const copied = copyOf(reporter);

    await leave(reporter);

    const reopened = await (await replay(copied, '/chat')).text();
    expect(reopened).not.toContain(said);
    // A fresh chat: its opening, and nothing the reporter said.
    expect(reopened).toContain('<ol class="transcript"');
    expect(reopened).not.toContain('<li class="reporter">');
    expect(await conversations.load('webchat', session)).toBeUndefined();
    // Nothing stored anywhere still holds what was said: the conversation, with its transcript, is deleted.
    const rows = await database.db
      .selectFrom('conversations')
      .select(['id', 'state_enc'])
      .where('channel', '=', 'webchat')
      .execute();
    for (const row of rows)
      expect(
        JSON.stringify(portal.intake.cipher.decryptJson(row.state_enc, `conversation:${row.id}:state`)),
      ).not.toContain(said);
  });

  it('an opened status page copied before the exit shows only the check form after it, and takes no addition', async () => {
    const { reportId, reference, receiptCode } = await portal.intake.reports.submitReport(
      { consent: { shareWithLawEnforcement: true }, language: 'ko' },
      { actor: 'test' },
    );
    const reporter = browserFor(portal.app, 'ko');
    const form = await reporter.open('/status');
    const opened = await reporter.submit(form, '/status', { intent: 'check', reference, code: receiptCode });
    expect(opened.html).toContain(reference);
    const copied = copyOf(reporter);
    const token = reporter.token(opened.html);

    await leave(reporter);

    const shown = await (await replay(copied, '/status')).text();
    expect(shown).not.toContain(reference);
    expect(shown).toContain('<input id="reference" name="reference"');
    const addition = new FormData();
    addition.append('token', token);
    addition.append('intent', 'add');
    addition.append('text', 'written after the exit');
    await replay(copied, '/status', { method: 'POST', body: addition });
    expect(await portal.intake.followups.listAdditions(reportId)).toEqual([]);

    // The revocation is kept only as long as the cookie could have lived (30 minutes), then swept.
    const retention = portal.intake.config.retention;
    const soon = await purgeExpiredRecords(database.db, retention, new Date(Date.now() + 60_000));
    expect(soon.endedVisits).toBe(0);
    const later = await purgeExpiredRecords(database.db, retention, new Date(Date.now() + 31 * 60_000));
    expect(later.endedVisits).toBeGreaterThanOrEqual(1);
  });

  it('a conversation that sent a report is stopped with its transcript deleted, and still reachable by its report', async () => {
    const conversations = new ConversationStore({ db: database.db, cipher: portal.intake.cipher });
    const { reportId } = await portal.intake.reports.submitReport(
      { consent: { shareWithLawEnforcement: true }, language: 'ko' },
      { actor: 'test' },
    );
    const session = 'S'.repeat(32);
    const said = 'the story told in the chat';
    await conversations.save('webchat', session, {
      state: { state: { language: 'ko' }, shownMessageIds: [], transcript: [{ from: 'reporter', text: said }] },
      expectedVersion: undefined,
      reportId,
    });
    expect(await conversations.endBrowserVisit('webchat', session)).toBe('stopped');
    expect(await conversations.load('webchat', session)).toBeUndefined();
    const address = (await conversations.channelAddressOfReport(reportId))!;
    expect(address.status).toBe('stopped');
    expect(address.channelUserId).not.toBe(session);
    const row = await database.db
      .selectFrom('conversations')
      .select('state_enc')
      .where('id', '=', address.conversationId)
      .executeTakeFirstOrThrow();
    const state = portal.intake.cipher.decryptJson<Record<string, unknown>>(
      row.state_enc,
      `conversation:${address.conversationId}:state`,
    );
    expect(state.transcript).toBeUndefined();
    expect(JSON.stringify(state)).not.toContain(said);
    // A second exit with the same cookie finds nothing more to end.
    expect(await conversations.endBrowserVisit('webchat', session)).toBe('none');
  });

  it('a draft whose resume code was never shown is deleted by the exit; one whose code was shown stays for it', async () => {
    const drafts = portal.intake.drafts;
    const unseen = await drafts.create({ values: { 'incident.narrative': 'never shown' } });
    expect(await drafts.endBrowserBinding(unseen.id, 0)).toBe('deleted');
    expect(await drafts.load(unseen.id)).toBeUndefined();
    expect(await drafts.findByResumeCode(unseen.resumeCode)).toBeUndefined();

    const seen = await drafts.create({ values: { 'incident.narrative': 'shown' } });
    await drafts.markResumeShown(seen.id);
    // An older binding (the draft was resumed elsewhere since) changes nothing.
    expect(await drafts.endBrowserBinding(seen.id, 7)).toBe('not_bound');
    expect(await drafts.endBrowserBinding(seen.id, 0)).toBe('unbound');
    const kept = (await drafts.load(seen.id))!;
    expect(kept.binding).toBe(1);
    expect(kept.content).toEqual({ values: { 'incident.narrative': 'shown' } });
    expect(await drafts.findByResumeCode(seen.resumeCode)).toBe(seen.id);
    // A save after the exit (from the browser that resumed it) keeps the new binding.
    await drafts.update(seen.id, (content) => content);
    expect((await drafts.load(seen.id))!.binding).toBe(1);
  });
});

describe('the quick exit when the server cannot end the visit', () => {
  it('still leaves: the cookies expire and the neutral site replaces the page; the failure is reported', async () => {
    const failures: unknown[] = [];
    const exit = createQuickExit({
      cipher: { hashSecret: () => 'x', secretMatches: () => false } as never,
      endVisit: () => Promise.reject(new Error('database down')),
      onFailure: (error) => failures.push(error),
    });
    const response = await exit.request('/leave', { method: 'POST', headers: { cookie: `rl_chat=${'A'.repeat(32)}` } });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toContainEqual(expect.stringMatching(/^rl_chat=; Max-Age=0; Path=\//));
    expect(await response.text()).toContain('http-equiv="refresh"');
    expect(failures).toHaveLength(1);
  });
});
