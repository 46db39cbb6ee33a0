import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';
import { testI18n } from '../support/test-portal.js';

describe('an amended case in the agency inbox', () => {
  let harness: ConsoleHarness;
  beforeAll(async () => {
    harness = await openConsoleHarness();
  });
  afterAll(async () => harness?.close());

  it('shows the case as amended, and lists each version with the fields it changed', async () => {
    const { services } = harness;
    const { reportId, reference } = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      victim: { currentCountry: 'LA' },
    });
    const agencyId = (await services.routing.getRouting(reportId))!.agencies[0]!.agencyId;
    const officer = await harness.signedIn('agency', agencyId);
    let page = await officer.open(`/agency/cases/${reference}`);
    expect(page.html).not.toContain('id="amendments-title"');

    await services.amendments.amend({
      reportId,
      changes: { victim: { currentPlace: 'Vientiane, Sisattanak' }, suspects: { phones: ['+856 20 5555 1234'] } },
      actor: 'channel:webchat',
      channel: 'webchat',
    });
    page = await officer.open(`/agency/cases/${reference}`);
    expect(page.html).toContain('Vientiane, Sisattanak');
    const section = page.html.slice(page.html.indexOf('id="amendments-title"'));
    const items = [...section.slice(0, section.indexOf('</ol>')).matchAll(/<li>([\s\S]*?)<\/li>/g)].map(
      (match) => match[1]!,
    );
    expect(items).toHaveLength(1);
    const t = testI18n.getFixedT('en', 'staff');
    expect(items[0]).toContain(t('inbox.amendment', { version: 1, fields: 'victim.currentPlace, suspects.phones' }));
  });
});
