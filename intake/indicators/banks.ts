/**
 * Banks (and the e-wallets used like banks) that money-mule accounts in these
 * cases are held at, by country, with the ways people write their names. A
 * local account number is only recognised next to one of these names: a bare
 * run of digits could be anything.
 */
export const banks: Array<{ slug: string; names: RegExp }> = [
  // Korea
  { slug: 'kb-kookmin', names: /KB\s*국민은행|국민은행|KB\s*Kookmin|Kookmin\s*Bank/iu },
  { slug: 'shinhan', names: /신한은행|Shinhan(?:\s*Bank)?/iu },
  { slug: 'woori', names: /우리은행|Woori\s*Bank/iu },
  { slug: 'hana', names: /하나은행|KEB\s*Hana|Hana\s*Bank/iu },
  { slug: 'nonghyup', names: /농협(?:은행)?|NH\s*Bank|Nonghyup/iu },
  { slug: 'ibk', names: /IBK\s*기업은행|기업은행|IBK/u },
  { slug: 'kakaobank', names: /카카오\s*뱅크|Kakao\s*Bank/iu },
  { slug: 'tossbank', names: /토스\s*뱅크|Toss\s*Bank/iu },
  // Thailand
  { slug: 'kasikorn', names: /กสิกร(?:ไทย)?|Kasikorn(?:bank)?|K-?Bank|KBANK/iu },
  { slug: 'scb', names: /ไทยพาณิชย์|Siam\s*Commercial|\bSCB\b/iu },
  { slug: 'bangkok-bank', names: /ธนาคารกรุงเทพ|Bangkok\s*Bank|\bBBL\b/iu },
  { slug: 'krungthai', names: /กรุงไทย|Krung\s*Thai|\bKTB\b/iu },
  { slug: 'krungsri', names: /กรุงศรี|Krungsri/iu },
  { slug: 'ttb', names: /ทหารไทยธนชาต|\bttb\b/iu },
  // Vietnam
  { slug: 'vietcombank', names: /Vietcombank|\bVCB\b/iu },
  { slug: 'techcombank', names: /Techcombank/iu },
  { slug: 'bidv', names: /\bBIDV\b/u },
  { slug: 'vietinbank', names: /VietinBank/iu },
  { slug: 'mbbank', names: /MB\s*Bank|MBBank/iu },
  { slug: 'vpbank', names: /VPBank/iu },
  { slug: 'acb', names: /\bACB\b/u },
  { slug: 'sacombank', names: /Sacombank/iu },
  { slug: 'agribank', names: /Agribank/iu },
  // Indonesia
  { slug: 'bca', names: /\bBCA\b|Bank\s*Central\s*Asia/iu },
  { slug: 'bri', names: /\bBRI\b|Bank\s*Rakyat/iu },
  { slug: 'bni', names: /\bBNI\b|Bank\s*Negara\s*Indonesia/iu },
  { slug: 'mandiri', names: /Mandiri/iu },
  // Malaysia
  { slug: 'maybank', names: /Maybank/iu },
  { slug: 'cimb', names: /\bCIMB(?:\s*Niaga)?\b/iu },
  { slug: 'public-bank', names: /Public\s*Bank/iu },
  { slug: 'rhb', names: /\bRHB\b/u },
  // Philippines
  { slug: 'bdo', names: /\bBDO\b/u },
  { slug: 'bpi', names: /\bBPI\b/u },
  { slug: 'metrobank', names: /Metrobank/iu },
  { slug: 'gcash', names: /GCash/iu },
  // Cambodia
  { slug: 'aba', names: /\bABA(?:\s*Bank)?\b/u },
  { slug: 'acleda', names: /ACLEDA/iu },
  { slug: 'wing', names: /\bWing\s*(?:Bank|Money)?\b/u },
  // Japan
  { slug: 'mufg', names: /三菱UFJ|MUFG/u },
  { slug: 'smbc', names: /三井住友|SMBC/u },
  { slug: 'mizuho', names: /みずほ|Mizuho/iu },
  { slug: 'japan-post-bank', names: /ゆうちょ|Japan\s*Post\s*Bank/iu },
  { slug: 'rakuten-bank', names: /楽天銀行|Rakuten\s*Bank/iu },
  // Singapore
  { slug: 'dbs', names: /\bDBS\b|\bPOSB\b/u },
  { slug: 'ocbc', names: /\bOCBC\b/u },
  { slug: 'uob', names: /\bUOB\b/u },
  // China
  { slug: 'icbc', names: /工商银行|ICBC/u },
  { slug: 'ccb', names: /建设银行|China\s*Construction\s*Bank/iu },
  { slug: 'boc', names: /中国银行|Bank\s*of\s*China/iu },
  { slug: 'cmb', names: /招商银行|China\s*Merchants\s*Bank/iu },
  { slug: 'abc-china', names: /农业银行|Agricultural\s*Bank\s*of\s*China/iu },
];
