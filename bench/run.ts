import { benchApiSubmit } from './api-submit-bench.js';
import { benchConsole } from './console-bench.js';
import { benchDashboard } from './dashboard-bench.js';
import { benchChecks } from './check-bench.js';
import { benchCompoundMatcher } from './compound-matcher-bench.js';
import type { BenchLine } from './bench-line.js';
import { benchExtraction } from './extraction-bench.js';
import { benchLinking } from './linking-bench.js';
import { benchReplyLatency } from './reply-latency-bench.js';
import { benchPageWeight } from './page-weight-bench.js';
import { benchInstances } from './instances-bench.js';

/**
 * `npm run bench`: every performance goal of the project, each measured as a
 * figure and, where the goal is relative, as a ratio against a baseline taken
 * in the same run on the same machine.
 */
const benchmarks: Array<[string, () => Promise<BenchLine[]>]> = [
  ['intake over HTTP', benchApiSubmit],
  ['indicator extraction', benchExtraction],
  ['linking reports that share an indicator', benchLinking],
  ['the compound matcher as the store grows', benchCompoundMatcher],
  ['the staff console', benchConsole],
  ['the dashboard (SVG charts and CSV)', benchDashboard],
  ['check before you pay (lookups and the partner range API)', benchChecks],
  ['chat replies (Telegram, through the outbox)', benchReplyLatency],
  ['the public pages on a slow phone link', benchPageWeight],
  ['several instances on one PostgreSQL', benchInstances],
];

function format(value: number, unit: string): string {
  const digits = unit === 'ratio' ? 2 : value < 10 ? 2 : 0;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${unit}`;
}

let missed = 0;
for (const [title, benchmark] of benchmarks) {
  process.stdout.write(`\n${title}\n`);
  for (const line of await benchmark()) {
    if (!line.met) missed += 1;
    process.stdout.write(
      `  ${line.met ? 'ok  ' : 'MISS'} ${line.name}: ${format(line.value, line.unit)} (aim: ${line.aim})\n`,
    );
  }
}
process.stdout.write(`\n${missed === 0 ? 'every aim met' : `${missed} aim(s) missed`}\n`);
