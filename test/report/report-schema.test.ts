import { describe, expect, it } from 'vitest';
import { isUrgent } from '../../intake/report/report-schema.js';
import { parseReportInput, ReportValidationError } from '../../intake/report/validate-report.js';
import { completeReport, minimalReport } from '../support/fixtures.js';

function issuesOf(input: unknown) {
  try {
    parseReportInput(input);
  } catch (error) {
    if (error instanceof ReportValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected the report to be rejected');
}

describe('the report model', () => {
  it('accepts a report with only the consent answer and fills every skipped section', () => {
    const content = parseReportInput(minimalReport());
    expect(content.channel).toBe('api');
    expect(content.language).toBe('en');
    expect(content.consent).toEqual({ shareWithLawEnforcement: false, contactBack: false });
    expect(content.suspects.phones).toEqual([]);
    expect(content.losses.payments).toEqual([]);
    expect(content.evidence).toEqual([]);
    expect(content.trafficking.othersHeldNationalities).toEqual([]);
  });

  it('keeps every field of a complete report and normalizes codes to upper case', () => {
    const input = completeReport();
    const content = parseReportInput(input);
    expect(content.victim.nationality).toBe('KR');
    expect(content.losses.payments[0]?.currency).toBe('KRW');
    expect(content.losses.payments[1]?.currency).toBe('USDT-TRC20');
    expect(content.incident.narrative).toBe(input.incident?.narrative);
    expect(content.trafficking.othersHeldNationalities).toEqual(['KR', 'VN', 'ID']);
  });

  it('requires the consent answer, the one question that cannot be skipped', () => {
    expect(issuesOf({})).toEqual([expect.objectContaining({ path: 'consent', code: 'invalid_type' })]);
    expect(issuesOf({ consent: {} })).toEqual([
      expect.objectContaining({ path: 'consent.shareWithLawEnforcement', code: 'invalid_type' }),
    ]);
  });

  it('rejects an unknown category with the field path', () => {
    const issues = issuesOf({ ...minimalReport(), incident: { category: 'lottery' } });
    expect(issues).toEqual([expect.objectContaining({ path: 'incident.category', code: 'invalid_value' })]);
  });

  it('rejects wrong types, bad codes and unknown fields, each with its own path', () => {
    const issues = issuesOf({
      consent: { shareWithLawEnforcement: 'yes' },
      victim: { currentCountry: 'Cambodia' },
      losses: { payments: [{ amount: -5, currency: 'dollars!' }] },
      suspect: { phones: [] },
    });
    const paths = issues.map((issue) => issue.path).sort();
    expect(paths).toEqual([
      '',
      'consent.shareWithLawEnforcement',
      'losses.payments.0.amount',
      'losses.payments.0.currency',
      'victim.currentCountry',
    ]);
    expect(issues.find((issue) => issue.path === '')?.code).toBe('unrecognized_keys');
  });

  it('rejects impossible dates and coordinates', () => {
    const paths = issuesOf({
      ...minimalReport(),
      incident: { firstContactDate: '2025-02-30' },
      victim: { coordinates: { latitude: 123, longitude: 0 } },
    }).map((issue) => issue.path);
    expect(paths.sort()).toEqual(['incident.firstContactDate', 'victim.coordinates.latitude']);
  });

  it('marks a report urgent when the person is in danger or held', () => {
    expect(isUrgent(parseReportInput(minimalReport()))).toBe(false);
    expect(isUrgent(parseReportInput({ ...minimalReport(), safety: { heldAgainstWill: true } }))).toBe(true);
    expect(isUrgent(parseReportInput({ ...minimalReport(), safety: { inImmediateDanger: true } }))).toBe(true);
  });
});
