import type { Indicator } from './indicator.js';
import type { ClaimedSpans } from './text-spans.js';

/**
 * Amounts of money as people write them in the project's languages:
 * `₩3,000,000`, `300만원`, `5万円`, `฿20,000`, `1,500 USDT`, `$2k`,
 * `Rp 5 juta`, `20 triệu đồng`, `RM 5,000`, `1.2 BTC`. Normalized to
 * `<decimal> <CURRENCY>`.
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
  [/^£$/, 'GBP'],
  [/^₫$/, 'VND'],
  [/^₱$/, 'PHP'],
  [/^៛$/, 'KHR'],
  [/^RM\s?$/i, 'MYR'],
  [/^Rp\.?\s?$/i, 'IDR'],
  [/^AED\s?$/i, 'AED'],
  [/^QAR\s?$/i, 'QAR'],
];

const wordCurrencies: Array<[RegExp, string]> = [
  [/^(?:원|won|krw)$/iu, 'KRW'],
  [/^(?:บาท|baht|thb)$/iu, 'THB'],
  [/^(?:円|yen|jpy)$/iu, 'JPY'],
  [/^(?:元|人民币|rmb|cny|yuan)$/iu, 'CNY'],
  [/^(?:đồng|dong|đ|vnd|vnđ)$/iu, 'VND'],
  [/^(?:usd|dollars?|usd\$|달러|ดอลลาร์|ドル|美元|ដុល្លារ|ໂດລາ|دولارا?|دولارات)$/iu, 'USD'],
  [/^(?:rupiah|idr)$/iu, 'IDR'],
  [/^(?:ringgit|myr)$/iu, 'MYR'],
  [/^(?:pesos?|piso|php)$/iu, 'PHP'],
  [/^(?:riel|khr|៛|រៀល)$/iu, 'KHR'],
  [/^(?:kip|lak|ກີບ)$/iu, 'LAK'],
  [/^(?:kyats?|mmk|ကျပ်)$/iu, 'MMK'],
  [/^(?:sgd)$/iu, 'SGD'],
  [/^(?:aed|dirhams?|درهما?|دراهم)$/iu, 'AED'],
  [/^(?:qar|ريال قطري)$/iu, 'QAR'],
  [/^(?:usdt|테더)$/iu, 'USDT'],
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

/** Currencies whose amounts are never written with decimals, so "1.500" there is fifteen hundred. */
const wholeUnitCurrencies = new Set(['KRW', 'JPY', 'VND', 'IDR', 'KHR', 'LAK', 'MMK']);

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
const symbol = String.raw`US\$|S\$|HK\$|NT\$|\$|₩|฿|¥|￥|€|£|₫|₱|៛|RM\s?|Rp\.?\s?|AED\s?|QAR\s?|USD\s?`;
const word = String.raw`원|won|KRW|บาท|baht|THB|円|yen|JPY|元|人民币|RMB|CNY|yuan|đồng|dong|VNĐ|VND|đ|USD|dollars?|달러|ดอลลาร์|ドル|美元|ដុល្លារ|ໂດລາ|دولارات|دولارا?|rupiah|IDR|ringgit|MYR|pesos?|piso|PHP|riel|KHR|៛|រៀល|kip|LAK|ກີບ|kyats?|MMK|ကျပ်|SGD|AED|dirhams?|دراهم|درهما?|ريال قطري|QAR|USDT|테더|USDC|BTC|bitcoin|비트코인|ETH|ether|TRX`;

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

function lookup<T>(table: Array<[RegExp, T]>, text: string | undefined): T | undefined {
  if (!text) return undefined;
  return table.find(([pattern]) => pattern.test(text.trim()))?.[1];
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
    (last.length !== 3 || !wholeUnitCurrencies.has(currency)) &&
    !(separators === ',' && last.length === 3)
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

export function findAmounts(text: string, claimed: ClaimedSpans, source: string): Indicator[] {
  const found: Indicator[] = [];
  // Each amount is read once however often it is written ("$1 " repeated is 6,666 of them).
  const values = new Map<string, string | undefined>();
  const valueOf = (amountText: string, factorText: string | undefined, currency: string) => {
    const key = `${currency} ${factorText ?? ''} ${amountText}`;
    if (!values.has(key)) {
      const amount = parseNumber(amountText, currency);
      values.set(
        key,
        amount === undefined
          ? undefined
          : `${formatAmount(amount * (lookup(multipliers, factorText) ?? 1))} ${currency}`,
      );
    }
    return values.get(key);
  };
  const add = (
    start: number,
    original: string,
    amountText: string,
    factorText: string | undefined,
    currency: string | undefined,
  ) => {
    const end = start + original.length;
    if (!currency || claimed.overlaps(start, end)) return;
    const value = valueOf(amountText, factorText, currency);
    if (value === undefined) return;
    claimed.claim(start, end);
    found.push({ kind: 'amount', value, original: original.trim(), validity: 'plausible', source });
  };
  // Whether the message writes yuan, looked for once: for each ¥ it read the whole message again.
  let writesYuan: boolean | undefined;
  for (const match of text.matchAll(symbolFirst)) {
    const yen = match[1] === '¥' || match[1] === '￥';
    if (yen) writesYuan ??= /元|人民币/u.test(text);
    const currency = yen ? (writesYuan ? 'CNY' : 'JPY') : lookup(symbolCurrencies, match[1]);
    add(match.index, match[0], match[2]!, match[3], currency);
  }
  for (const match of text.matchAll(wordAfter)) {
    add(match.index, match[0], match[1]!, match[2], lookup(wordCurrencies, match[3]));
  }
  return found;
}
