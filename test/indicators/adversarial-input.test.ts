import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractIndicators } from '../../intake/indicators/extract-indicators.js';
import { ClaimedSpans } from '../../intake/indicators/text-spans.js';
import { findEmails, normalizeEmail } from '../../intake/indicators/web-addresses.js';
import { asPassesRead } from '../../intake/indicators/written-forms.js';
import { adversarialFamilies, maxStoryLength } from '../fixtures/adversarial-texts.js';

/*
 * Stories an attacker posts to the public endpoint to make indicator
 * extraction slow. How fast extraction is on them is measured by
 * `npm run bench` (bench/extraction-bench.ts), not here: these tests check
 * that extraction still returns on them, finds what it should and nothing
 * absurd.
 *
 * Written before the fix (and run then: the slow families took 0.3-4.4 s
 * each at 20,000 characters): every family in test/fixtures/adversarial-texts.ts
 * from "digits" to "every country named, then "1 " repeated", and the
 * inputs of "a 20,000-character story" and "an address longer than an
 * address may be" below. Written during the fix, each before the change it
 * led to: the "random …" families (after stretches written twice were read
 * once: they showed a budget was needed), "random 8-digit numbers between
 * letters" and "…, comma-separated" (before glued digit runs were skipped and
 * +numbers read first), "¥1 " repeated (before the yuan lookup was made once),
 * and the two "one long host/link" families (these needed no change).
 */

const extract = (text: string, defaultCountry = 'KH') =>
  extractIndicators(text, { source: 'incident.narrative', defaultCountry });
const pairs = (text: string, defaultCountry = 'KH') =>
  extract(text, defaultCountry).map((indicator) => `${indicator.kind}:${indicator.value}`);

const families = adversarialFamilies.map((family) => [family.name, family] as const);

describe('extraction of stories written to make it slow', () => {
  it.each(families)('%s: at 20,000 characters, a bounded set of indicators, each read from the text', (_, family) => {
    const text = family.build(maxStoryLength);
    expect(text).toHaveLength(maxStoryLength);
    const found = extract(text);
    // One indicator repeated is one lead; a page of distinct phone numbers is read up to the phone budget.
    expect(found.length).toBeLessThanOrEqual(200);
    // As the passes read it: digits as 0–9, full-width forms plain, defanged links restored.
    const asWritten = asPassesRead(text);
    for (const indicator of found) {
      expect(indicator.value).not.toBe('');
      expect(asWritten.includes(indicator.original)).toBe(true);
    }
  });

  const real = ' Write to scam.boss@gmail.com, call +855 12 345 678 or see https://scam-exchange.io/login now. ';

  it.each(families)(
    '%s: an e-mail, a phone number and a link in the middle of 19,000 characters of it are still found',
    (_, family) => {
      const padding = family.build(19_000);
      const found = pairs(`${padding.slice(0, 9_500)}${real}${padding.slice(9_500)}`);
      expect(found).toEqual(
        expect.arrayContaining([
          'email:scam.boss@gmail.com',
          'phone:+85512345678',
          'url:https://scam-exchange.io/login',
          'domain:scam-exchange.io',
        ]),
      );
    },
  );

  it('finds nothing in "1." written 10,000 times (no e-mail: there is no @)', () => {
    expect(extract('1.'.repeat(10_000))).toEqual([]);
  });

  it('finds no phone number in 100,000 digits (five times the longest story)', () => {
    expect(pairs('1234567890'.repeat(10_000)).filter((pair) => pair.startsWith('phone'))).toEqual([]);
  });

  it('finds one phone number in one number written 1,250 times', () => {
    expect(pairs('+855 12 345 678 '.repeat(1_250))).toEqual(['phone:+85512345678']);
  });

  it('still reads a +number in a story that names every country and is otherwise random digits', () => {
    const story = adversarialFamilies
      .find((family) => family.name === 'every country named, then random digits with spaces')!
      .build(19_000);
    expect(pairs(`${story.slice(0, 9_500)} call +66 81 234 5678 now ${story.slice(9_500)}`, 'TH')).toContain(
      'phone:+66812345678',
    );
  });

  it('reads a 20,000-character story of ordinary messages as it reads each of them', () => {
    const messages = [
      'Transfer to KB국민은행 123-456-789012 please',
      'wallet TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW',
      'LINE ID: thai.invest99',
      'call 081-234-5678',
    ];
    const story = Array.from({ length: 400 }, (_, index) => messages[index % messages.length])
      .join('\n')
      .slice(0, maxStoryLength);
    expect(pairs(story, 'TH').sort()).toEqual(
      [
        'bank_account:kb-kookmin:123456789012',
        'crypto_address:tron:TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW',
        'line:thai.invest99',
        'phone:+66812345678',
      ].sort(),
    );
  });
});

describe('an address longer than an address may be (RFC 5321) is no address', () => {
  it('reads a local part of 64 characters, not of 65', () => {
    expect(pairs(`${'a'.repeat(64)}@gmail.com`)).toEqual([`email:${'a'.repeat(64)}@gmail.com`]);
    expect(pairs(`${'a'.repeat(65)}@gmail.com`)).toEqual([]);
  });

  it('reads no address out of 20,000 characters of "1." before "@a.co"', () => {
    expect(pairs(`${'1.'.repeat(9_997)}@a.co`)).toEqual([]);
  });
});

describe('what the linear scans find is what the patterns they replace found', () => {
  /** The e-mail pattern findEmails replaced; it backtracked over long runs without an @. */
  const emailPattern = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
  const byPattern = (text: string) => {
    const claimed = new ClaimedSpans();
    const found: string[] = [];
    for (const match of text.matchAll(emailPattern)) {
      const value = normalizeEmail(match[0]);
      if (!value || claimed.overlaps(match.index, match.index + match[0].length)) continue;
      claimed.claim(match.index, match.index + match[0].length);
      found.push(`${match[0]} ${value}`);
    }
    return found;
  };

  it('findEmails finds the addresses the pattern found, in the same order', () => {
    const piece = fc.constantFrom(
      'a',
      'B',
      '1',
      '.',
      '@',
      '-',
      '_',
      '%',
      '+',
      ' ',
      ',',
      'é',
      'co',
      'com',
      '.org',
      '@x.',
      'gmail',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        const found = findEmails(text, new ClaimedSpans(), 'narrative').map(
          (email) => `${email.original} ${email.value}`,
        );
        expect(found).toEqual(byPattern(text));
      }),
      { numRuns: 3_000 },
    );
  });

  it('ClaimedSpans answers overlaps as a scan of every claim would', () => {
    const step = fc.tuple(fc.boolean(), fc.nat(40), fc.nat(12));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const spans = new ClaimedSpans();
        const claims: Array<[number, number]> = [];
        for (const [claim, start, length] of steps) {
          const end = start + length;
          expect(spans.overlaps(start, end)).toBe(claims.some(([from, to]) => start < to && end > from));
          if (claim) {
            spans.claim(start, end);
            claims.push([start, end]);
          }
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
