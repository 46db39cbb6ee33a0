import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newReportReference } from '../../intake/report/reference-codes.js';
import { createApiToken } from '../../intake/store/api-tokens.js';
import type { ConsoleHarness } from '../support/console-harness.js';
import { openHarnessOn, recordQueries } from '../support/harness-on-database.js';
import { testDatabaseKinds, warnIfPostgresSkipped } from '../support/test-databases.js';

warnIfPostgresSkipped();

/**
 * The project forbids timed tests, so the time an answer takes is shown by
 * the work behind it: another agency's case and a reference nobody has must
 * give the same bytes after the same statements, with the same parameters
 * but for the reference asked for.
 */
describe.each(testDatabaseKinds)('an agency cannot tell another agency’s case from a missing one, on %s', (kind) => {
  let harness: ConsoleHarness;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ harness, close } = await openHarnessOn(kind));
    expect(harness.services.config.database.kind).toBe(kind);
  });
  afterAll(async () => close?.());

  it('answers the agency pages, the evidence and the API with the same bytes after the same queries', async () => {
    const own = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      victim: { currentCountry: 'TH', nationality: 'TH' },
    });
    const korean = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      victim: { currentCountry: 'KR', nationality: 'KR' },
    });
    const withheld = await harness.submit({
      consent: { shareWithLawEnforcement: false },
      victim: { currentCountry: 'TH', nationality: 'TH' },
    });
    expect(await harness.services.routing.isRoutedTo(korean.reportId, 'th-rtp')).toBe(false);
    let missing = newReportReference();
    while ([own, korean, withheld].some((report) => report.reference === missing)) missing = newReportReference();

    const police = await harness.signedIn('agency', 'th-rtp');
    const { token } = await createApiToken(harness.services.db, { role: 'agency', agencyId: 'th-rtp' });
    const cookie = () => [...police.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const requests: Record<string, (reference: string) => Response | Promise<Response>> = {
      page: (reference) =>
        harness.app.request(`/agency/cases/${reference}`, { headers: { cookie: cookie(), 'accept-language': 'en' } }),
      evidence: (reference) =>
        harness.app.request(`/agency/evidence/${reference}/${'a'.repeat(64)}`, {
          headers: { cookie: cookie(), 'accept-language': 'en' },
        }),
      api: (reference) =>
        harness.app.request(`/api/v1/agency/cases/${reference}`, {
          headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' },
        }),
    };

    const recorder = recordQueries(harness.services.db);
    /** One request: its answer, and the statements it ran with the reference asked for blanked out. */
    const observe = async (name: string, reference: string) => {
      recorder.take();
      const response = await requests[name]!(reference);
      const body = await response.text();
      const queries = recorder.take().map((query) => ({
        sql: query.sql,
        parameters: query.parameters.map((value) => (value === reference ? '<reference>' : value)),
      }));
      return { status: response.status, contentType: response.headers.get('content-type'), body, queries };
    };

    for (const name of Object.keys(requests)) {
      // Its own case is found (the evidence file asked for does not exist, so that one is a 404 too).
      expect((await observe(name, own.reference)).status, name).toBe(name === 'evidence' ? 404 : 200);
      const absent = await observe(name, missing);
      expect(absent.status, name).toBe(404);
      for (const other of [korean.reference, withheld.reference]) {
        const answer = await observe(name, other);
        expect(answer.status, `${name} ${other}`).toBe(404);
        expect(answer.contentType, `${name} ${other}`).toBe(absent.contentType);
        expect(answer.body, `${name} ${other}`).toBe(absent.body);
        expect(answer.queries, `${name} ${other}`).toEqual(absent.queries);
        // And no case row was read whole (its encrypted content) to decide.
        expect(
          answer.queries.some((query) => /content_enc|select \* from "reports"/i.test(query.sql)),
          `${name} ${other}`,
        ).toBe(false);
      }
      // Asked again, in the other order, the two still match: no cache makes one cheaper.
      const [again, otherAgain] = [await observe(name, missing), await observe(name, korean.reference)];
      expect(otherAgain.queries, name).toEqual(again.queries);
    }
  });
});
