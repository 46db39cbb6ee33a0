import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../app/config.js';
import { createPortal } from '../app/create-portal.js';
import { silentLogger } from '../app/logger.js';
import { openServices, type Services } from '../app/open-services.js';
import { checkValueContext } from '../intake/check/check-review.js';
import { partnerHash, partnerPrefixOf } from '../intake/check/partner-hash.js';
import type { Indicator } from '../intake/indicators/indicator.js';
import { parseReportInput } from '../intake/report/validate-report.js';
import { createApiToken } from '../intake/store/api-tokens.js';
import { indicatorBlindIndex, reportContentColumns } from '../intake/store/report-store.js';
import { newTimeOrderedId } from '../intake/store/time-ordered-id.js';
import type { BenchLine } from './bench-line.js';

/** Indicators each carrier report holds in the index table: 1,000,000 take a thousand reports. */
const indicatorsPerReport = 1_000;
const samples = 2_000;

/** The n-th phone of the bench, as it is stored (E.164) and as a person in Thailand types it. */
const stored = (n: number) => `+668${String(n).padStart(8, '0')}`;
const typed = (n: number) =>
  `08${String(n)
    .padStart(8, '0')
    .replace(/(\d{4})(\d{4})/, '$1 $2')}`;

/**
 * Fills the index table up to `total` indicators (a thousand a report, as
 * `indicatorIndexRows` writes them) and confirms the first `confirmed` of
 * them as `CheckReview.confirm` would (the value encrypted, the partner hash
 * and its prefix): a documented direct insert, batched, so a million rows
 * take seconds rather than the hours a million submissions would.
 */
async function fill(services: Services, range: { from: number; to: number }, confirmed: { from: number; to: number }) {
  const { db, cipher } = services;
  const at = new Date().toISOString();
  const partnerKey = cipher.checkPartnerKey();
  const content = parseReportInput({ channel: 'api', language: 'th', consent: { shareWithLawEnforcement: true } });
  // Twenty carrier reports (20,000 index rows) a transaction: one commit each, not one per report.
  for (let group = range.from; group < range.to; group += indicatorsPerReport * 20) {
    await db.transaction().execute(async (trx) => {
      for (
        let start = group;
        start < Math.min(range.to, group + indicatorsPerReport * 20);
        start += indicatorsPerReport
      ) {
        const id = newTimeOrderedId(Date.now());
        const count = Math.min(indicatorsPerReport, range.to - start);
        const first: Indicator = {
          kind: 'phone',
          value: stored(start),
          original: stored(start),
          validity: 'valid',
          source: 'bench',
        };
        await trx
          .insertInto('reports')
          .values({
            id,
            reference: `RL-${randomBytes(5).toString('hex').toUpperCase()}`,
            receipt_hash: 'bench',
            channel: 'api',
            status: 'new',
            assigned_to: null,
            duplicate_of: null,
            created_at: at,
            updated_at: at,
            withdrawn_at: null,
            withdrawn_channel: null,
            withdrawal_key: null,
            ...reportContentColumns(cipher, id, content, [first]),
          })
          .execute();
        // 5 columns a row: 4,000 rows stay under SQLite's 32,766 bound parameters.
        for (let batch = 0; batch < count; batch += 4_000) {
          const rows = Array.from({ length: Math.min(4_000, count - batch) }, (_, index) => ({
            report_id: id,
            kind: 'phone',
            value_hash: indicatorBlindIndex(cipher, 'phone', stored(start + batch + index)),
            validity: 'valid',
            created_at: at,
          }));
          await trx.insertInto('report_indicators').values(rows).execute();
        }
      }
    });
  }
  for (let start = confirmed.from; start < confirmed.to; start += 2_000) {
    const rows = Array.from({ length: Math.min(2_000, confirmed.to - start) }, (_, index) => {
      const value = stored(start + index);
      const valueHash = indicatorBlindIndex(cipher, 'phone', value);
      const hash = partnerHash(partnerKey, 'phone', value);
      return {
        value_hash: valueHash,
        kind: 'phone',
        value_enc: cipher.encrypt(value, checkValueContext(valueHash)),
        partner_hash: hash,
        partner_prefix: partnerPrefixOf(hash),
        category: 'job_scam',
        status: 'confirmed',
        reporters: 3,
        changed_by: 'bench',
        confirmed_at: at,
        changed_at: at,
        dispute_id: null,
      };
    });
    await db.insertInto('check_confirmations').values(rows).execute(); // 12 columns: 2,000 rows a statement
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timed(run: (index: number) => Promise<unknown>): Promise<{ median: number; p99: number }> {
  for (let index = 0; index < 100; index += 1) await run(index); // warm-up
  const times: number[] = [];
  for (let index = 0; index < samples; index += 1) {
    const started = performance.now();
    await run(index);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p99: percentile(times, 99) };
}

/**
 * "Check before you pay": a check as a person asks it (typed locally,
 * extracted, normalized, looked up by blind index, confirmation and safelist
 * asked) with 1,000,000 indicators stored and 100,000 confirmed, and the
 * partner range API (bearer token, limit, range query) with 100,000
 * confirmed; each against the same at 1,000 indicators, in the same run.
 */
export async function benchChecks(): Promise<BenchLine[]> {
  const folder = mkdtempSync(join(tmpdir(), 'reportline-bench-checks-'));
  const services = await openServices(
    loadConfig({
      REPORTLINE_DATA_DIR: folder,
      REPORTLINE_DATA_KEY: randomBytes(32).toString('hex'),
      // The bench asks as one person and one partner: the limits would refuse it after a few.
      REPORTLINE_CHECKS_PER_10_MINUTES: '100000',
      REPORTLINE_CHECK_RANGE_PER_MINUTE: '1000000',
    }),
    silentLogger,
  );
  try {
    const app = createPortal(services, silentLogger);
    const { token } = await createApiToken(services.db, { role: 'partner', label: 'bench' });
    const measure = async (storedCount: number, confirmed: number) => {
      const check = await timed((index) =>
        services.checks.check({
          // Confirmed, stored but unconfirmed, and never stored, in turn.
          text: typed(
            index % 3 === 0 ? randomInt(confirmed) : index % 3 === 1 ? randomInt(storedCount) : storedCount + index,
          ),
          channel: 'api',
          askerKey: 'bench',
          countryHint: 'TH',
        }),
      );
      const range = await timed(async () => {
        // A partner's customer's payee: a random hash, so a random range of the million.
        const prefix = randomBytes(3).toString('hex').slice(0, 5);
        const answer = await app.request(`/api/v1/check-range/${prefix}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        await answer.arrayBuffer();
      });
      return { check, range };
    };

    const fillStarted = performance.now();
    await fill(services, { from: 0, to: 1_000 }, { from: 0, to: 1_000 });
    const small = await measure(1_000, 1_000);
    await fill(services, { from: 1_000, to: 1_000_000 }, { from: 1_000, to: 100_000 });
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    const large = await measure(1_000_000, 100_000);
    const answered = await services.checks.check({
      text: typed(42),
      channel: 'api',
      askerKey: 'bench',
      countryHint: 'TH',
    });
    const warned = answered.kind === 'checked' && answered.indicators[0]?.verdict === 'warning';
    return [
      {
        name: 'filling 1,000,000 indicators and 100,000 confirmations (batched)',
        value: fillSeconds,
        unit: 's',
        aim: 'informative',
        met: true,
      },
      {
        name: 'a confirmed number answered as a warning at 1,000,000 indicators',
        value: warned ? 1 : 0,
        unit: 'ratio',
        aim: '1 (the bench checks what it measures)',
        met: warned,
      },
      {
        name: 'check median, 1,000,000 indicators',
        value: large.check.median,
        unit: 'ms',
        aim: 'informative',
        met: true,
      },
      {
        name: 'check p99, 1,000,000 indicators',
        value: large.check.p99,
        unit: 'ms',
        aim: '< 10 ms',
        met: large.check.p99 < 10,
      },
      {
        name: 'check p99 at 1,000,000 / at 1,000 indicators',
        value: large.check.p99 / small.check.p99,
        unit: 'ratio',
        aim: '< 3 (the lookup does not grow with the store)',
        met: large.check.p99 / small.check.p99 < 3,
      },
      {
        name: 'range API median, 100,000 confirmed',
        value: large.range.median,
        unit: 'ms',
        aim: 'informative',
        met: true,
      },
      {
        name: 'range API p99, 100,000 confirmed',
        value: large.range.p99,
        unit: 'ms',
        aim: '< 20 ms',
        met: large.range.p99 < 20,
      },
      {
        name: 'range API p99 at 100,000 / at 1,000 confirmed',
        value: large.range.p99 / small.range.p99,
        unit: 'ratio',
        aim: '< 3',
        met: large.range.p99 / small.range.p99 < 3,
      },
    ];
  } finally {
    await services.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
