/**
 * Words in a story that point to forced labour or trafficking ("they took my
 * passport", "I cannot leave", "they force us to scam"), in the project's
 * languages. A cue only opens the short screening; it marks nothing by itself.
 *
 * Each pattern names two things together (the passport and its taking, a
 * negation and leaving, being forced and scamming or working), or a word that
 * means confinement or violence on its own, so a story that merely mentions a
 * passport, a job abroad or a lost investment does not trigger it. Scripts
 * without spaces (Thai, Lao, Khmer, Burmese, Chinese, Japanese) allow a short
 * gap between the two parts instead of a word count. A person may write in a
 * language other than the one chosen, so every language's cues are tried.
 */
const gap = '[^.!?。။។\\n]{0,24}';
const wordGap = '(?:\\s+\\S+){0,4}\\s+';

const cuePatterns: Record<string, RegExp[]> = {
  en: [
    new RegExp(`\\bpassports?${wordGap}(?:taken|took|confiscated|withheld|seized)\\b`, 'u'),
    new RegExp(
      `\\b(?:they|he|she|boss|agent|company) (?:took|kept|confiscated|seized|withheld|has|have)${wordGap}passports?\\b`,
      'u',
    ),
    /\b(?:can(?:no|')?t|cannot|not allowed to|won'?t let (?:me|us|him|her|them))(?: to)? (?:leave|go home|escape)\b/u,
    /\bforced (?:me |us |him |her |them )?to (?:scam|cheat|work|defraud)\b/u,
    /\b(?:locked (?:up|in)|held captive|sold (?:me|us|him|her|them)|beaten|electric shocks?|tortured?|ransom)\b/u,
  ],
  ko: [
    new RegExp(`여권${gap}(?:뺏|빼앗|압수)`, 'u'),
    /(?:나갈|떠날|돌아갈|탈출할) 수 (?:없|가 없)|못 (?:나가|나와|떠나|돌아가)|(?:나가|떠나|돌아가)지 못/u,
    /감금|갇혀|강제로 (?:사기|일)|사기를 (?:강요|시켜)|폭행|구타|전기 ?충격|몸값/u,
  ],
  th: [
    new RegExp(`(?:หนังสือเดินทาง|พาสปอร์ต|พาสปอต)${gap}(?:ถูกยึด|ยึด|ถูกเอาไป|ริบ)`, 'u'),
    new RegExp(`(?:ยึด|ริบ)${gap}(?:หนังสือเดินทาง|พาสปอร์ต|พาสปอต)`, 'u'),
    /(?:ฉัน|ผม|เรา|หนู|ลูก|น้อง)[^.!?\n]{0,8}(?:ออกไป|ออกมา|กลับบ้าน|หนี)[^.!?\n]{0,6}ไม่ได้|ไม่ให้(?:ออก|กลับ)/u,
    /ถูกกักขัง|บังคับให้(?:หลอก|โกง|ทำงาน|แสกม|สแกม)|ถูก(?:ทุบตี|ซ้อม|ทำร้าย)|ช็อตไฟฟ้า|ค่าไถ่/u,
  ],
  km: [
    new RegExp(`គេ${gap}(?:យក|ដកហូត|រឹបអូស)${gap}(?:លិខិតឆ្លងដែន|ប៉ាស្ព័រ|ប៉ាសព័រ)`, 'u'),
    new RegExp(`(?:លិខិតឆ្លងដែន|ប៉ាស្ព័រ|ប៉ាសព័រ)${gap}(?:ត្រូវ(?:បាន)?(?:គេ)?យក|ដកហូត|រឹបអូស)`, 'u'),
    /មិនអាច(?:ចាក)?ចេញ|មិន(?:ឱ្យ|អោយ|ឲ្យ)(?:ខ្ញុំ|យើង)?(?:ចេញ|ត្រឡប់)|មិនអាចត្រឡប់/u,
    /បង្ខាំង|បង្ខំ[^.!?។\n]{0,12}(?:បោក|ធ្វើការ)|វាយដំ|ឆក់ខ្សែភ្លើង|ប្រាក់លោះ/u,
  ],
  lo: [
    new RegExp(`(?:ໜັງສືຜ່ານແດນ|ພາສປອດ|ພາສປອຣ໌ດ)${gap}(?:ຖືກຍຶດ|ຍຶດ|ຖືກເອົາໄປ)`, 'u'),
    new RegExp(`ຍຶດ${gap}(?:ໜັງສືຜ່ານແດນ|ພາສປອດ)`, 'u'),
    /(?:ຂ້ອຍ|ພວກເຮົາ|ລູກ|ນ້ອງ)[^.!?\n]{0,8}(?:ອອກໄປ|ອອກມາ|ກັບບ້ານ|ໜີ)[^.!?\n]{0,6}ບໍ່ໄດ້|ບໍ່ໃຫ້(?:ອອກ|ກັບ)/u,
    /ກັກຂັງ|ບັງຄັບໃຫ້(?:ຫຼອກ|ຕົ້ມ|ເຮັດວຽກ)|ທຸບຕີ|ຖືກຕີ|ຊັອດໄຟຟ້າ|ຄ່າໄຖ່/u,
  ],
  vi: [
    /(?:họ|chúng|bọn|công ty|ông chủ|chủ)(?: đã)? (?:lấy|giữ|thu|tịch thu)(?:\s+\S+){0,2}\s+hộ chiếu|bị (?:lấy|giữ|thu|tịch thu)(?: mất)? hộ chiếu|hộ chiếu(?:\s+\S+){0,3}\s+bị (?:lấy|giữ|thu|tịch thu)/u,
    /không (?:được|thể|cho|cho phép)(?:\s+(?:tôi|chúng tôi|em|anh|chị))? (?:ra ngoài|rời|về nhà|về nước|trốn|ra khỏi)/u,
    /bị (?:nhốt|giam|đánh|bán)|ép (?:tôi |chúng tôi |em )?(?:lừa|làm việc)|chích điện|tiền chuộc/u,
  ],
  zh: [
    /(?:收走|收了|扣|拿走|没收|沒收|抢|搶)[^。!?\n]{0,6}(?:护照|護照)|(?:护照|護照)[^。!?\n]{0,6}(?:被收|被扣|被拿|没收|沒收|被抢|被搶|收走|扣押|扣了)/u,
    /出不去|走不了|回不去|不让(?:我|我们)?(?:走|离开|回|出)|不讓(?:我|我們)?(?:走|離開|回|出)|(?:不能|无法|無法)(?:离开|離開|回国|回國)/u,
    /被关|被關|被困|囚禁|逼(?:我|我们|我們)?(?:诈骗|詐騙|骗人|騙人)|被打|电击|電擊|赎金|贖金/u,
  ],
  ja: [
    new RegExp(`(?:パスポート|旅券)${gap}(?:取り上げ|没収|奪|取られ|預けさせ)`, 'u'),
    /出られない|逃げられない|帰れない|帰してもらえない|出してもらえない|離れられない/u,
    /監禁|詐欺を(?:強要|させられ)|無理やり(?:詐欺|働か)|殴られ|電気ショック|身代金/u,
  ],
  id: [
    /paspor(?:\s+\S+){0,3}\s+(?:diambil|ditahan|disita|dirampas|dipegang)|(?:mereka|dia|agen|bos|perusahaan|majikan) (?:mengambil|menahan|menyita|merampas)(?:\s+\S+){0,2}\s+paspor/u,
    /(?:tidak|tak|nggak|gak|ga) (?:bisa|boleh|dapat|diizinkan|diperbolehkan) (?:keluar|pulang|pergi|kabur|meninggalkan)/u,
    /dikurung|disekap|dijual (?:ke|kepada)|dipaksa (?:untuk )?(?:menipu|bekerja|kerja|scam)|dipukuli|disetrum|tebusan/u,
  ],
  ms: [
    /pasport(?:\s+\S+){0,3}\s+(?:diambil|ditahan|dirampas|disita|dipegang)|(?:mereka|dia|ejen|bos|majikan|syarikat) (?:mengambil|menahan|merampas)(?:\s+\S+){0,2}\s+pasport/u,
    /(?:tidak|tak) (?:boleh|dapat|dibenarkan|dibenar) (?:keluar|balik|pulang|pergi|lari|meninggalkan)/u,
    /dikurung|dijual (?:ke|kepada)|dipaksa (?:untuk )?(?:menipu|bekerja|kerja|scam)|dipukul|direnjat|wang tebusan/u,
  ],
  fil: [
    /(?:kinuha|tinago|hinawakan|hawak) (?:nila|niya|ng (?:amo|boss|agency|kumpanya))(?:\s+\S+){0,3}\s+(?:pasaporte|passport)|kinumpiska/u,
    /hindi (?:ako |kami |siya |sila )?(?:makaalis|makalabas|makauwi|pinapalabas|pinapaalis|pinapauwi)/u,
    /ikinulong|nakakulong|pinilit (?:ako |kami |siya |sila )?(?:na )?(?:mang-?scam|manloko|magtrabaho)|binugbog|kinuryente|ransom/u,
  ],
  ar: [
    /(?:أخذوا|صادروا|سحبوا|احتجزوا|صودر|أُخذ)(?:\s+\S+){0,2}\s+جواز|جواز(?:\s+\S+){0,3}\s+(?:مأخوذ|مصادر|محتجز|أخذوه|صادروه)/u,
    /لا (?:أستطيع|نستطيع|يمكنني|يمكننا) (?:المغادرة|الخروج|العودة|الهروب)|لا يسمحون (?:لي|لنا) (?:بالمغادرة|بالخروج|بالعودة)/u,
    /محبوس|محتجز|أجبروني على (?:الاحتيال|العمل)|يجبرونني|يضربون|ضربوني|صعق كهربائي|فدية/u,
  ],
  my: [
    new RegExp(`(?:ပတ်စပို့|နိုင်ငံကူးလက်မှတ်)${gap}(?:ယူထား|ယူသွား|သိမ်း)`, 'u'),
    /ထွက်(?:သွား|ခွာ|ပြေး)?\s*(?:လို့|ခွင့်)\s*မ(?:ရ|ပေး)|ပြန်(?:သွား|လာ)?\s*(?:လို့|ခွင့်)\s*မ(?:ရ|ပေး)/u,
    /ချုပ်နှောင်|ပိတ်လှောင်|အတင်း[^။\n]{0,20}(?:လိမ်|ခိုင်း)|လိမ်ခိုင်း|ရိုက်နှက်|ဓာတ်လိုက်|ရွေးငွေ/u,
  ],
};

const allPatterns = Object.values(cuePatterns).flat();

/** Whether any text of a story holds a cue of forced labour or trafficking, in any of the project's languages. */
export function storyPointsToTrafficking(texts: ReadonlyArray<string | undefined>): boolean {
  return texts.some((text) => {
    if (!text) return false;
    const normalized = text.normalize('NFC').toLowerCase();
    return allPatterns.some((pattern) => pattern.test(normalized));
  });
}

/** The languages that have cues (a test checks every project language has some). */
export const cueLanguages = Object.keys(cuePatterns);
