import { extractIndicators } from '../intake/indicators/extract-indicators.js';
import corpus from '../test/fixtures/indicator-corpus.json' with { type: 'json' };
import type { BenchLine } from './bench-line.js';

const measureMs = 3_000;

interface Message {
  text: string;
  options: { source: string; defaultCountry: string };
}

function messagesPerSecond(messages: Message[]): { rate: number; averageLength: number } {
  // Warm-up, so the JIT has compiled the hot paths before timing starts.
  for (let round = 0; round < 20; round += 1) for (const message of messages) extractIndicators(message.text, message.options);
  let count = 0;
  let characters = 0;
  const started = performance.now();
  while (performance.now() - started < measureMs) {
    for (const message of messages) {
      extractIndicators(message.text, message.options);
      characters += message.text.length;
    }
    count += messages.length;
  }
  return { rate: count / ((performance.now() - started) / 1000), averageLength: Math.round(characters / count) };
}

/**
 * Messages per second through extraction on one core: the corpus's chat
 * messages as they are, and joined five at a time into narrative-length texts.
 */
export async function benchExtraction(): Promise<BenchLine[]> {
  const entries = corpus as Array<{ text: string; country: string }>;
  const chat = entries.map((entry) => ({ text: entry.text, options: { source: 'narrative', defaultCountry: entry.country } }));
  const narratives = chat.map((message, index) => ({
    text: [0, 1, 2, 3, 4].map((offset) => chat[(index + offset) % chat.length]!.text).join(' '),
    options: message.options,
  }));
  return [chat, narratives].map((messages) => {
    const { rate, averageLength } = messagesPerSecond(messages);
    return { name: `messages of ${averageLength} characters through extraction`, value: rate, unit: 'messages/s', aim: '≥ 5,000/s', met: rate >= 5_000 };
  });
}
