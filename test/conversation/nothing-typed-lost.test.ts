import { describe, expect, it } from 'vitest';
import type { DraftReport } from '../../intake/conversation/conversation-types.js';
import { addSuspect } from '../../intake/conversation/draft-updates.js';
import { countryName } from '../../intake/routing/display-names.js';
import { ConversationDriver } from './conversation-driver.js';

function summaryOf(driver: ConversationDriver) {
  const summary = driver.outputs.find((output) => output.type === 'summary');
  if (summary?.type !== 'summary') throw new Error('no summary was shown');
  return Object.fromEntries(summary.lines.map((line) => [line.labelKey, line.value ?? line.valueKey]));
}

/** Vietnamese, safe, a fake job: the recruiter answer holds a name and a local number, no country known yet. */
async function recruiterAnswered(recruiter: string, story = 'Có người mời tôi làm việc ở nước ngoài.') {
  const driver = await ConversationDriver.start('vi');
  await driver.choose('vi');
  await driver.choose('safe');
  await driver.send(story);
  if (driver.question() === 'confirmFound') await driver.choose('yes');
  await driver.choose('fake_job_compound');
  // The trafficking screening, offered for a fake job abroad: not now.
  await driver.choose('skip');
  await driver.send(recruiter);
  return driver;
}

describe('nothing typed is lost', () => {
  it('keeps the recruiter’s name as typed and reads a local number once the country is known', async () => {
    const driver = await recruiterAnswered('Anh Hùng, số 090 123 4567');
    expect(driver.state.draft.suspects?.names).toEqual(['Anh Hùng, số']);
    // Not guessed: no country is known yet.
    expect(driver.state.draft.suspects?.phones ?? []).toEqual([]);
    await driver.send('/skip');
    await driver.send('/skip');
    await driver.send('/skip');
    await driver.send('/skip');
    expect(driver.keys()).toEqual(['questions.nationality']);
    await driver.choose('VN');
    expect(driver.state.draft.suspects?.phones).toEqual(['+84901234567']);
    await driver.choose('VN');
    await driver.choose('done');
    // The confirm step shows the number in international form with its country, and countries by name.
    const summary = summaryOf(driver);
    expect(summary['summary.contacts']).toContain(`+84901234567 (${countryName('VN', 'vi')})`);
    expect(summary['summary.nationality']).toBe(countryName('VN', 'vi'));
    expect(summary['summary.currentCountry']).toBe(countryName('VN', 'vi'));
    expect(Object.values(summary)).not.toContain('VN');
  });

  it('keeps a name beyond what a report’s list holds in the story, so the report stays valid and nothing is lost', () => {
    let draft: DraftReport = { channel: 'telegram', language: 'vi' };
    for (let i = 1; i <= 51; i += 1) draft = addSuspect(draft, 'names', `Người ${i}`);
    expect(draft.suspects?.names).toHaveLength(50);
    expect(draft.incident?.narrative).toContain('Người 51');
  });

  it('does not read a local number in a country the story merely mentions (Burmese)', async () => {
    const driver = await ConversationDriver.start('my');
    await driver.choose('my');
    await driver.choose('safe');
    await driver.send('မြန်မာကို ခေါ်သွားမယ်လို့ ပြောတယ်။ သူ့ဖုန်း 012 345 678');
    expect(driver.state.found.filter((indicator) => indicator.kind === 'phone')).toEqual([]);
    expect(driver.state.draft.incident?.narrative).toContain('012 345 678');
    expect(driver.state.unresolved).toHaveLength(1);
  });

  it('keeps a voice note as evidence and says so, instead of asking to write (Lao)', async () => {
    const driver = await ConversationDriver.start('lo');
    await driver.choose('lo');
    await driver.choose('safe');
    await driver.send({
      type: 'file',
      file: { fileName: 'voice.ogg', mediaType: 'audio/ogg', size: 1200, sha256: 'b'.repeat(64) },
    });
    expect(driver.keys()).toEqual(['voiceKept', 'questions.narrative']);
    expect(driver.state.draft.evidence).toHaveLength(1);
  });

  it('a sticker (nothing in words) gets the question again, not "please write your answer" (Burmese)', async () => {
    const driver = await ConversationDriver.start('my');
    await driver.choose('my');
    await driver.choose('safe');
    await driver.send({ type: 'text', text: '' });
    expect(driver.keys()).toEqual(['questions.narrative']);
  });

  it('an edited message replaces what it said, an unsent one is removed (Vietnamese)', async () => {
    const driver = await ConversationDriver.start('vi');
    await driver.choose('vi');
    await driver.choose('safe');
    await driver.send({ type: 'text', text: 'Họ gọi giả làm công an', messageId: '41' });
    await driver.choose('voice_phishing');
    await driver.send({ type: 'text', text: 'Công an giả', messageId: '43' });
    await driver.send({ type: 'edited', messageId: '41', text: 'Họ gọi giả làm công an Hà Nội' });
    expect(driver.keys()[0]).toBe('editKept');
    expect(driver.state.draft.incident?.narrative).toBe('Họ gọi giả làm công an Hà Nội');
    expect(driver.state.draft.suspects?.names).toEqual(['Công an giả']);
    await driver.send({ type: 'unsent', messageId: '43' });
    expect(driver.keys()[0]).toBe('unsentRemoved');
    expect(driver.state.draft.suspects?.names ?? []).not.toContain('Công an giả');
    // The question it was at is still the question.
    expect(driver.state.step).toBe('callerPhone');
  });

  it('a photo taken back (LINE unsend) leaves the draft (Khmer)', async () => {
    const driver = await ConversationDriver.start('km');
    await driver.choose('km');
    await driver.choose('safe');
    const photo = { fileName: 'chat.jpg', mediaType: 'image/jpeg', size: 2048, sha256: 'c'.repeat(64) };
    await driver.send({ type: 'file', file: photo, messageId: '5501' });
    expect(driver.state.draft.evidence).toHaveLength(1);
    await driver.send({ type: 'unsent', messageId: '5501' });
    expect(driver.keys()).toEqual(['unsentRemoved']);
    expect(driver.state.draft.evidence).toEqual([]);
  });

  it('after an urgent report, an edit of the story amends the stored report (Arabic)', async () => {
    const driver = await ConversationDriver.start('ar');
    await driver.choose('ar');
    await driver.choose('held');
    await driver.choose('me');
    await driver.choose('yes');
    await driver.choose('AE');
    await driver.send({ type: 'text', text: 'أنا محتجز في مبنى قرب المطار', messageId: '7' });
    await driver.send({ type: 'edited', messageId: '7', text: 'أنا محتجز في مبنى قرب الميناء' });
    const stored = (await driver.intake.reports.getReportById(driver.submitted[0]!.reportId))!;
    expect(stored.report.incident.narrative).toBe('أنا محتجز في مبنى قرب الميناء');
  });

  it('after an urgent report, an unsent recruiter answer is not claimed removed: staff correct the stored report', async () => {
    const driver = await ConversationDriver.start('vi');
    await driver.choose('vi');
    await driver.choose('held');
    await driver.choose('me');
    await driver.choose('yes');
    await driver.choose('KH');
    await driver.send('/skip');
    await driver.choose('fake_job_compound');
    // The trafficking screening, offered to someone held: not now.
    await driver.choose('skip');
    await driver.send({ type: 'text', text: 'Anh Tuấn', messageId: '90' });
    await driver.send({ type: 'unsent', messageId: '90' });
    expect(driver.keys()).toEqual(['correctionNeedsStaff']);
    const stored = (await driver.intake.reports.getReportById(driver.submitted[0]!.reportId))!;
    expect(stored.report.suspects.names).toEqual(['Anh Tuấn']);
  });

  it('someone who blocked the bot and comes back keeps their draft (a 403 stops the chat, not the report)', async () => {
    const driver = await ConversationDriver.start('km');
    await driver.choose('km');
    await driver.choose('safe');
    await driver.send('គេបោកលុយខ្ញុំ');
    await driver.runner.markStopped('telegram', driver.userId);
    await driver.send('/start');
    expect(driver.keys()).toEqual(['welcomeBack', 'questions.category']);
    expect(driver.state.draft.incident?.narrative).toBe('គេបោកលុយខ្ញុំ');
    expect(driver.state.step).toBe('category');
  });
});
