import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractIndicators } from '../../intake/indicators/extract-indicators.js';

/**
 * Two corpora of realistic messages: the project's own
 * (test/fixtures/indicator-corpus.json) and one written by someone who had
 * not read the extractor, as victims and their families write
 * (indicator-corpus-victims.json), each message labelled before the
 * extractor ran on it. A message with `addedAfterFix: true` was added after
 * the fix it tests, so it says nothing about text the extractor has not
 * seen; the figures are printed for each group as well as for the whole.
 */
interface CorpusEntry {
  language: string;
  country: string;
  text: string;
  expected: Array<{ kind: string; value: string; validity: string }>;
  addedAfterFix?: boolean;
}

const fixtures = new URL('../fixtures/', import.meta.url);
const read = (name: string): CorpusEntry[] =>
  JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')) as CorpusEntry[];
const own = read('indicator-corpus.json');
const victims = read('indicator-corpus-victims.json');
const entries = [...own, ...victims];

const key = (indicator: { kind: string; value: string; validity: string }) =>
  `${indicator.kind} ${indicator.value} ${indicator.validity}`;

interface Tally {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

const emptyTally = (): Tally => ({ truePositives: 0, falsePositives: 0, falseNegatives: 0 });
const precision = (tally: Tally) => tally.truePositives / (tally.truePositives + tally.falsePositives || 1);
const recall = (tally: Tally) => tally.truePositives / (tally.truePositives + tally.falseNegatives || 1);

/** Scores every message, by kind, by language and by group, and lists every difference. */
function score(messages: CorpusEntry[]) {
  const whole = emptyTally();
  const byKind = new Map<string, Tally>();
  const byLanguage = new Map<string, Tally>();
  const byGroup = new Map<string, Tally>();
  const misses: string[] = [];
  const tallyOf = (map: Map<string, Tally>, name: string) => {
    if (!map.has(name)) map.set(name, emptyTally());
    return map.get(name)!;
  };
  for (const entry of messages) {
    const group =
      entry.addedAfterFix === true ? 'added after a fix' : own.includes(entry) ? 'own' : 'victims (held out)';
    const found = extractIndicators(entry.text, { source: 'narrative', defaultCountry: entry.country }).map(
      (indicator) => ({
        kind: indicator.kind,
        key: key(indicator),
      }),
    );
    const expected = entry.expected.map((indicator) => ({ kind: indicator.kind, key: key(indicator) }));
    const count = (kind: string, field: keyof Tally) => {
      for (const tally of [whole, tallyOf(byKind, kind), tallyOf(byLanguage, entry.language), tallyOf(byGroup, group)])
        tally[field] += 1;
    };
    for (const item of found) {
      if (expected.some((wanted) => wanted.key === item.key)) count(item.kind, 'truePositives');
      else {
        count(item.kind, 'falsePositives');
        misses.push(`unexpected ${item.key} in [${entry.language}] "${entry.text}"`);
      }
    }
    for (const item of expected.filter((wanted) => !found.some((got) => got.key === wanted.key))) {
      count(item.kind, 'falseNegatives');
      misses.push(`missed ${item.key} in [${entry.language}] "${entry.text}"`);
    }
  }
  return { whole, byKind, byLanguage, byGroup, misses };
}

function table(title: string, rows: Map<string, Tally>): string {
  const lines = [...rows.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([name, tally]) =>
        `  ${name.padEnd(20)} ${String(tally.truePositives).padStart(5)} ${String(tally.falsePositives).padStart(5)}` +
        ` ${String(tally.falseNegatives).padStart(6)}   ${precision(tally).toFixed(3)}   ${recall(tally).toFixed(3)}`,
    );
  return [`  ${title.padEnd(20)} found wrong missed precision recall`, ...lines].join('\n');
}

describe('indicator extraction over the corpora of realistic messages', () => {
  it('holds at least 150 messages from victims in all 13 languages, labelled before the extractor ran', () => {
    const held = victims.filter((entry) => entry.addedAfterFix !== true);
    expect(held.length).toBeGreaterThanOrEqual(150);
    expect(new Set(held.map((entry) => entry.language))).toEqual(
      new Set(['en', 'ko', 'th', 'km', 'lo', 'vi', 'zh', 'ja', 'id', 'ms', 'fil', 'ar', 'my']),
    );
  });

  it('covers at least 80 messages of its own in at least 8 languages, with at least 15 that hold no indicator', () => {
    expect(own.length).toBeGreaterThanOrEqual(80);
    expect(new Set(own.map((entry) => entry.language)).size).toBeGreaterThanOrEqual(8);
    for (const language of ['ko', 'th', 'km', 'vi', 'zh', 'ja', 'id', 'en']) {
      expect(own.some((entry) => entry.language === language)).toBe(true);
    }
    expect(own.filter((entry) => entry.expected.length === 0).length).toBeGreaterThanOrEqual(15);
  });

  it('finds what a person would, and nothing else: 0.97 over both corpora, 0.95 for every kind and language', () => {
    const { whole, byKind, byLanguage, byGroup, misses } = score(entries);
    process.stdout.write(
      `indicator corpus: ${entries.length} messages (${own.length} own, ${victims.length} from victims), ` +
        `precision ${precision(whole).toFixed(3)}, recall ${recall(whole).toFixed(3)} ` +
        `(${whole.truePositives} found, ${whole.falsePositives} wrong, ${whole.falseNegatives} missed)\n` +
        `${table('kind', byKind)}\n${table('language', byLanguage)}\n${table('group', byGroup)}\n` +
        misses.map((miss) => `  ${miss}\n`).join(''),
    );
    const below: string[] = [];
    if (precision(whole) < 0.97 || recall(whole) < 0.97) below.push('the whole corpus');
    for (const [name, tally] of [...byKind, ...byLanguage]) {
      if (precision(tally) < 0.95 || recall(tally) < 0.95) below.push(name);
    }
    expect(below).toEqual([]);
  });

  it('fails when the extractor misses what it should find (a corpus where every amount is dropped)', () => {
    const withoutAmounts = entries.filter((entry) => entry.expected.some((indicator) => indicator.kind === 'amount'));
    const wrongLabels = withoutAmounts.map((entry) => ({
      ...entry,
      expected: entry.expected.filter((indicator) => indicator.kind !== 'amount'),
    }));
    const { whole, byKind } = score(wrongLabels);
    // Every amount found is now "wrong": the amount row falls to 0, and the gate above would fail.
    expect(precision(byKind.get('amount')!)).toBe(0);
    expect(precision(whole)).toBeLessThan(1);
  });
});
