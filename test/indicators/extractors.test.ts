import { describe, expect, it } from 'vitest';
import { collectReportIndicators } from '../../intake/indicators/collect-report-indicators.js';
import { extractIndicators } from '../../intake/indicators/extract-indicators.js';
import { normalizeIndicator } from '../../intake/indicators/normalize-indicator.js';
import { parseReportInput } from '../../intake/report/validate-report.js';
import { completeReport } from '../support/fixtures.js';

const pairs = (text: string, country?: string) =>
  extractIndicators(text, { source: 'narrative', ...(country ? { defaultCountry: country } : {}) }).map(
    (i) => `${i.kind}:${i.value}`,
  );

describe('extracting indicators from free text', () => {
  it('reads a local number with the country the message names when the reporter is elsewhere', () => {
    expect(pairs('I am in Cambodia now, call 012 345 678', 'KR')).toEqual(['phone:+85512345678']);
  });

  it('does not read dates, times, prices, order numbers or postcodes as phone numbers', () => {
    for (const text of [
      '2024-03-15 14:30',
      '15/03/2024',
      'order #88812345',
      'postcode 06234',
      '₩3,000,000',
      'tx 20240315123456',
    ]) {
      expect(pairs(text, 'KR').filter((pair) => pair.startsWith('phone'))).toEqual([]);
    }
  });

  it('does not read a bank account or a wallet as a phone number', () => {
    expect(pairs('KB국민은행 123-456-789012', 'KR')).toEqual(['bank_account:kb-kookmin:123456789012']);
  });

  it('gives the URL and its registrable domain for a link, and not the host of an e-mail address', () => {
    expect(pairs('see https://Login.Scam-Exchange.co.uk/auth#top and mail me at a.b@gmail.com')).toEqual([
      'email:a.b@gmail.com',
      'url:https://login.scam-exchange.co.uk/auth',
      'domain:scam-exchange.co.uk',
    ]);
  });

  it('reads Telegram, LINE and WhatsApp contacts in their usual forms, a link as its account and its URL', () => {
    expect(pairs('t.me/Fast_Money_Job and LINE ID: thai.invest99, wa.me/66812345678').sort()).toEqual([
      'line:thai.invest99',
      'telegram:fast_money_job',
      'url:https://t.me/Fast_Money_Job',
      'url:https://wa.me/66812345678',
      'whatsapp:+66812345678',
    ]);
  });

  it.each([
    ['₩3,000,000', '3000000 KRW'],
    ['300만원', '3000000 KRW'],
    ['5万円', '50000 JPY'],
    ['฿20,000', '20000 THB'],
    ['1,500 USDT', '1500 USDT'],
    ['$2k', '2000 USD'],
    ['Rp 5 juta', '5000000 IDR'],
    ['20 triệu đồng', '20000000 VND'],
    ['RM 5,000', '5000 MYR'],
    ['1.2 BTC', '1.2 BTC'],
    ['Rp 1.500.000', '1500000 IDR'],
    ['€1.234,56', '1234.56 EUR'],
    ['4,000,000៛', '4000000 KHR'],
    ['4 លានរៀល', '4000000 KHR'],
    ['500 ដុល្លារ', '500 USD'],
    ['20 ລ້ານກີບ', '20000000 LAK'],
    ['5000 دولار', '5000 USD'],
    ['3 آلاف درهم', '3000 AED'],
    ['5 သိန်းကျပ်', '500000 MMK'],
    ['၅၀၀၀၀ ကျပ်', '50000 MMK'],
    ['50 libong piso', '50000 PHP'],
  ])('reads the amount %s as %s', (text, value) => {
    expect(pairs(text)).toEqual([`amount:${value}`]);
  });

  it('reads numbers typed in Burmese, Khmer, Thai, Lao or Arabic digits', () => {
    expect(pairs('ဖုန်း +၉၅ ၉ ၇၇၀ ၁၂၃ ၄၅၆', 'MM')).toContain('phone:+959770123456');
    expect(pairs('លេខ ០៩៧ ១២៣ ៤៥៦៧', 'KH')).toContain('phone:+855971234567');
    expect(pairs('أرسلت ٥٠٠٠ دولار')).toEqual(['amount:5000 USD']);
  });

  it('keeps a mistyped wallet, marked invalid', () => {
    const [indicator] = extractIndicators('send to TThj8QM1oAy46uZhb3wguApBpMZooSDtKK', { source: 'narrative' });
    expect(indicator).toMatchObject({ kind: 'crypto_address', validity: 'invalid' });
  });
});

describe('normalizing one value for a lookup', () => {
  it('finds the same value a report stored, however it is written', () => {
    for (const written of ['+855 12 345 678', '+855-12-345-678', '(+855) 12345678']) {
      expect(normalizeIndicator('phone', written)?.value).toBe('+85512345678');
    }
    expect(normalizeIndicator('phone', '012 345 678', { defaultCountry: 'KH' })?.value).toBe('+85512345678');
    expect(normalizeIndicator('crypto_address', 'tron:TThj8QM1oAy46uZhb3wguApBpMZooSDtKk')?.validity).toBe('valid');
    expect(normalizeIndicator('domain', 'https://www.scam-site.com/x')?.value).toBe('scam-site.com');
    expect(normalizeIndicator('iban', 'gb82 west 1234 5698 7654 32')?.value).toBe('GB82WEST12345698765432');
    expect(normalizeIndicator('phone', 'not a number')).toBeUndefined();
  });
});

describe('collecting the indicators of a whole report', () => {
  it('reads structured fields and free text, names where each was found, and leaves out the reporter’s own phone', () => {
    const indicators = collectReportIndicators(parseReportInput(completeReport()));
    const byKey = new Map(indicators.map((indicator) => [`${indicator.kind}:${indicator.value}`, indicator.source]));
    expect(byKey.get('phone:+85512345678')).toBe('suspects.phones.0');
    expect(byKey.get('crypto_address:tron:TThj8QM1oAy46uZhb3wguApBpMZooSDtKk')).toBe('suspects.wallets.0');
    expect(byKey.get('telegram:goodjob_kh')).toBe('suspects.messengerHandles.0');
    expect(byKey.get('bank_account:kb-kookmin:123456789012')).toBe('suspects.bankAccounts.0');
    expect(byKey.get('url:https://global-job-asia.example/apply')).toBeUndefined(); // .example is reserved, not a real site
    expect(byKey.get('crypto_tx:9f2c4d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e')).toBe(
      'losses.payments.1.transactionHash',
    );
    expect(byKey.get('amount:5000 USDT')).toBe('incident.narrative');
    expect([...byKey.keys()].some((key) => key.includes('1023456789'))).toBe(false);
  });

  it('keeps a structured value it cannot read, marked invalid, so nothing the reporter gave is lost', () => {
    const indicators = collectReportIndicators(
      parseReportInput({ consent: { shareWithLawEnforcement: true }, suspects: { wallets: ['my wallet?'] } }),
    );
    expect(indicators).toEqual([
      {
        kind: 'crypto_address',
        value: 'my wallet?',
        original: 'my wallet?',
        validity: 'invalid',
        source: 'suspects.wallets.0',
      },
    ]);
  });
});

describe('numbers written straight against words', () => {
  it('reads a phone number glued to a Korean particle or a Chinese word', () => {
    expect(pairs('012 345 678로 연락 주세요', 'KH')).toEqual(['phone:+85512345678']);
    expect(pairs('联系电话13800138000微信同号', 'CN')).toEqual(['phone:+8613800138000']);
  });

  it('does not read digits glued to Latin letters as a phone number', () => {
    expect(pairs('ticket ABC0812345678XYZ', 'TH')).toEqual([]);
  });
});
