/**
 * Countries a message names, in the project's languages, so that a local
 * phone number in "I am in Cambodia, call 012 345 678" is read as Cambodian
 * even when the reporter's own country is another.
 */
const countryNames: Array<[string, RegExp]> = [
  ['KH', /cambodia|캄보디아|กัมพูชา|កម្ពុជា|campuchia|柬埔寨|カンボジア|kamboja|camboya|ကမ္ဘောဒီးယား|كمبوديا/iu],
  ['TH', /thailand|태국|ประเทศไทย|ថៃ|ປະເທດໄທ|thái lan|泰国|タイ国|ထိုင်း|تايلاند/iu],
  ['LA', /\blaos\b|라오스|ลาว|ឡាវ|ລາວ|\blào\b|老挝|ラオス|လာအို|لاوس/iu],
  ['MM', /myanmar|burma|미얀마|เมียนมา|พม่า|មីយ៉ាន់ម៉ា|ມຽນມາ|缅甸|ミャンマー|မြန်မာ|ميانمار/iu],
  ['VN', /vietnam|viet nam|việt nam|베트남|เวียดนาม|វៀតណាម|ຫວຽດນາມ|越南|ベトナム|ဗီယက်နမ်|فيتنام/iu],
  ['PH', /philippines|필리핀|ฟิลิปปินส์|ហ្វីលីពីន|ຟີລິບປິນ|菲律宾|フィリピン|filipina|pilipinas|الفلبين/iu],
  ['MY', /malaysia|말레이시아|มาเลเซีย|ម៉ាឡេស៊ី|ມາເລເຊຍ|马来西亚|マレーシア|ماليزيا/iu],
  ['ID', /indonesia|인도네시아|อินโดนีเซีย|ឥណ្ឌូណេស៊ី|印度尼西亚|印尼|インドネシア|إندونيسيا/iu],
  ['SG', /singapore|싱가포르|สิงคโปร์|សិង្ហបុរី|新加坡|シンガポール|singapura|سنغافورة/iu],
  ['KR', /south korea|\bkorea\b|한국|대한민국|เกาหลี|កូរ៉េ|韩国|韓国|hàn quốc|korea selatan|كوريا/iu],
  ['JP', /japan|일본|ญี่ปุ่น|ជប៉ុន|日本|nhật bản|jepang|اليابان/iu],
  ['CN', /\bchina\b|중국|จีน|ចិន|中国|trung quốc|tiongkok|الصين/iu],
  ['AE', /\buae\b|dubai|emirates|두바이|ดูไบ|迪拜|ドバイ|الإمارات|دبي/iu],
];

/** Lower-cased once, so the patterns need no slow case-insensitive Unicode matching. */
const lowerCasePatterns = countryNames.map(
  ([code, pattern]) => [code, new RegExp(pattern.source.toLowerCase(), 'u')] as const,
);

export function countriesMentioned(text: string): string[] {
  const lower = text.toLowerCase();
  return lowerCasePatterns.filter(([, pattern]) => pattern.test(lower)).map(([code]) => code);
}
