/**
 * Banks (and the e-wallets used like banks) that money-mule accounts in these
 * cases are held at, by country, with the ways people write their names. A
 * local account number is only recognised next to one of these names: a bare
 * run of digits could be anything.
 */
export const banks: Array<{ slug: string; country: string; names: RegExp }> = [
  // Korea
  { slug: 'kb-kookmin', country: 'KR', names: /KB\s*국민은행|국민은행|KB\s*Kookmin|Kookmin\s*Bank/iu },
  { slug: 'shinhan', country: 'KR', names: /신한은행|Shinhan(?:\s*Bank)?/iu },
  { slug: 'woori', country: 'KR', names: /우리은행|Woori\s*Bank/iu },
  { slug: 'hana', country: 'KR', names: /하나은행|KEB\s*Hana|Hana\s*Bank/iu },
  { slug: 'nonghyup', country: 'KR', names: /농협(?:은행)?|NH\s*Bank|Nonghyup/iu },
  { slug: 'ibk', country: 'KR', names: /IBK\s*기업은행|기업은행|IBK/u },
  { slug: 'kakaobank', country: 'KR', names: /카카오\s*뱅크|Kakao\s*Bank/iu },
  { slug: 'tossbank', country: 'KR', names: /토스\s*뱅크|Toss\s*Bank/iu },
  // Thailand
  { slug: 'kasikorn', country: 'TH', names: /กสิกร(?:ไทย)?|Kasikorn(?:bank)?|K-?Bank|KBANK/iu },
  { slug: 'scb', country: 'TH', names: /ไทยพาณิชย์|Siam\s*Commercial|\bSCB\b/iu },
  { slug: 'bangkok-bank', country: 'TH', names: /ธนาคารกรุงเทพ|Bangkok\s*Bank|\bBBL\b/iu },
  { slug: 'krungthai', country: 'TH', names: /กรุงไทย|Krung\s*Thai|\bKTB\b/iu },
  { slug: 'krungsri', country: 'TH', names: /กรุงศรี|Krungsri/iu },
  { slug: 'ttb', country: 'TH', names: /ทหารไทยธนชาต|\bttb\b/iu },
  // Vietnam
  { slug: 'vietcombank', country: 'VN', names: /Vietcombank|\bVCB\b/iu },
  { slug: 'techcombank', country: 'VN', names: /Techcombank/iu },
  { slug: 'bidv', country: 'VN', names: /\bBIDV\b/u },
  { slug: 'vietinbank', country: 'VN', names: /VietinBank/iu },
  { slug: 'mbbank', country: 'VN', names: /MB\s*Bank|MBBank/iu },
  { slug: 'vpbank', country: 'VN', names: /VPBank/iu },
  { slug: 'acb', country: 'VN', names: /\bACB\b/u },
  { slug: 'sacombank', country: 'VN', names: /Sacombank/iu },
  { slug: 'agribank', country: 'VN', names: /Agribank/iu },
  // Indonesia
  { slug: 'bca', country: 'ID', names: /\bBCA\b|Bank\s*Central\s*Asia/iu },
  { slug: 'bri', country: 'ID', names: /\bBRI\b|Bank\s*Rakyat/iu },
  { slug: 'bni', country: 'ID', names: /\bBNI\b|Bank\s*Negara\s*Indonesia/iu },
  { slug: 'mandiri', country: 'ID', names: /Mandiri/iu },
  // Malaysia
  { slug: 'maybank', country: 'MY', names: /Maybank/iu },
  { slug: 'cimb', country: 'MY', names: /\bCIMB(?:\s*Niaga)?\b/iu },
  { slug: 'public-bank', country: 'MY', names: /Public\s*Bank/iu },
  { slug: 'rhb', country: 'MY', names: /\bRHB\b/u },
  // Philippines
  { slug: 'bdo', country: 'PH', names: /\bBDO\b/u },
  { slug: 'bpi', country: 'PH', names: /\bBPI\b/u },
  { slug: 'metrobank', country: 'PH', names: /Metrobank/iu },
  { slug: 'gcash', country: 'PH', names: /GCash/iu },
  // Cambodia
  { slug: 'aba', country: 'KH', names: /\bABA(?:\s*Bank)?\b/u },
  { slug: 'acleda', country: 'KH', names: /ACLEDA/iu },
  { slug: 'wing', country: 'KH', names: /\bWing\s*(?:Bank|Money)?\b/u },
  // Japan
  { slug: 'mufg', country: 'JP', names: /三菱UFJ|MUFG/u },
  { slug: 'smbc', country: 'JP', names: /三井住友|SMBC/u },
  { slug: 'mizuho', country: 'JP', names: /みずほ|Mizuho/iu },
  { slug: 'japan-post-bank', country: 'JP', names: /ゆうちょ|Japan\s*Post\s*Bank/iu },
  { slug: 'rakuten-bank', country: 'JP', names: /楽天銀行|Rakuten\s*Bank/iu },
  // Singapore
  { slug: 'dbs', country: 'SG', names: /\bDBS\b|\bPOSB\b/u },
  { slug: 'ocbc', country: 'SG', names: /\bOCBC\b/u },
  { slug: 'uob', country: 'SG', names: /\bUOB\b/u },
  // China
  { slug: 'icbc', country: 'CN', names: /工商银行|ICBC/u },
  { slug: 'ccb', country: 'CN', names: /建设银行|China\s*Construction\s*Bank/iu },
  { slug: 'boc', country: 'CN', names: /中国银行|Bank\s*of\s*China/iu },
  { slug: 'cmb', country: 'CN', names: /招商银行|China\s*Merchants\s*Bank/iu },
  { slug: 'abc-china', country: 'CN', names: /农业银行|Agricultural\s*Bank\s*of\s*China/iu },
];

/** The country a bank (by its slug) holds accounts in: where money paid to it went. */
export function countryOfBank(slug: string): string | undefined {
  return banks.find((bank) => bank.slug === slug)?.country;
}
