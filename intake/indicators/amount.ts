import type { Indicator } from './indicator.js';
import { type ClaimedSpans, matchesOf } from './text-spans.js';

/**
 * Amounts of money as people write them in the project's languages:
 * `₩3,000,000`, `300만원`, `5万円`, `฿20,000`, `1,500 USDT`, `$2k`,
 * `Rp 5 juta`, `20 triệu đồng`, `RM 5,000`, `1.2 BTC`, `USDT 3,000`,
 * `P120,000`, `8.000 USDT`, and spoken amounts with no currency word whose
 * number word says the currency (`3억`, `1,2 tỷ`, `50 သိန်း`). Normalized
 * to `<decimal> <CURRENCY>`. An amount a job ad offers as pay (`salary
 * 1,500 USD a month`) is a `salary`, not money the victim lost.
 */
const symbolCurrencies: Array<[RegExp, string]> = [
  [/^(?:US\$|USD\s?)$/i, 'USD'],
  [/^S\$$/i, 'SGD'],
  [/^HK\$$/i, 'HKD'],
  [/^NT\$$/i, 'TWD'],
  [/^\$$/, 'USD'],
  [/^₩$/, 'KRW'],
  [/^฿$/, 'THB'],
  [/^[¥￥]$/, 'JPY'],
  [/^€$/, 'EUR'],
  [/^₭$/, 'LAK'],
  [/^ဒေါ်လာ\s?$/u, 'USD'],
  [/^ဘတ်\s?$/u, 'THB'],
  [/^ကျပ်\s?$/u, 'MMK'],
  [/^ယွမ်\s?$/u, 'CNY'],
  [/^£$/, 'GBP'],
  [/^₫$/, 'VND'],
  [/^₱$/, 'PHP'],
  [/^៛$/, 'KHR'],
  [/^RM\s?$/i, 'MYR'],
  [/^Rp\.?\s?$/i, 'IDR'],
  [/^AED\s?$/i, 'AED'],
  [/^QAR\s?$/i, 'QAR'],
  [/^B\$$/, 'BND'],
  [/^(?:P|Php\s?|PHP\s?)$/, 'PHP'],
  [/^Ks\.?\s?$/, 'MMK'],
  [/^USDT\s?$/i, 'USDT'],
  [/^USDC\s?$/i, 'USDC'],
  [/^THB\s?$/i, 'THB'],
  [/^SGD\s?$/i, 'SGD'],
  [/^MYR\s?$/i, 'MYR'],
  [/^IDR\s?$/i, 'IDR'],
  [/^VND\s?$/i, 'VND'],
  [/^KRW\s?$/i, 'KRW'],
  [/^JPY\s?$/i, 'JPY'],
  [/^(?:CNY|RMB)\s?$/i, 'CNY'],
  [/^KHR\s?$/i, 'KHR'],
  [/^LAK\s?$/i, 'LAK'],
  [/^MMK\s?$/i, 'MMK'],
  [/^EUR\s?$/i, 'EUR'],
];

const wordCurrencies: Array<[RegExp, string]> = [
  [/^(?:원|won|krw)$/iu, 'KRW'],
  [/^(?:บาท|baht|thb|ບາດ|泰铢)$/iu, 'THB'],
  [/^(?:円|yen|jpy|日元)$/iu, 'JPY'],
  [/^(?:元|人民币|rmb|cny|yuan|块钱|块|塊錢|塊)$/iu, 'CNY'],
  [/^(?:đồng|dong|đ|vnd|vnđ|越南盾)$/iu, 'VND'],
  [/^(?:usd|dollars?|dolar|đô(?: la)?|usd\$|달러|ดอลลาร์|ドル|美元|美金|ដុល្លារ|ໂດລາ|دولارا?|دولارات|ဒေါ်လာ)$/iu, 'USD'],
  [/^(?:rupiah|idr|印尼盾)$/iu, 'IDR'],
  [/^(?:ringgit|myr|林吉特)$/iu, 'MYR'],
  [/^(?:pesos?|piso|php|比索)$/iu, 'PHP'],
  [/^(?:euros?|eur|유로|ユーロ|欧元)$/iu, 'EUR'],
  [/^(?:韩元|韓元)$/u, 'KRW'],
  [/^(?:riel|khr|៛|រៀល)$/iu, 'KHR'],
  [/^(?:kip|lak|ກີບ)$/iu, 'LAK'],
  [/^(?:kyats?|mmk|ks|ကျပ်)$/iu, 'MMK'],
  [/^(?:sgd)$/iu, 'SGD'],
  [/^(?:aed|dirhams?|درهما?|دراهم)$/iu, 'AED'],
  [/^(?:qar|ريال قطري)$/iu, 'QAR'],
  [/^(?:ريالات|ريالا?)$/u, 'SAR'],
  [/^(?:usdt|테더|テザー|泰达币|u)$/iu, 'USDT'],
  [/^(?:usdc)$/iu, 'USDC'],
  [/^(?:btc|bitcoin|비트코인)$/iu, 'BTC'],
  [/^(?:eth|ether|ethereum)$/iu, 'ETH'],
  [/^(?:trx)$/iu, 'TRX'],
];

const multipliers: Array<[RegExp, number]> = [
  [/^(?:k|nghìn|ngàn|ribu|rb|千|천|พัน|ពាន់|ພັນ|ألف|آلاف|ထောင်|libo|libong)$/iu, 1e3],
  [/^(?:万|萬|만|หมื่น|ម៉ឺន|ໝື່ນ|သောင်း)$/u, 1e4],
  [/^(?:แสน|십만|十万|十萬|សែន|ແສນ|သိန်း)$/u, 1e5],
  [/^(?:천만|千万|千萬|ကုဋေ)$/u, 1e7],
  [/^(?:m|mn|mil|million|juta|jt|triệu|百万|ล้าน|백만|លាន|ລ້ານ|مليون|ملايين|သန်း|milyon)$/iu, 1e6],
  [/^(?:억|億|亿)$/u, 1e8],
  [/^(?:b|bn|billion|tỷ|tỉ|miliar)$/iu, 1e9],
];

/**
 * Coins whose amounts are often fractions, so "1.500 BTC" is one and a half.
 * Elsewhere a single separator followed by exactly three digits groups
 * thousands, whichever it is ("8.000 USDT" in Vietnamese, Indonesian and
 * Malay is eight thousand, as "1,500 USDT" is fifteen hundred), unless the
 * number before it is 0 ("0.500").
 */
const fractionalCurrencies = new Set(['BTC', 'ETH']);

const number = String.raw`\d{1,3}(?:[,.\s]\d{3})+(?:[.,]\d{1,8})?|\d+(?:[.,]\d{1,8})?`;
/**
 * The same numbers, as read before a currency word. That pattern may start
 * at every group of a number (a group follows a space), and with `+` each
 * start read the rest of the run of groups and backtracked over it: "123 "
 * repeated cost time quadratic in its length (0.45 s for 20,000 characters).
 * Here a number has at most 8 groups after the first (10^27, more than any
 * sum of money), and it may not end where a separator and a digit follow,
 * which no multiplier or currency word starts with: so each start reads a
 * few groups, and what is found is the same.
 */
const numberBeforeWord = String.raw`(?:\d{1,3}(?:[,.\s]\d{3}){1,8}(?:[.,]\d{1,8})?|\d+(?:[.,]\d{1,8})?)(?![,.\s]\d)`;
const multiplier = String.raw`천만|千万|千萬|십만|十万|十萬|백만|百万|k|K|m|M|mn|mil|million|milyon|juta|jt|ribu|rb|libong|libo|triệu|nghìn|ngàn|tỷ|tỉ|miliar|b|bn|billion|千|천|万|萬|만|억|億|亿|พัน|หมื่น|แสน|ล้าน|ពាន់|ម៉ឺន|សែន|លាន|ພັນ|ໝື່ນ|ແສນ|ລ້ານ|آلاف|ألف|ملايين|مليون|ထောင်|သောင်း|သိန်း|သန်း|ကုဋေ`;
const symbol = String.raw`US\$|S\$|HK\$|NT\$|B\$|\$|₩|฿|¥|￥|€|£|₫|₱|៛|₭|ဒေါ်လာ\s?|ဘတ်\s?|ကျပ်\s?|ယွမ်\s?|RM\s?|Rp\.?\s?|AED\s?|QAR\s?|USDT\s?|USDC\s?|USD\s?|THB\s?|SGD\s?|MYR\s?|IDR\s?|VND\s?|KRW\s?|JPY\s?|CNY\s?|RMB\s?|KHR\s?|LAK\s?|MMK\s?|EUR\s?|PHP\s?|Php\s?|P(?=\d)|Ks\.?\s?`;
const word = String.raw`원|won|KRW|บาท|baht|THB|ບາດ|泰铢|円|yen|JPY|日元|元|人民币|RMB|CNY|yuan|块钱|块|塊錢|塊|đồng|dong|VNĐ|VND|đ|越南盾|USD|dollars?|dolar|đô la|đô|달러|ดอลลาร์|ドル|美元|美金|ដុល្លារ|ໂດລາ|دولارات|دولارا?|ဒေါ်လာ|rupiah|IDR|印尼盾|ringgit|MYR|林吉特|pesos?|piso|PHP|比索|euros?|EUR|유로|ユーロ|欧元|韩元|韓元|riel|KHR|៛|រៀល|kip|LAK|ກີບ|kyats?|MMK|Ks|ကျပ်|SGD|AED|dirhams?|دراهم|درهما?|ريال قطري|ريالات|ريالا?|QAR|USDT|테더|テザー|泰达币|U|USDC|BTC|bitcoin|비트코인|ETH|ether|TRX`;

// Chinese and Japanese write numbers straight after a word ("金额5万元"), so only
// a Latin letter or a digit before an amount means it belongs to something else.
const symbolFirst = new RegExp(
  String.raw`(?<![\p{Script=Latin}\d])(${symbol})\s?(${number})\s?(${multiplier})?(?![\p{L}\d])`,
  'giu',
);
// Korean, Japanese and Thai attach particles straight to the currency word ("300만원을"),
// so only a Latin letter (Vietnamese included: "đ" in "để" is no dong) after it means the word goes on.
const wordAfter = new RegExp(
  String.raw`(?<![\p{Script=Latin}\d.,])(${numberBeforeWord})\s?(${multiplier})?\s?(${word})(?![\p{Script=Latin}])`,
  'giu',
);

/**
 * Number words that say the currency themselves: a Korean who writes "3억"
 * means won, a Vietnamese "1,2 tỷ" dong, a Burmese "50 သိန်း" kyat. Only
 * words for ten thousand and more (and the Indonesian, Malay and Filipino
 * thousands, which are said of money), so a count of people or days is not
 * read as money. `local` is the currency of the message's country.
 */
const spokenMultiplier = String.raw`천만|십만|백만|만|억|千万|千萬|万|萬|亿|億|k|K|tỷ|tỉ|triệu|nghìn|ngàn|juta|jt|ribu|rb|libong|libo|ล้าน|แสน|หมื่น|သိန်း|သောင်း|သန်း|ကုဋေ|ລ້ານ|ແສນ|ໝື່ນ|លាន|សែន|ម៉ឺន|ملايين|مليون|آلاف|ألف`;
/**
 * The currency each number word is said of: its own, or the message's
 * country's where that country says it of its money (`local`), else the
 * fallback (none for Arabic, whose countries' currencies differ, nor for
 * "k", which is money only in the countries listed, and only glued to its
 * number: "500k").
 */
const spokenCurrencies: Array<[RegExp, { currency?: string; local?: string[]; glued?: boolean }]> = [
  [/^(?:천만|십만|백만|만|억)$/u, { currency: 'KRW' }],
  [/^(?:千万|千萬|万|萬|亿|億)$/u, { currency: 'CNY', local: ['JP', 'TW', 'HK'] }],
  [/^k$/iu, { local: ['VN', 'ID', 'PH', 'MY'], glued: true }],
  [/^(?:tỷ|tỉ|triệu|nghìn|ngàn)$/iu, { currency: 'VND' }],
  [/^(?:juta|jt|ribu|rb)$/iu, { currency: 'IDR', local: ['MY', 'SG', 'BN'] }],
  [/^(?:libong|libo)$/iu, { currency: 'PHP' }],
  [/^(?:ล้าน|แสน|หมื่น)$/u, { currency: 'THB' }],
  [/^(?:သိန်း|သောင်း|သန်း|ကုဋေ)$/u, { currency: 'MMK' }],
  [/^(?:ລ້ານ|ແສນ|ໝື່ນ)$/u, { currency: 'LAK' }],
  [/^(?:លាន|សែន|ម៉ឺន)$/u, { currency: 'KHR' }],
  [/^(?:ملايين|مليون|آلاف|ألف)$/u, { local: ['AE', 'QA', 'SA', 'KW', 'BH', 'OM', 'JO', 'EG'] }],
];
const riyalOf: Record<string, string> = { QA: 'QAR', OM: 'OMR', YE: 'YER' };
/** The currency of each country named above. */
const localCurrencies: Record<string, string> = {
  JP: 'JPY',
  TW: 'TWD',
  HK: 'HKD',
  VN: 'VND',
  PH: 'PHP',
  ID: 'IDR',
  MY: 'MYR',
  SG: 'SGD',
  BN: 'BND',
  AE: 'AED',
  QA: 'QAR',
  SA: 'SAR',
  KW: 'KWD',
  BH: 'BHD',
  OM: 'OMR',
  JO: 'JOD',
  EG: 'EGP',
};
/** What follows a count of people, views or times rather than a sum ("3万人", "50만 명", "500k views"). */
const counter = String.raw`人|名|个|個|次|件|粉|字|步|票|명|개|번|회|people|persons|users|followers|views|likes|người|lượt|orang|คน|ครั้ง|ຄົນ|នាក់|ယောက်|شخص`;
const spokenAmount = new RegExp(
  String.raw`(?<![\p{Script=Latin}\d.,])(${numberBeforeWord})\s?(${spokenMultiplier})(?![\p{Script=Latin}])(?!\s?(?:${counter}))`,
  'giu',
);
/**
 * Korean, Japanese and Chinese say a sum over a hundred million in two
 * parts: "1억 2천만원" is 120,000,000 won, "1億2千万円" 120,000,000 yen.
 */
const twoPartAmount =
  /(?<![\p{Script=Latin}\d.,])(\d{1,4})\s?(억|億|亿)\s?(\d{1,4}(?:,\d{3})?)\s?(천만|백만|십만|만|천|千万|千萬|百万|万|萬|千)\s?(원|円|元|块)?/gu;
const twoPartFactors: Record<string, number> = {
  천만: 1e7,
  千万: 1e7,
  千萬: 1e7,
  백만: 1e6,
  百万: 1e6,
  십만: 1e5,
  만: 1e4,
  万: 1e4,
  萬: 1e4,
  천: 1e3,
  千: 1e3,
};
const twoPartCurrencies: Record<string, string> = { 억: 'KRW', 億: 'JPY', 亿: 'CNY' };
/** Burmese also says the number word first: "သိန်း ၅၀" is fifty lakh kyat. */
const burmeseNumberWordFirst = /(?<![\p{L}\p{M}])(သိန်း|သောင်း|သန်း)\s?(\d+(?:[.,]\d{1,3})?)(?![\d.,]?\d)/gu;

/**
 * Pay a job ad offers, as the words around an amount say it: a word for
 * salary or income shortly before it ("salary 1,500 USD", "月薪2万",
 * "lương 1500 USD"), or a period after it ("$1,500 a month", "1500 USD/tháng",
 * "Rp 10 juta per bulan"). A word for paying or sending between the two means
 * the money went the other way ("salary, but I paid 500 USDT").
 */
const payWordBefore =
  /(?:salary|salaries|wages?|income|pay(?:ing)?\s+(?:of|is|up\s+to)|earn(?:ing|s)?|월급|급여|연봉|수입|일당|시급|월\s|한\s?달에?|매달|매월|เงินเดือน|รายได้|ค่าจ้าง|ค่าแรง|เดือนละ|ប្រាក់ខែ|ប្រាក់ចំណូល|ເງິນເດືອນ|ລາຍໄດ້|lương|thu nhập|mỗi tháng|gaji|pendapatan|penghasilan|sebulan|sahod|suweldo|sweldo|buwanang|راتب|الراتب|دخل|လစာ|ဝင်ငွေ|月薪|月给|工资|薪水|底薪|薪资|收入|每月|(?<!\d)月|月収|給料|給与|月給|日給|時給|年収|報酬)[^.!?。\n\d]{0,16}$/iu;
const paidBetween =
  /paid|sent|transfer|deposit|โอน|จ่าย|chuyển|nạp|转|付|送金|振り?込|보냈|입금|송금|bayar|kirim|nagbayad|ipinadala|دفعت|حولت|လွှဲ|ផ្ញើ|បង់|ໂອນ|ຈ່າຍ/iu;
const periodAfter =
  /^\s?(?:(?:\/|per|a|an|each|every|mỗi|một|kada|isang|sa isang|ต่อ|في)\s?(?:months?|mo|weeks?|days?|hours?|tháng|ngày|tuần|bulan|hari|minggu|buwan|araw|linggo|เดือน|วัน|ខែ|ថ្ងៃ|ເດືອນ|ມື້|월|달|月|天|日|شهر|الشهر|يوم|ရက်|လ)(?![\p{Script=Latin}])(?!\s?(?:later|ago|after|before|sau|trước|kemudian|lalu|later))|monthly|weekly|daily|hourly|sebulan|sehari|seminggu|每月|每天|一个月|တစ်လ|شهري(?:اً|ا)?|يومي(?:اً|ا)?)/iu;

/** A price ("Harga paket Rp 150.000 per bulan", "fee $30 a month") is charged, not offered as pay. */
const priceBefore =
  /(?:price|fee|cost|charge|rent|harga|biaya|sewa|giá|phí|ราคา|ค่า(?!จ้าง|แรง)|价格|价钱|费用|料金|価格|가격|요금|비용|presyo|bayad|singil|سعر|رسوم|តម្លៃ|ລາຄາ|စျေး)[^.!?。\n\d]{0,16}$/iu;

/**
 * Whether a message holds a word for pay or for a period anywhere: most do
 * not, and their amounts are then read as amounts without looking around
 * each one ("1만" written 10,000 times is 10,000 amounts). The pay words'
 * and periods' patterns with their anchors taken off.
 */
const payOrPeriodAnywhere = new RegExp(
  `${payWordBefore.source.replace(/\[\^[^\]]*\]\{0,16\}\$$/, '')}|${periodAfter.source.replace(/^\^\\s\?/, '')}`,
  'iu',
);

function offeredAsPay(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 40), start);
  const pay = payWordBefore.exec(before);
  if (pay && !paidBetween.test(pay[0])) return true;
  return !pay && !priceBefore.test(before) && periodAfter.test(text.slice(end, end + 16));
}

/**
 * What a currency or number word means, by its table. The words are those the
 * patterns above match, a few hundred at most, so each is looked up in its
 * table once and remembered: a table is some forty patterns to try.
 */
const lookups = new WeakMap<object, Map<string, unknown>>();
function lookup<T>(table: Array<[RegExp, T]>, text: string | undefined): T | undefined {
  if (!text) return undefined;
  let known = lookups.get(table) as Map<string, T | undefined> | undefined;
  if (!known) {
    known = new Map();
    lookups.set(table, known);
  }
  if (!known.has(text)) known.set(text, table.find(([pattern]) => pattern.test(text.trim()))?.[1]);
  return known.get(text);
}

/** Reads "3,000,000", "1.500.000", "1,5" and "1.2" by the currency's habits. */
function parseNumber(text: string, currency: string): number | undefined {
  const compact = text.replace(/\s/g, '');
  const groups = compact.split(/[.,]/);
  const last = groups[groups.length - 1] ?? '';
  const separators = compact.replace(/\d/g, '');
  let normalized: string;
  if (separators.length === 0) {
    normalized = compact;
  } else if (
    separators.length === 1 &&
    (last.length !== 3 || groups[0] === '0' || (separators === '.' && fractionalCurrencies.has(currency)))
  ) {
    normalized = compact.replace(',', '.');
  } else if (new Set(separators).size === 2) {
    // Both separators: the last one is the decimal point.
    const decimalSeparator = separators[separators.length - 1]!;
    const thousands = decimalSeparator === '.' ? /,/g : /\./g;
    normalized = compact.replace(thousands, '').replace(decimalSeparator, '.');
  } else {
    normalized = compact.replace(/[.,]/g, '');
  }
  const value = Number(normalized);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export function formatAmount(value: number): string {
  return Number(value.toFixed(8)).toString();
}

/**
 * The amounts of one message, as they are read. A class rather than
 * closures made for each message: the functions are made once, which under
 * tsx (which names every function it makes) was a third of the pass.
 */
class AmountsOfMessage {
  readonly found: Indicator[] = [];
  /** Each amount is read once however often it is written ("$1 " repeated is 6,666 of them). */
  readonly #values = new Map<string, string | undefined>();

  constructor(
    readonly text: string,
    readonly claimed: ClaimedSpans,
    readonly source: string,
    readonly country: string | undefined,
  ) {}

  #valueOf(amountText: string, factorText: string | undefined, currency: string): string | undefined {
    const key = `${currency} ${factorText ?? ''} ${amountText}`;
    if (!this.#values.has(key)) {
      const amount = parseNumber(amountText, currency);
      this.#values.set(
        key,
        amount === undefined
          ? undefined
          : `${formatAmount(amount * (lookup(multipliers, factorText) ?? 1))} ${currency}`,
      );
    }
    return this.#values.get(key);
  }

  /** Whether pay is offered, by the words around an amount: each context read once ("1만" repeated is 10,000). */
  readonly #offered = new Map<string, boolean>();

  #mayOfferPay: boolean | undefined;

  /** An amount or a salary, by the words around it. */
  push(start: number, end: number, value: string, original: string): void {
    this.claimed.claim(start, end);
    this.#mayOfferPay ??= payOrPeriodAnywhere.test(this.text);
    if (!this.#mayOfferPay) {
      this.found.push({ kind: 'amount', value, original: original.trim(), validity: 'plausible', source: this.source });
      return;
    }
    const context = `${this.text.slice(Math.max(0, start - 40), start)}\u0000${this.text.slice(end, end + 16)}`;
    let offered = this.#offered.get(context);
    if (offered === undefined) {
      offered = offeredAsPay(this.text, start, end);
      this.#offered.set(context, offered);
    }
    const kind = offered ? 'salary' : 'amount';
    this.found.push({ kind, value, original: original.trim(), validity: 'plausible', source: this.source });
  }

  add(start: number, original: string, amountText: string, factorText: string | undefined, currency?: string): void {
    const end = start + original.length;
    if (!currency || this.claimed.overlaps(start, end)) return;
    const value = this.#valueOf(amountText, factorText, currency);
    if (value !== undefined) this.push(start, end, value, original);
  }

  /** The currency a number word says, or the message's country's where that country says it of its money. */
  spokenCurrency(factorText: string, spoken: string): string | undefined {
    const said = lookup(spokenCurrencies, factorText);
    if (!said) return undefined;
    // "500k" is money only glued to the number ("500 k" is rarely written so).
    if (said.glued && /^\d[\d.,]*\s/.test(spoken)) return undefined;
    const local = this.country && said.local?.includes(this.country) ? localCurrencies[this.country] : undefined;
    return local ?? said.currency;
  }
}

export function findAmounts(text: string, claimed: ClaimedSpans, source: string, country?: string): Indicator[] {
  const amounts = new AmountsOfMessage(text, claimed, source, country);
  // The patterns for two-part and Burmese amounts run only where their words are written at all.
  const twoParts = /[억億亿]/u.test(text) ? matchesOf(twoPartAmount, text) : [];
  for (const match of twoParts) {
    const high = Number(match[1]) * 1e8;
    const low = Number(match[3]!.replace(/,/g, '')) * twoPartFactors[match[4]!]!;
    const currency = match[5] === '块' ? 'CNY' : match[5] === '円' ? 'JPY' : twoPartCurrencies[match[2]!]!;
    const end = match.index + match[0].length;
    if (!claimed.overlaps(match.index, end))
      amounts.push(match.index, end, `${formatAmount(high + low)} ${currency}`, match[0]);
  }
  // Whether the message writes yuan, looked for once: for each ¥ it read the whole message again.
  let writesYuan: boolean | undefined;
  for (const match of matchesOf(symbolFirst, text)) {
    // A currency code just after a number is that number's ("1,500 USDT 20 days"), read by wordAfter below.
    if (/^[A-Za-z]/.test(match[1]!) && /\d\s?$/.test(text.slice(Math.max(0, match.index - 2), match.index))) continue;
    // "P" for pesos only glued to a number of at least three digits ("P120,000"), not "P2".
    if (match[1] === 'P' && match[2]!.replace(/\D/g, '').length < 3) continue;
    const yen = match[1] === '¥' || match[1] === '￥';
    if (yen) writesYuan ??= /元|人民币/u.test(text);
    const currency = yen ? (writesYuan ? 'CNY' : 'JPY') : lookup(symbolCurrencies, match[1]);
    amounts.add(match.index, match[0], match[2]!, match[3], currency);
  }
  for (const match of matchesOf(wordAfter, text)) {
    // "5000U" is Chinese for USDT, but only glued to the number.
    if (/^u$/i.test(match[3]!) && (match[2] || /\s$/.test(match[0].slice(0, -1)))) continue;
    const currency = lookup(wordCurrencies, match[3]);
    // A riyal is Saudi unless the message is from Qatar or Oman, whose money is called so too.
    amounts.add(
      match.index,
      match[0],
      match[1]!,
      match[2],
      currency === 'SAR' ? (riyalOf[country ?? ''] ?? currency) : currency,
    );
  }
  for (const match of matchesOf(spokenAmount, text)) {
    amounts.add(match.index, match[0], match[1]!, match[2], amounts.spokenCurrency(match[2]!, match[0]));
  }
  const burmese = /[\u1000-\u109f]/u.test(text) ? matchesOf(burmeseNumberWordFirst, text) : [];
  for (const match of burmese) {
    amounts.add(match.index, match[0], match[2]!, match[1], 'MMK');
  }
  return amounts.found;
}
