import { describe, expect, it } from 'vitest';
import { extractIndicators } from '../../intake/indicators/extract-indicators.js';
import corpus from '../fixtures/indicator-corpus.json' with { type: 'json' };

interface CorpusEntry {
  language: string;
  country: string;
  text: string;
  expected: Array<{ kind: string; value: string; validity: string }>;
}

const entries = corpus as CorpusEntry[];
const key = (indicator: { kind: string; value: string; validity: string }) =>
  `${indicator.kind} ${indicator.value} ${indicator.validity}`;

describe('indicator extraction over the corpus of realistic messages', () => {
  it('covers at least 80 messages in at least 8 languages, with at least 15 that hold no indicator', () => {
    expect(entries.length).toBeGreaterThanOrEqual(80);
    expect(new Set(entries.map((entry) => entry.language)).size).toBeGreaterThanOrEqual(8);
    for (const language of ['ko', 'th', 'km', 'vi', 'zh', 'ja', 'id', 'en']) {
      expect(entries.some((entry) => entry.language === language)).toBe(true);
    }
    expect(entries.filter((entry) => entry.expected.length === 0).length).toBeGreaterThanOrEqual(15);
  });

  it('finds what a person would, and nothing else: precision and recall of at least 0.95', () => {
    let truePositives = 0;
    let falsePositives = 0;
    let falseNegatives = 0;
    const misses: string[] = [];
    for (const entry of entries) {
      const found = extractIndicators(entry.text, { source: 'narrative', defaultCountry: entry.country }).map(key);
      const expected = entry.expected.map(key);
      for (const item of found) {
        if (expected.includes(item)) truePositives += 1;
        else {
          falsePositives += 1;
          misses.push(`unexpected ${item} in "${entry.text}"`);
        }
      }
      for (const item of expected.filter((wanted) => !found.includes(wanted))) {
        falseNegatives += 1;
        misses.push(`missed ${item} in "${entry.text}"`);
      }
    }
    const precision = truePositives / (truePositives + falsePositives);
    const recall = truePositives / (truePositives + falseNegatives);
    process.stdout.write(
      `indicator corpus: ${entries.length} messages, precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}` +
        ` (${truePositives} found, ${falsePositives} wrong, ${falseNegatives} missed)\n${misses.map((miss) => `  ${miss}\n`).join('')}`,
    );
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });
});
