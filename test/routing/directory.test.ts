import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import { parseReportInput } from '../../intake/report/validate-report.js';
import { createCaseRouter } from '../../intake/routing/case-router.js';
import { directoryDeliveryTargets } from '../../intake/routing/directory-delivery-targets.js';
import { emergencyContactsFor } from '../../intake/routing/emergency-contacts.js';
import { explainRouting } from '../../intake/routing/explain-routing.js';
import { DirectoryError, loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { routeReport } from '../../intake/routing/route-report.js';

const folder = mkdtempSync(join(tmpdir(), 'reportline-directory-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const i18n = createI18n(loadLocaleResources(defaultLocalesDir));

function deploymentFile(name: string, content: unknown): string {
  const path = join(folder, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const heldInSihanoukville = parseReportInput({
  consent: { shareWithLawEnforcement: true },
  victim: { nationality: 'KR', residenceCountry: 'KR', currentCountry: 'KH' },
  safety: { heldAgainstWill: true },
  incident: { category: 'fake_job_compound' },
  suspects: { compound: { name: 'Golden Sun', place: 'Sihanoukville', country: 'KH' } },
});

describe('the shipped agency directory', () => {
  const directory = loadAgencyDirectory();

  it('names a source for every contact, and uses only labels that are translated', () => {
    for (const agency of directory.agencies.values()) {
      for (const contact of agency.contacts) {
        expect(contact.source, `${agency.id}`).toMatch(/^https?:\/\//);
        expect(contact.phone ?? contact.url, `${agency.id}`).toBeDefined();
        expect(i18n.exists(`routing:${contact.labelKey}`), contact.labelKey).toBe(true);
      }
    }
  });

  it('lists the emergency numbers of the country a person is in, emergency first, with their consular line', () => {
    const t = i18n.getFixedT('en', 'routing');
    const contacts = emergencyContactsFor(directory, 'KH', t, 'en', 'KR');
    expect(contacts[0]).toMatchObject({ agencyId: 'kh-cnp', phone: '117', label: 'Police emergency' });
    expect(contacts.at(-1)).toMatchObject({ agencyId: 'kr-mofa-consular', phone: '+82-2-3210-0404' });
    expect(emergencyContactsFor(directory, 'TH', t, 'en').map((contact) => contact.phone)).toEqual(
      expect.arrayContaining(['191', '1441', '1300']),
    );
  });
});

describe('explaining a routing decision to the reporter', () => {
  const directory = loadAgencyDirectory();
  const decision = routeReport(heldInSihanoukville, directory);

  it('says in plain English where the case goes and why', () => {
    expect(explainRouting(decision, directory, i18n.getFixedT('en', 'routing'), 'en')).toEqual([
      'Main contact: Cambodian National Police, because you are held in Sihanoukville, Cambodia, and the police there can reach you.',
      'Also told: Korean National Police Agency, because you are a citizen of South Korea.',
      'Also told: Ministry of Foreign Affairs Consular Call Center, because they help citizens of South Korea abroad.',
      'Also told: INTERPOL, because this case crosses regions and someone is held.',
      'Your report is marked urgent. It is handled first.',
    ]);
  });

  it('says it in Korean and in Thai, with agency and country names in those languages', () => {
    const korean = explainRouting(decision, directory, i18n.getFixedT('ko', 'routing'), 'ko');
    expect(korean[1]).toContain('경찰청');
    expect(korean[1]).toContain('대한민국');
    expect(korean[0]).toContain('캄보디아');
    const thai = explainRouting(decision, directory, i18n.getFixedT('th', 'routing'), 'th');
    expect(thai[0]).toContain('กัมพูชา');
    expect(thai.join(' ')).not.toMatch(/Main contact|because/);
  });

  it('tells a reporter who did not consent that nothing is sent', () => {
    const withheld = routeReport(
      { ...heldInSihanoukville, consent: { shareWithLawEnforcement: false, contactBack: false } },
      directory,
    );
    expect(explainRouting(withheld, directory, i18n.getFixedT('en', 'routing'), 'en')).toContain(
      'You did not agree to share your report with the police, so we will not send it. Our staff can still help you.',
    );
  });
});

describe("a deployment's own directory file", () => {
  it('adds delivery endpoints and agencies, changes fields, and adds rules', () => {
    const file = deploymentFile('good.json', {
      agencies: [
        {
          id: 'kh-cnp',
          delivery: { webhook: { url: 'https://cnp.example.gov.kh/reportline', secretEnv: 'KH_CNP_SECRET' } },
        },
        { id: 'kr-knpa', delivery: { email: { to: ['cyber@police.example.kr'] }, language: 'ko' } },
        {
          id: 'ngo-shelter',
          country: 'KR',
          name: { en: 'A partner shelter for returnees' },
          roles: ['trafficking'],
          handles: ['trafficking'],
          scope: 'national',
          contacts: [],
        },
      ],
      rules: [
        {
          when: { compoundCountry: 'KH', urgent: true },
          copy: 'ngo-shelter',
          reason: { en: 'they help people who come back from the compounds', ko: '보호소를 운영합니다' },
        },
      ],
    });
    const directory = loadAgencyDirectory({ deploymentFile: file });
    expect(directory.agencies.get('kh-cnp')?.contacts[0]?.phone).toBe('117');
    const plan = createCaseRouter(directory)(heldInSihanoukville);
    expect(plan.agencies.map((agency) => agency.agencyId)).toEqual([
      'kh-cnp',
      'kr-knpa',
      'kr-mofa-consular',
      'interpol',
      'ngo-shelter',
    ]);
    expect(plan.deliveries).toEqual([
      { agencyId: 'kh-cnp', method: 'webhook' },
      { agencyId: 'kr-knpa', method: 'email' },
    ]);
    const lines = explainRouting(
      plan.decision as ReturnType<typeof routeReport>,
      directory,
      i18n.getFixedT('ko', 'routing'),
      'ko',
    );
    expect(lines.some((line) => line.includes('보호소를 운영합니다'))).toBe(true);

    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const targets = directoryDeliveryTargets(directory, { KH_CNP_SECRET: secret });
    expect(targets.webhook('kh-cnp')).toEqual({ url: 'https://cnp.example.gov.kh/reportline', secret });
    // A secret not in the Standard Webhooks form stops start-up, naming the variable only.
    expect(() => directoryDeliveryTargets(directory, { KH_CNP_SECRET: 's3cret' })).toThrow(/KH_CNP_SECRET/);
    expect(targets.email('kr-knpa')).toEqual({ to: ['cyber@police.example.kr'] });
    expect(targets.language('kr-knpa')).toBe('ko');
    expect(() => directoryDeliveryTargets(directory, {})).toThrow(
      /agencies\[kh-cnp\]\.delivery\.webhook\.secretEnv: the environment variable KH_CNP_SECRET is not set/,
    );
  });

  it('plans no delivery for a report without consent', () => {
    const file = deploymentFile('webhook.json', {
      agencies: [{ id: 'kh-cnp', delivery: { webhook: { url: 'https://cnp.example.gov.kh/r', secretEnv: 'S' } } }],
    });
    const plan = createCaseRouter(loadAgencyDirectory({ deploymentFile: file }))({
      ...heldInSihanoukville,
      consent: { shareWithLawEnforcement: false, contactBack: false },
    });
    expect(plan.withheld).toBe(true);
    expect(plan.agencies.length).toBeGreaterThan(0);
    expect(plan.deliveries).toEqual([]);
  });

  it.each([
    [
      'a bad webhook URL',
      { agencies: [{ id: 'kr-knpa', delivery: { webhook: { url: 'not a url', secretEnv: 'X' } } }] },
      /bad-1\.json: agencies\[kr-knpa\]\.delivery\.webhook\.url: /,
    ],
    [
      'a secret written into the file',
      {
        agencies: [
          { id: 'kr-knpa', delivery: { webhook: { url: 'https://x.example/', secret: 'abc', secretEnv: 'X' } } },
        ],
      },
      /bad-2\.json: agencies\[kr-knpa\]\.delivery\.webhook: Unrecognized key: "secret"/,
    ],
    [
      'a new agency missing its fields',
      { agencies: [{ id: 'new-agency', name: { en: 'New' } }] },
      /bad-3\.json: agencies\[new-agency\]\.country: new agency: /,
    ],
    [
      'a rule copying an unknown agency',
      { rules: [{ when: {}, copy: 'nobody', reason: { en: 'x' } }] },
      /bad-4\.json: rules\[0\]\.copy: no agency has the id "nobody"/,
    ],
    [
      'a rule without an English reason',
      { rules: [{ when: {}, copy: 'kr-knpa', reason: { ko: '이유' } }] },
      /bad-5\.json: rules\[0\]\.reason: Needs at least an English reason/,
    ],
  ])('refuses %s, naming the file, the entry and the field', (_name, content, message) => {
    const index =
      [
        'a bad webhook URL',
        'a secret written into the file',
        'a new agency missing its fields',
        'a rule copying an unknown agency',
        'a rule without an English reason',
      ].indexOf(_name) + 1;
    const file = deploymentFile(`bad-${index}.json`, content);
    expect(() => loadAgencyDirectory({ deploymentFile: file })).toThrow(DirectoryError);
    expect(() => loadAgencyDirectory({ deploymentFile: file })).toThrow(message);
  });

  it('refuses a file that is not JSON or cannot be read', () => {
    expect(() => loadAgencyDirectory({ deploymentFile: deploymentFile('broken.json', '{ "agencies": [') })).toThrow(
      /broken\.json: is not valid JSON/,
    );
    expect(() => loadAgencyDirectory({ deploymentFile: join(folder, 'missing.json') })).toThrow(
      /missing\.json: cannot be read \(ENOENT\)/,
    );
  });
});
