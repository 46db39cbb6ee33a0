import { describe, expect, it } from 'vitest';
import { languageCodes } from '../../intake/i18n/languages.js';
import { cueLanguages, storyPointsToTrafficking } from '../../intake/conversation/screening-cues.js';

/**
 * The cue list opens the screening; written as a person would write, in their
 * language. The stories that must not open it are the common ones of this
 * line: money that cannot be withdrawn, a passport merely mentioned, a job
 * offer, a lost investment.
 */
const pointing: Record<string, string[]> = {
  en: ['They took my passport, I cannot leave.', 'The boss keeps us locked up and forced us to scam people'],
  ko: ['여권을 빼앗겨서 나갈 수 없어요', '단지에 감금되어 있어요'],
  th: ['เขายึดพาสปอร์ตของฉัน ฉันออกไปไม่ได้', 'ถูกบังคับให้หลอกคนทุกวัน'],
  km: ['ពួកគេបានយកលិខិតឆ្លងដែនរបស់ខ្ញុំ ខ្ញុំមិនអាចចាកចេញបានទេ'],
  lo: ['ເຂົາຍຶດພາສປອດຂອງຂ້ອຍ ຂ້ອຍອອກໄປບໍ່ໄດ້'],
  vi: ['Họ giữ hộ chiếu của tôi, tôi không thể rời đi', 'Tôi bị nhốt ở đây'],
  zh: ['他们收走了我的护照，我出不去', '我被困在园区'],
  ja: ['パスポートを取り上げられて、出られない'],
  id: ['Mereka mengambil paspor saya, saya tidak bisa pergi.', 'Paspor saya ditahan agen'],
  ms: ['Pasport saya diambil, saya tidak boleh keluar'],
  fil: ['Kinuha nila ang passport ko, hindi ako makaalis'],
  ar: ['أخذوا جواز سفري ولا أستطيع المغادرة'],
  my: ['သူတို့က ကျွန်တော့် ပတ်စပို့ကို ယူထားတယ်။ ကျွန်တော် ထွက်သွားလို့ မရဘူး။'],
};

const notPointing = [
  'I lost money on a crypto investment site and cannot withdraw it.',
  'I brought my passport to the bank to open an account.',
  'They offered me a job abroad with a good salary.',
  'ถอนเงินออกมาไม่ได้ เว็บลงทุนปิดไปแล้ว',
  'ငွေပြန်ထုတ်လို့မရဘူး',
  'ខ្ញុំត្រូវបានគេបោកប្រាស់តាមអ៊ីនធឺណិត ហើយបាត់លុយ',
  'Saya tertipu investasi kripto dan uang tidak bisa ditarik',
  'Saya mengambil paspor di kantor imigrasi minggu lalu',
  'Tôi đi lấy hộ chiếu ở văn phòng',
  '我收到护照了，然后在网上被骗了钱',
  '投資アプリで出金できない',
  '투자 사이트에서 출금이 안 돼요',
];

describe('the cues that open the trafficking screening', () => {
  it('exist for every project language', () => {
    expect([...cueLanguages].sort()).toEqual([...languageCodes].sort());
  });

  it.each(Object.entries(pointing))(
    'are found in %s stories of a passport taken, confinement or forced scamming',
    (_, stories) => {
      for (const story of stories) expect(storyPointsToTrafficking([story]), story).toBe(true);
    },
  );

  it('are not found in ordinary scam stories, a passport merely mentioned or a job offer', () => {
    for (const story of notPointing) expect(storyPointsToTrafficking([story]), story).toBe(false);
    expect(storyPointsToTrafficking([undefined, ''])).toBe(false);
  });
});
