import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionTimeZones } from '../../portal/time/time-zones.js';
import { openConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';

describe('times in the console', () => {
  let harness: ConsoleHarness;
  beforeAll(async () => {
    harness = await openConsoleHarness();
  });
  afterAll(async () => harness?.close());

  it('are shown in the zone the viewer chooses in the header, remembered for the visit, with the zone', async () => {
    const { reference } = await harness.submit({ consent: { shareWithLawEnforcement: true }, channel: 'web' });
    const staff = await harness.signedIn('hotline');

    const inUtc = await staff.open('/staff');
    expect(inUtc.html).toMatch(/<form method="get" class="time-zone"><label for="console-time-zone">/);
    const offered = [...inUtc.html.matchAll(/<option value="([^"]+)"/g)].map((match) => match[1]);
    expect(offered).toEqual(expect.arrayContaining([...regionTimeZones]));
    expect(inUtc.html).toContain('<option value="UTC" selected="">');
    expect(inUtc.html).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[\d:.]+Z">[^<]*GMT\+0<\/time>/);

    const inBangkok = await staff.open('/staff?tz=Asia/Bangkok');
    expect(inBangkok.html).toContain('<option value="Asia/Bangkok" selected="">');
    expect(inBangkok.html).toMatch(/<time datetime="[^"]+">[^<]*GMT\+7<\/time>/);
    const casePage = await staff.open(`/staff/cases/${reference}`);
    expect(casePage.html).toContain('<option value="Asia/Bangkok" selected="">');
    expect(casePage.html).toMatch(/<time datetime="[^"]+">[^<]*GMT\+7<\/time>/);
    expect(casePage.html).not.toMatch(/<time datetime="[^"]+">[^<]*GMT\+0<\/time>/);
  });
});
