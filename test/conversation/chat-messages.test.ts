import { describe, expect, it } from 'vitest';
import { renderOutputs, splitText } from '../../intake/conversation/chat-messages.js';
import { i18n } from './conversation-driver.js';

describe('chat messages', () => {
  it('splits a long text at line breaks so every part fits the channel, losing nothing', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i}: ${'ข้อความ '.repeat(5)}`);
    const parts = splitText(lines.join('\n'), 4096);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((part) => part.length <= 4096)).toBe(true);
    expect(parts.join('\n')).toBe(lines.join('\n'));
    const oneLongLine = 'x'.repeat(10_000);
    expect(splitText(oneLongLine, 4096).join('')).toBe(oneLongLine);
  });

  it('shows choices as buttons with translated labels, and a receipt with its advice', () => {
    const t = i18n.getFixedT('vi', 'conversation');
    const [choice, receipt] = renderOutputs(
      [
        {
          type: 'choices',
          key: 'questions.safety',
          question: 'safety',
          options: [
            { value: 'safe', labelKey: 'options.safe' },
            { value: 'KH', label: 'Campuchia' },
          ],
        },
        {
          type: 'receipt',
          reference: 'RL-7K3M-9QX2',
          receiptCode: '4XK9-M2QD-7TRB',
          routingLines: ['Liên hệ chính: …'],
          adviceKeys: ['advice.callBank'],
        },
      ],
      t,
    );
    expect(choice).toEqual({
      kind: 'text',
      text: t('questions.safety'),
      buttons: [
        { label: t('options.safe'), value: 'safe' },
        { label: 'Campuchia', value: 'KH' },
      ],
      question: 'safety',
    });
    const lines = receipt?.kind === 'text' ? receipt.text.split('\n') : [];
    expect(lines).toContain(t('receipt.reference', { reference: 'RL-7K3M-9QX2' }));
    expect(lines).toContain(`• ${t('advice.callBank')}`);
  });
});
