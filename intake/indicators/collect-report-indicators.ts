// INTERIM (lead): replaced by the indicator engineer's full implementation.
import type { ReportContent } from '../report/report-schema.js';
import type { Indicator } from './indicator.js';

export function collectReportIndicators(report: ReportContent): Indicator[] {
  const out: Indicator[] = [];
  report.suspects.phones.forEach((original, i) =>
    out.push({ kind: 'phone', value: original.replace(/[^\d+]/g, ''), original, validity: 'plausible', source: `suspects.phones.${i}` }),
  );
  report.suspects.wallets.forEach((original, i) =>
    out.push({ kind: 'crypto_address', value: `tron:${original}`, original, validity: 'plausible', source: `suspects.wallets.${i}` }),
  );
  report.suspects.emails.forEach((original, i) =>
    out.push({ kind: 'email', value: original.toLowerCase(), original, validity: 'plausible', source: `suspects.emails.${i}` }),
  );
  return out;
}
