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
  { slug: 'kakaopay', country: 'KR', names: /카카오\s*페이|Kakao\s*Pay/iu },
  { slug: 'toss', country: 'KR', names: /토스(?!\s*뱅크)|\bToss(?=\s{0,3}\d)/u },
  { slug: 'k-bank', country: 'KR', names: /케이뱅크|K\s*뱅크/u },
  { slug: 'saemaul', country: 'KR', names: /새마을금고/u },
  { slug: 'post-office-kr', country: 'KR', names: /우체국/u },
  // Thailand
  { slug: 'kasikorn', country: 'TH', names: /กสิกร(?:ไทย)?|Kasikorn(?:bank)?|K-?Bank|KBANK/iu },
  { slug: 'scb', country: 'TH', names: /ไทยพาณิชย์|Siam\s*Commercial|\bSCB\b/iu },
  { slug: 'bangkok-bank', country: 'TH', names: /ธนาคารกรุงเทพ|Bangkok\s*Bank|\bBBL\b/iu },
  { slug: 'krungthai', country: 'TH', names: /กรุงไทย|Krung\s*Thai|\bKTB\b/iu },
  { slug: 'krungsri', country: 'TH', names: /กรุงศรี|Krungsri/iu },
  { slug: 'ttb', country: 'TH', names: /ทหารไทยธนชาต|\bttb\b/iu },
  { slug: 'gsb', country: 'TH', names: /ออมสิน|\bGSB\b|Government\s*Savings\s*Bank/iu },
  { slug: 'baac', country: 'TH', names: /ธ\.?ก\.?ส\.?|\bBAAC\b/iu },
  { slug: 'truemoney', country: 'TH', names: /ทรูมันนี่|TrueMoney|True\s*Wallet/iu },
  { slug: 'promptpay', country: 'TH', names: /พร้อมเพย์|PromptPay/iu },
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
  { slug: 'momo', country: 'VN', names: /\bMoMo\b|Ví\s*MoMo/iu },
  { slug: 'zalopay', country: 'VN', names: /ZaloPay/iu },
  { slug: 'tpbank', country: 'VN', names: /TPBank/iu },
  { slug: 'vib', country: 'VN', names: /\bVIB\b/u },
  { slug: 'shb', country: 'VN', names: /\bSHB\b/u },
  { slug: 'hdbank', country: 'VN', names: /HDBank/iu },
  // Indonesia
  { slug: 'bca', country: 'ID', names: /\bBCA\b|Bank\s*Central\s*Asia/iu },
  { slug: 'bri', country: 'ID', names: /\bBRI\b|Bank\s*Rakyat/iu },
  { slug: 'bni', country: 'ID', names: /\bBNI\b|Bank\s*Negara\s*Indonesia/iu },
  { slug: 'mandiri', country: 'ID', names: /Mandiri/iu },
  { slug: 'btn', country: 'ID', names: /\bBTN\b|Bank\s*Tabungan\s*Negara/iu },
  { slug: 'bsi', country: 'ID', names: /\bBSI\b|Bank\s*Syariah\s*Indonesia/iu },
  { slug: 'permata', country: 'ID', names: /Permata\s*Bank|Bank\s*Permata/iu },
  { slug: 'danamon', country: 'ID', names: /Danamon/iu },
  { slug: 'dana', country: 'ID', names: /\bDANA\b/u },
  { slug: 'ovo', country: 'ID', names: /\bOVO\b/u },
  { slug: 'gopay', country: 'ID', names: /GoPay/iu },
  { slug: 'shopeepay', country: 'ID', names: /ShopeePay/iu },
  { slug: 'seabank', country: 'ID', names: /SeaBank/iu },
  // Malaysia
  { slug: 'maybank', country: 'MY', names: /Maybank/iu },
  { slug: 'cimb', country: 'MY', names: /\bCIMB(?:\s*Niaga)?\b/iu },
  { slug: 'public-bank', country: 'MY', names: /Public\s*Bank/iu },
  { slug: 'rhb', country: 'MY', names: /\bRHB\b/u },
  { slug: 'hong-leong', country: 'MY', names: /Hong\s*Leong/iu },
  { slug: 'ambank', country: 'MY', names: /AmBank/iu },
  { slug: 'bank-islam', country: 'MY', names: /Bank\s*Islam/iu },
  { slug: 'bsn', country: 'MY', names: /\bBSN\b|Bank\s*Simpanan\s*Nasional/iu },
  { slug: 'touch-n-go', country: 'MY', names: /Touch\s*['’]?\s*n\s*['’]?\s*Go|\bTNG(?:\s*eWallet)?\b/iu },
  {
    slug: 'boost',
    country: 'MY',
    names: /\bBoost(?:\s*(?:e-?wallet|app))?(?=\s{0,3}(?:account|number|no\.?|#)?\s{0,3}[:：]?\s{0,3}\d)/u,
  },
  // Philippines
  { slug: 'bdo', country: 'PH', names: /\bBDO\b/u },
  { slug: 'bpi', country: 'PH', names: /\bBPI\b/u },
  { slug: 'metrobank', country: 'PH', names: /Metrobank/iu },
  { slug: 'gcash', country: 'PH', names: /GCash/iu },
  {
    slug: 'maya',
    country: 'PH',
    names: /PayMaya|\bMaya(?=\s{0,3}(?:wallet|account|acct|app|number|no\.?|#)?\s{0,3}[:：]?\s{0,3}\d)/u,
  },
  { slug: 'landbank', country: 'PH', names: /Land\s*Bank|LandBank/iu },
  { slug: 'unionbank', country: 'PH', names: /Union\s*Bank/iu },
  { slug: 'security-bank', country: 'PH', names: /Security\s*Bank/iu },
  { slug: 'rcbc', country: 'PH', names: /\bRCBC\b/u },
  { slug: 'pnb', country: 'PH', names: /\bPNB\b|Philippine\s*National\s*Bank/iu },
  { slug: 'chinabank', country: 'PH', names: /China\s*Bank(?!\s*of)|Chinabank/iu },
  // Cambodia
  { slug: 'aba', country: 'KH', names: /\bABA(?:\s*Bank)?\b/u },
  { slug: 'acleda', country: 'KH', names: /ACLEDA/iu },
  { slug: 'wing', country: 'KH', names: /\bWing\s*(?:Bank|Money)?\b/u },
  { slug: 'canadia', country: 'KH', names: /Canadia(?:\s*Bank)?/iu },
  { slug: 'prince-bank', country: 'KH', names: /Prince\s*Bank/iu },
  { slug: 'truemoney-kh', country: 'KH', names: /TrueMoney\s*Cambodia/iu },
  { slug: 'pi-pay', country: 'KH', names: /Pi\s*Pay/iu },
  // Laos
  { slug: 'bcel', country: 'LA', names: /\bBCEL(?:\s*One)?\b|ທະນາຄານການຄ້າຕ່າງປະເທດລາວ|ການຄ້າຕ່າງປະເທດ/iu },
  { slug: 'ldb', country: 'LA', names: /\bLDB\b|Lao\s*Development\s*Bank|ທະນາຄານພັດທະນາລາວ/iu },
  { slug: 'jdb', country: 'LA', names: /\bJDB\b|Joint\s*Development\s*Bank/iu },
  { slug: 'apb', country: 'LA', names: /ທະນາຄານສົ່ງເສີມກະສິກຳ|Agricultural\s*Promotion\s*Bank/iu },
  // Myanmar
  { slug: 'kbz', country: 'MM', names: /\bKBZ(?:\s*Bank)?\b(?!\s*Pay)|ကမ္ဘောဇ|Kanbawza/iu },
  { slug: 'kbzpay', country: 'MM', names: /KBZ\s*Pay|KPay|ကေပေး/iu },
  { slug: 'aya', country: 'MM', names: /\bAYA(?:\s*Bank|\s*Pay)?\b|ဧရာဝတီ\s*ဘဏ်/u },
  { slug: 'cb-bank', country: 'MM', names: /\bCB\s*Bank\b|\bCB\s*Pay\b/iu },
  { slug: 'wave-money', country: 'MM', names: /Wave\s*(?:Money|Pay)|WavePay|ဝေ့ဗ်/iu },
  { slug: 'yoma', country: 'MM', names: /Yoma\s*Bank/iu },
  { slug: 'mab', country: 'MM', names: /\bMAB\b|Myanma\s*Apex\s*Bank/iu },
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
  { slug: 'alipay', country: 'CN', names: /支付宝|Alipay/iu },
  { slug: 'wechat-pay', country: 'CN', names: /微信支付|WeChat\s*Pay/iu },
  { slug: 'abc-china', country: 'CN', names: /农业银行|Agricultural\s*Bank\s*of\s*China/iu },
];

/** The country a bank (by its slug) holds accounts in: where money paid to it went. */
export function countryOfBank(slug: string): string | undefined {
  return banks.find((bank) => bank.slug === slug)?.country;
}
