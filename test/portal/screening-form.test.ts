import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPortal } from '../../app/create-portal.js';
import { silentLogger } from '../../app/logger.js';
import type { Services } from '../../app/open-services.js';
import { consularDeskIds, writeConsularDeployment } from '../conversation/screening-deployment.js';
import { messageKeys } from '../support/page-messages.js';
import { browserFor } from '../support/public-portal.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';
import { openTestServices } from '../support/test-services.js';

/** "They took my passport, I cannot leave", as a person writes it in their own language. */
const passportTaken = {
  km: 'ពួកគេបានយកលិខិតឆ្លងដែនរបស់ខ្ញុំ ខ្ញុំមិនអាចចាកចេញបានទេ',
  my: 'သူတို့က ကျွန်တော့် ပတ်စပို့ကို ယူထားတယ်။ ကျွန်တော် ထွက်သွားလို့ မရဘူး။',
  id: 'Mereka mengambil paspor saya, saya tidak bisa pergi.',
} as const;

const ticks = (html: string) =>
  [...html.matchAll(/<input type="checkbox"[^>]*name="screening\.indicators"[^>]*value="([a-z_]+)"/g)].map(
    (match) => match[1],
  );

describe('the trafficking screening in the web form, and the finding for staff and agencies', () => {
  let database: TestDatabase;
  let services: Services & { close(): Promise<void> };
  let app: ReturnType<typeof createPortal>;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    services = await openTestServices(database, {
      environment: { REPORTLINE_DIRECTORY_FILE: writeConsularDeployment() },
      logger: silentLogger,
    });
    app = createPortal(services, silentLogger);
  });
  afterAll(async () => {
    await services?.close();
    await database?.dispose();
  });

  /** The form from the safety page to the money page, with a story; the money page as shown. */
  async function toMoneyPage(language: string, safety: Record<string, string>, story: string, category = '') {
    const reporter = browserFor(app, language);
    const safetyPage = await reporter.open('/report/safety');
    await reporter.submit(safetyPage, '/report', { step: 'safety', action: 'next', ...safety });
    // An urgent answer offers the short urgent page; this reporter goes on to tell the story.
    await reporter.open('/report?go=incident');
    let page = await reporter.open('/report');
    page = await reporter.submit(page, '/report', {
      step: 'incident',
      action: 'next',
      'incident.narrative': story,
      ...(category ? { 'incident.category': category } : {}),
    });
    expect(messageKeys(page.html)).toContain('form.step.money.title');
    return { reporter, page };
  }

  async function signedIn(role: 'agency' | 'hotline', agencyId?: string) {
    const username = `${role}-${Math.random().toString(36).slice(2)}`;
    const password = `${Math.random().toString(36).slice(2)}-long-pass-1`;
    await services.accounts.createUser({ username, password, role, ...(agencyId ? { agencyId } : {}) });
    const browser = browserFor(app, 'en');
    const form = await browser.open('/staff/login');
    await browser.submit(form, '/staff/login', { username, password });
    return browser;
  }

  it.each([
    { language: 'km', where: 'TH', nationality: 'KH', police: 'th-rtp', unit: 'th-oscc' as string | undefined },
    { language: 'my', where: 'KH', nationality: 'MM', police: 'kh-cnp', unit: undefined },
    { language: 'id', where: 'PH', nationality: 'ID', police: 'ph-pnp', unit: 'ph-iacat' },
  ] as const)(
    '$language: the story leads to the screening; the urgent case reaches the police, the unit and the consular desk, and the agency page carries the non-punishment note',
    async ({ language, where, nationality, police, unit }) => {
      const held = language === 'my';
      const { reporter, page: money } = await toMoneyPage(
        language,
        {
          'safety.inImmediateDanger': held ? 'no' : 'yes',
          'safety.heldAgainstWill': held ? 'yes' : 'no',
          'victim.currentCountry': where,
        },
        passportTaken[language],
      );
      expect(money.html).toContain('id="group-screening"');
      // What the safety page asked is not asked again.
      expect(ticks(money.html)).toEqual(
        [
          'documents_taken',
          'debt_to_employer',
          'not_free_to_leave',
          'forced_to_scam',
          'threats_or_violence',
          'wages_withheld',
        ].filter((indicator) => !(held && indicator === 'not_free_to_leave')),
      );
      let page = await reporter.submit(money, '/report', {
        step: 'money',
        action: 'next',
        'screening.indicators': ['documents_taken', 'forced_to_scam'],
      });
      page = await reporter.submit(page, '/report', { step: 'contacts', action: 'next' });
      page = await reporter.submit(page, '/report', { step: 'evidence', action: 'next' });
      page = await reporter.submit(page, '/report', {
        step: 'about',
        action: 'next',
        'victim.nationality': nationality,
        'consent.shareWithLawEnforcement': 'yes',
        'consent.contactBack': 'no',
      });
      expect(messageKeys(page.html)).toContain('form.step.review.title');
      const done = await reporter.submit(page, '/report/submit', {});
      expect(messageKeys(done.html)).toContain('form.done.title');
      const reference = /RL-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(done.html)![0];
      const stored = (await services.reports.getReport(reference))!;
      expect(stored.report.urgent).toBe(true);
      expect(stored.report.screening?.indicators).toEqual(['documents_taken', 'forced_to_scam']);
      const agencies = (await services.routing.getRouting(stored.report.id))!.agencies.map((agency) => agency.agencyId);
      expect(agencies[0]).toBe(police);
      if (unit) expect(agencies).toContain(unit);
      expect(agencies).toContain(consularDeskIds[nationality]);

      // The police where the person is read the mark, the indicators and the non-punishment note.
      const officer = await signedIn('agency', police);
      const agencyPage = await officer.open(`/agency/cases/${reference}`);
      expect(agencyPage.response.status).toBe(200);
      expect(agencyPage.html).toMatch(/<section[^>]*id="screening"[^>]*data-likely="1"/);
      expect(agencyPage.html).toMatch(/data-indicators="documents_taken (not_free_to_leave )?forced_to_scam"/);
      expect(messageKeys(agencyPage.html)).toEqual(
        expect.arrayContaining(['screening.nonPunishment', 'screening.nonPunishmentForced', 'screening.rule']),
      );
      // So does the consular desk, copied.
      const consul = await signedIn('agency', consularDeskIds[nationality]);
      expect(messageKeys((await consul.open(`/agency/cases/${reference}`)).html)).toContain('screening.nonPunishment');
    },
  );

  it('a story that does not point that way gets no screening (Indonesian, a crypto investment)', async () => {
    const { page } = await toMoneyPage(
      'id',
      { 'safety.inImmediateDanger': 'no', 'safety.heldAgainstWill': 'no', 'victim.currentCountry': 'ID' },
      'Saya tertipu investasi kripto lewat aplikasi, uang saya tidak bisa ditarik.',
      'investment_crypto',
    );
    expect(page.html).not.toContain('id="group-screening"');
    expect(ticks(page.html)).toEqual([]);
  });

  it('staff see the mark in the queue and on the case page; a value not offered is refused and nothing typed is lost', async () => {
    const { reporter, page: money } = await toMoneyPage(
      'km',
      { 'safety.inImmediateDanger': 'no', 'safety.heldAgainstWill': 'no', 'victim.currentCountry': 'TH' },
      passportTaken.km,
    );
    const refused = await reporter.submit(money, '/report', {
      step: 'money',
      action: 'next',
      'screening.indicators': ['documents_taken', 'owns_a_boat'],
      'losses.bankCaseNumber': 'BK-12',
    });
    expect(refused.response.status).toBe(400);
    expect(messageKeys(refused.html)).toContain('form.error.invalidChoice');
    expect(refused.html).toContain('value="BK-12"');

    const stored = await services.reports.submitReport(
      {
        consent: { shareWithLawEnforcement: true },
        language: 'km',
        victim: { nationality: 'KH', currentCountry: 'TH' },
        screening: { indicators: ['threats_or_violence'] },
      },
      { actor: 'test' },
    );
    const hotline = await signedIn('hotline');
    const queue = await hotline.open('/staff?status=all');
    const row = queue.html.slice(queue.html.indexOf(`data-reference="${stored.reference}"`)).split('</tr>')[0]!;
    expect(row).toContain('data-flag="likely_trafficking"');
    const casePage = await hotline.open(`/staff/cases/${stored.reference}`);
    expect(casePage.html).toMatch(/<section[^>]*id="screening"[^>]*data-likely="1"/);
    expect(messageKeys(casePage.html)).toContain('screening.nonPunishment');
    // Not forced to scam: the note for that is not shown.
    expect(messageKeys(casePage.html)).not.toContain('screening.nonPunishmentForced');
  });
});
