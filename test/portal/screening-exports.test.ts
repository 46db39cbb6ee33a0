import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCaseDocument } from '../../intake/delivery/case-document.js';
import { casesToStixBundle } from '../../intake/delivery/exports/cases-stix.js';
import { caseDocumentSchema } from '../../portal/api/openapi-document.js';
import { createCaseRouter } from '../../intake/routing/case-router.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { testDatabaseKinds } from '../support/test-databases.js';
import { createTestPortal, type TestPortal } from '../support/test-portal.js';

/** What leaves the hotline about a likely trafficking victim: the case document (API, webhook) and STIX. */
describe.each(testDatabaseKinds)('the trafficking finding in what agencies receive (%s)', (kind) => {
  let portal: TestPortal;
  beforeAll(async () => {
    portal = await createTestPortal(kind, { router: createCaseRouter(loadAgencyDirectory()) });
  });
  afterAll(async () => portal?.dispose());

  const documentOf = async (screening: { indicators: Array<'forced_to_scam' | 'wages_withheld'> } | undefined) => {
    const stored = await portal.reports.submitReport(
      {
        consent: { shareWithLawEnforcement: true },
        victim: { nationality: 'PH', currentCountry: 'KH' },
        incident: { category: 'fake_job_compound' },
        ...(screening ? { screening } : {}),
      },
      { actor: 'test' },
    );
    const { reports, links, routing } = portal.intake;
    return (await buildCaseDocument({ reports, links, routing }, stored.reportId, null))!;
  };

  it('carries the mark, the matched indicators, the rule and the non-punishment sources', async () => {
    const document = await documentOf({ indicators: ['forced_to_scam', 'wages_withheld'] });
    expect(document.trafficking).toEqual({
      likelyVictim: true,
      indicators: ['forced_to_scam', 'wages_withheld'],
      skipped: false,
      forcedToScam: true,
      rule: 'ilo-forced-labour-one-strong-or-two-medium',
      nonPunishment: [expect.stringContaining('14(7)'), expect.stringContaining('principle 7')],
    });
    // The OpenAPI document describes it as it is sent.
    expect(caseDocumentSchema.parse(JSON.parse(JSON.stringify(document))).trafficking).toEqual(document.trafficking);
    const incident = casesToStixBundle([document]).objects.find((object) => object.type === 'incident') as unknown as {
      description: string;
    };
    expect(incident.description).toMatch(/Likely trafficking victim/);
    expect(incident.description).toMatch(/Non-punishment: .*forced to scam/);
  });

  it('is null when the screening was never offered, and says nothing in STIX when it marks no victim', async () => {
    expect((await documentOf(undefined)).trafficking).toBeNull();
    const notLikely = await documentOf({ indicators: ['wages_withheld'] });
    expect(notLikely.trafficking).toMatchObject({ likelyVictim: false, nonPunishment: null });
    const incident = casesToStixBundle([notLikely]).objects.find((object) => object.type === 'incident') as unknown as {
      description: string;
    };
    expect(incident.description).not.toMatch(/trafficking victim|Non-punishment/);
  });
});
