import { describe, expect, it } from 'vitest';
import {
  newReceiptCode,
  newReportReference,
  normalizeReceiptCode,
  normalizeReportReference,
} from '../../intake/report/reference-codes.js';

describe('report references and receipt codes', () => {
  it('look like RL-XXXX-XXXX and XXXX-XXXX-XXXX in an alphabet without I, L, O or U', () => {
    for (let i = 0; i < 200; i += 1) {
      expect(newReportReference()).toMatch(/^RL-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      expect(newReceiptCode()).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    }
  });

  it('do not repeat', () => {
    const references = new Set(Array.from({ length: 5000 }, newReportReference));
    expect(references.size).toBe(5000);
  });

  it('accept what a person types: lower case, spaces, missing dashes, O for 0 and I or L for 1', () => {
    expect(normalizeReportReference('rl 7k3m 9qx2')).toBe('RL-7K3M-9QX2');
    expect(normalizeReportReference('7K3M9QX2')).toBe('RL-7K3M-9QX2');
    expect(normalizeReportReference('RL-7K3M-9QXO')).toBe('RL-7K3M-9QX0');
    expect(normalizeReceiptCode('4xk9 m2qd 7trb')).toBe('4XK9-M2QD-7TRB');
    expect(normalizeReceiptCode('IIII-LLLL-OOOO')).toBe('1111-1111-0000');
  });

  it('refuse text of the wrong length or with other characters', () => {
    expect(normalizeReportReference('RL-7K3M-9QX')).toBeUndefined();
    expect(normalizeReportReference('RL-7K3M-9QXU')).toBeUndefined();
    expect(normalizeReceiptCode('4XK9-M2QD')).toBeUndefined();
    expect(normalizeReceiptCode('')).toBeUndefined();
  });
});
