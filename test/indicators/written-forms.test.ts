import { describe, expect, it } from 'vitest';
import { collectReportIndicators } from '../../intake/indicators/collect-report-indicators.js';
import { extractIndicators } from '../../intake/indicators/extract-indicators.js';
import { nonLinkingKinds } from '../../intake/indicators/indicator.js';
import { normalizeIndicator } from '../../intake/indicators/normalize-indicator.js';
import { parseReportInput } from '../../intake/report/validate-report.js';

/*
 * Indicators as victims, families and the police write them (issue 15): each
 * case is a shape the extractor read wrongly or not at all before.
 */
const pairs = (text: string, country?: string) =>
  extractIndicators(text, { source: 'narrative', ...(country ? { defaultCountry: country } : {}) }).map(
    (indicator) => `${indicator.kind}:${indicator.value}`,
  );

describe('defanged links and addresses yield the real indicator', () => {
  it.each([
    ['hxxps://hades-cafe[.]com/careers', ['url:https://hades-cafe.com/careers', 'domain:hades-cafe.com']],
    ['hxxp://hades-cafe(.)com', ['url:http://hades-cafe.com', 'domain:hades-cafe.com']],
    ['hxxps[:]//jobs[.]hades-cafe[.]com/apply', ['url:https://jobs.hades-cafe.com/apply', 'domain:hades-cafe.com']],
    ['site: hades[.]cafe', ['domain:hades.cafe']],
    ['site: hades [dot] cafe', ['domain:hades.cafe']],
    ['mail hr[at]hades[.]cafe', ['email:hr@hades.cafe']],
    ['mail hr (at) hades (dot) cafe', ['email:hr@hades.cafe']],
  ])('%s', (text, expected) => {
    expect(pairs(text)).toEqual(expected);
  });

  it('leaves prose with brackets alone', () => {
    expect(pairs('He said (at first) that the job [in Bangkok] was real.')).toEqual([]);
  });
});

describe('a link to a bare IP address is a lead too', () => {
  it.each([
    ['http://203.0.113.7:8443/login?x=1', ['url:http://203.0.113.7:8443/login?x=1']],
    // Full-width digits and a defanged address, as they are pasted and as the police write them.
    ['http://１２３.４５.６７.８９/login', ['url:http://123.45.67.89/login']],
    ['hxxps://123[.]45[.]67[.]89/trade', ['url:https://123.45.67.89/trade']],
    ['https://[2001:4860::8888]/app', ['url:https://[2001:4860::8888]/app']],
  ])('%s', (text, expected) => {
    expect(pairs(text)).toEqual(expected);
  });

  it('ignores addresses every home or phone has, which would link strangers', () => {
    expect(
      pairs('router at http://192.168.1.1/ and http://127.0.0.1:8080/ and http://[::1]/ and http://10.0.0.2'),
    ).toEqual([]);
  });

  it('finds the same URL when staff look it up', () => {
    expect(normalizeIndicator('url', 'http://１２３.４５.６７.８９/login')?.value).toBe('http://123.45.67.89/login');
    expect(normalizeIndicator('url', 'http://192.168.1.1/')).toBeUndefined();
  });
});

describe('a page on a platform links by its URL, never by the platform’s domain', () => {
  it('reads a Facebook page written without a scheme as its https URL, and no domain', () => {
    expect(pairs('recruiter page facebook.com/agent.rizal.jobs')).toEqual([
      'url:https://facebook.com/agent.rizal.jobs',
    ]);
  });

  it('reads links to TikTok, a shortener and the app stores as URLs only', () => {
    expect(
      pairs(
        'https://www.tiktok.com/@hiringcambodia_th bit.ly/3KxTq9w https://play.google.com/store/apps/details?id=com.fake.invest',
      ),
    ).toEqual([
      'url:https://www.tiktok.com/@hiringcambodia_th',
      'url:https://play.google.com/store/apps/details?id=com.fake.invest',
      'url:https://bit.ly/3KxTq9w',
    ]);
  });

  it('finds nothing in the name of a platform alone', () => {
    expect(pairs('I met him on facebook.com, then instagram.com and line.me')).toEqual([]);
  });

  it('reads a messenger link as its account and its URL', () => {
    expect(pairs('https://t.me/bkk_cs_hiring').sort()).toEqual([
      'telegram:bkk_cs_hiring',
      'url:https://t.me/bkk_cs_hiring',
    ]);
  });

  it('gives a site on a hosting service’s suffix its own name, not the service’s', () => {
    expect(pairs('https://fx-gold-asia.github.io/login')).toEqual([
      'url:https://fx-gold-asia.github.io/login',
      'domain:fx-gold-asia.github.io',
    ]);
  });

  it('does not link a social profile given in its field by the platform', () => {
    const indicators = collectReportIndicators(
      parseReportInput({
        consent: { shareWithLawEnforcement: true },
        suspects: { socialProfiles: ['facebook.com/agent.rizal.jobs'] },
      }),
    );
    expect(indicators.map((indicator) => `${indicator.kind}:${indicator.value}`)).toEqual([
      'url:https://facebook.com/agent.rizal.jobs',
    ]);
  });
});

describe('amounts as people write them', () => {
  it.each([
    ['gửi 8.000 USDT', 'VN', '8000 USDT'],
    ['دفعت ١٥٬٠٠٠ درهم', 'AE', '15000 AED'],
    ['USDT 3,000 to the agent', 'PH', '3000 USDT'],
    ['paid B$3,000', 'BN', '3000 BND'],
    ['nagbayad ako ng P120,000', 'PH', '120000 PHP'],
    ['ໂອນ 500 ບາດ', 'LA', '500 THB'],
    ['ຄ່າເອກະສານ ₭2,500,000', 'LA', '2500000 LAK'],
    ['3억 보냈어요', 'KR', '300000000 KRW'],
    ['총 1억 2천만원', 'KR', '120000000 KRW'],
    ['转了2万块', 'CN', '20000 CNY'],
    ['mất 1,2 tỷ', 'VN', '1200000000 VND'],
    ['Nạp 500k qua ZaloPay', 'VN', '500000 VND'],
    ['ငွေ 50 သိန်း', 'MM', '5000000 MMK'],
    ['သိန်း ၂၀ လွှဲခဲ့တယ်', 'MM', '2000000 MMK'],
    ['خسرت 20 ألف', 'AE', '20000 AED'],
    ['خسرت 20 ألف ريال', 'SA', '20000 SAR'],
    ['２０，０００ＵＳＤＴを送った', 'JP', '20000 USDT'],
    ['0.500 BTC', 'KR', '0.5 BTC'],
    ['1.500 BTC', 'KR', '1.5 BTC'],
  ])('%s (%s) is %s', (text, country, value) => {
    expect(pairs(text, country)).toEqual([`amount:${value}`]);
  });

  it('does not read a count of people as money', () => {
    expect(pairs('3万人が被害に', 'JP')).toEqual([]);
    expect(pairs('피해자 50만 명', 'KR')).toEqual([]);
  });
});

describe('a salary a job ad offered is kept apart from money lost', () => {
  it.each([
    ['salary 1,500 USD a month, I paid 300 USD for the visa', 'PH', ['salary:1500 USD', 'amount:300 USD']],
    ['gaji Rp 10 juta per bulan, saya transfer Rp 2.500.000', 'ID', ['salary:10000000 IDR', 'amount:2500000 IDR']],
    ['月薪2万元，我转了5万元', 'CN', ['salary:20000 CNY', 'amount:50000 CNY']],
    ['lương 1500 USD/tháng, tôi chuyển 20 triệu ngày 5/3', 'VN', ['salary:1500 USD', 'amount:20000000 VND']],
    ["'한 달에 1,000만 원' 준다는 광고", 'KR', ['salary:10000000 KRW']],
  ])('%s', (text, country, expected) => {
    expect(pairs(text, country)).toEqual(expected);
  });

  it('reads a price per month as an amount, not a salary', () => {
    expect(pairs('Harga paket Rp 150.000 per bulan', 'ID')).toEqual(['amount:150000 IDR']);
  });

  it('never links reports by a salary', () => {
    expect(nonLinkingKinds.has('salary')).toBe(true);
  });
});

describe('phones as people write them', () => {
  it.each([
    ['전화번호 010-1234-5678', 'KR', 'phone:+821012345678'],
    ['모집책 번호 +855 97 765 4321', 'KR', 'phone:+855977654321'],
    ['Phone no. 0917 123 4567', 'PH', 'phone:+639171234567'],
    ['０９０－１２３４－５６７８に電話', 'JP', 'phone:+819012345678'],
    ['０９０ー１２３４ー５６７８に電話', 'JP', 'phone:+819012345678'],
    ['taga-BPI, number niya +63 998 765 4321', 'PH', 'phone:+639987654321'],
  ])('%s', (text, country, expected) => {
    expect(pairs(text, country)).toEqual([expected]);
  });

  it('still reads an order number as none', () => {
    expect(pairs('주문번호 010-1234-5678', 'KR')).toEqual([]);
  });
});

describe('wallets broken over lines or groups', () => {
  const wallet = 'TThj8QM1oAy46uZhb3wguApBpMZooSDtKk';

  it('joins a wallet broken by a line break or written in groups of four', () => {
    expect(pairs(`send to ${wallet.slice(0, 20)}\n${wallet.slice(20)} now`)).toEqual([`crypto_address:tron:${wallet}`]);
    expect(pairs(`send to ${wallet.match(/.{1,4}/g)!.join(' ')} now`)).toEqual([`crypto_address:tron:${wallet}`]);
  });

  it('does not join pieces whose checksum fails', () => {
    const changed = `${wallet.slice(0, 10)}X${wallet.slice(11)}`;
    const found = extractIndicators(`send to ${changed.match(/.{1,4}/g)!.join(' ')}`, { source: 'narrative' });
    expect(found.filter((indicator) => indicator.validity === 'valid')).toEqual([]);
  });
});

describe('LINE IDs, banks and look-alikes', () => {
  it.each([
    ['LINEのIDはkabu_sensei77です', 'JP', 'line:kabu_sensei77'],
    ['แอดไลน์ investpro ได้เลย', 'TH', 'line:investpro'],
    ['ໂອນເຂົ້າ BCEL 0101 2000 1234 5678', 'LA', 'bank_account:bcel:0101200012345678'],
    ['AYA Bank အကောင့် 0123 4567 8901', 'MM', 'bank_account:aya:012345678901'],
    ['KBZPay 09 7812 34567 ကို', 'MM', 'bank_account:kbzpay:09781234567'],
    ['Chuyển qua MoMo 0903 456 789', 'VN', 'bank_account:momo:0903456789'],
    ['transfer ke DANA 0857 1234 5678', 'ID', 'bank_account:dana:085712345678'],
    ["Touch 'n Go eWallet 011-2345 6789", 'MY', 'bank_account:touch-n-go:01123456789'],
    ['iban gb82-west-1234-5698-7654-32', 'GB', 'iban:GB82WEST12345698765432'],
  ])('%s', (text, country, expected) => {
    expect(pairs(text, country)).toEqual([expected]);
  });

  it('reads a courier tracking number as no IBAN', () => {
    expect(pairs('tracking SF1234567890123', 'CN')).toEqual([]);
  });

  it('does not read a lower-case look-alike whose checksum fails as an IBAN', () => {
    expect(pairs('code gb82 west 1234 5698 7654 33', 'GB')).toEqual([]);
  });
});

describe('answers given later', () => {
  it('reads a local number with the country the report knows by then', () => {
    // The amend operation collects the amended report's indicators with collectReportIndicators.
    const amended = parseReportInput({
      consent: { shareWithLawEnforcement: true },
      victim: { currentCountry: 'KH' },
      suspects: { phones: ['012 345 678'] },
      incident: { narrative: 'he called again from 097 123 4567' },
    });
    const found = collectReportIndicators(amended).map((indicator) => `${indicator.kind}:${indicator.value}`);
    expect(found).toEqual(expect.arrayContaining(['phone:+85512345678', 'phone:+855971234567']));
  });
});
