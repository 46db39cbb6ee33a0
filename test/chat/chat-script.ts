/**
 * What a person does in a chat, for the chaos test and the latency bench: a
 * persona answers what the bot shows (a button it prefers, or a typed
 * answer), the same way every time, so a run against a failing platform can
 * be compared message for message with a run against a healthy one.
 */

/** A message as the person sees it: its text (a card's alt text) and the buttons under it. */
export interface ShownMessage {
  text: string;
  buttons: Array<{ label: string; data: string }>;
  /** The platform's id of the message (Telegram's message_id), when it has one the person's client shows. */
  id?: number;
}

export type PersonAction = { kind: 'text'; text: string } | { kind: 'press'; value: string };

export interface Persona {
  name: string;
  /** The language the platform says the person uses (Telegram's language_code), and the one they choose. */
  language: string;
  urgent: boolean;
  /** Button values they choose when shown, in order of preference. */
  prefers: string[];
  /** What they type for the first typed answers; later typed answers are /skip. */
  typed: string[];
}

const referencePattern = /RL-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/g;
const receiptPattern = /\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b/g;

/** A message with what differs between two runs of one script (the reference, the receipt code) taken out. */
export function comparable(text: string): string {
  return text.replace(referencePattern, 'RL-XXXX-XXXX').replace(receiptPattern, 'XXXX-XXXX-XXXX');
}

export const hasReference = (text: string) => new RegExp(referencePattern.source).test(text);

/** The value a button carries, whatever the channel prefixes it with (its question or turn). */
export const buttonValue = (data: string) => data.split(':').at(-1) ?? data;

/**
 * One person going through their conversation: each call answers what the
 * bot has shown so far, or says the conversation is over (an ordinary
 * reporter once the receipt with its reference came; an urgent one two steps
 * after the reference came). A button is chosen from the newest message only.
 */
export function personDriver(persona: Persona) {
  let steps = 0;
  let typed = 0;
  let afterReference = 0;
  return {
    next(shown: ShownMessage[]): PersonAction | undefined {
      steps += 1;
      if (steps === 1) return { kind: 'text', text: '/start' };
      if (steps > 40) return undefined;
      if (shown.some((message) => hasReference(message.text))) {
        if (!persona.urgent || afterReference >= 2) return undefined;
        afterReference += 1;
      }
      const values = (shown.at(-1)?.buttons ?? []).map((button) => buttonValue(button.data));
      if (values.length > 0) {
        const preferred = persona.prefers.find((value) => values.includes(value));
        return { kind: 'press', value: preferred ?? values[0]! };
      }
      typed += 1;
      return { kind: 'text', text: persona.typed[typed - 1] ?? '/skip' };
    },
  };
}

/** The people of the chaos test and the bench: ordinary and urgent, in Vietnamese, Burmese, Khmer, Lao and Arabic. */
export const personas: Persona[] = [
  {
    name: 'held-vi',
    language: 'vi',
    urgent: true,
    prefers: ['vi', 'held', 'me', 'KH', 'yes', 'fake_job_compound', 'done', 'confirm'],
    typed: ['Họ giữ hộ chiếu của tôi ở Sihanoukville, gọi 012 345 678'],
  },
  {
    name: 'investment-my',
    language: 'my',
    urgent: false,
    prefers: ['my', 'safe', 'me', 'TH', 'yes', 'investment_crypto', 'done', 'confirm'],
    typed: ['အွန်လိုင်းရင်းနှီးမြှုပ်နှံမှုဖြင့် ငွေဆုံးရှုံးခဲ့သည်။ +66 81 234 5678'],
  },
  {
    name: 'danger-km',
    language: 'km',
    urgent: true,
    prefers: ['km', 'danger', 'me', 'KH', 'yes', 'fake_job_compound', 'done', 'confirm'],
    typed: ['ពួកគេវាយខ្ញុំ ហើយយកទូរស័ព្ទខ្ញុំ'],
  },
  {
    name: 'romance-ar',
    language: 'ar',
    urgent: false,
    prefers: ['ar', 'safe', 'me', 'MY', 'yes', 'romance', 'done', 'confirm'],
    typed: ['تعرفت عليه عبر الإنترنت وطلب مني المال. رقمه +60 12 345 6789'],
  },
  {
    name: 'held-lo',
    language: 'lo',
    urgent: true,
    prefers: ['lo', 'held', 'someoneElse', 'LA', 'yes', 'fake_job_compound', 'done', 'confirm'],
    typed: ['ນ້ອງສາວຂອງຂ້ອຍຖືກກັກຂັງ'],
  },
];
