import { describe, expect, it } from 'vitest';
import { chatEvidenceLimits } from '../../app/assemble-conversations.js';
import { saveEvidenceFile } from '../../intake/evidence/evidence-files.js';
import { advanceConversation } from '../../intake/conversation/conversation-engine.js';
import { describeStoredRouting } from '../../intake/routing/describe-stored-routing.js';
import { agencyName } from '../../intake/routing/display-names.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { ConversationDriver, deps, i18n } from './conversation-driver.js';

/**
 * After an urgent report is stored, what the person goes on to tell goes to
 * that report through the amend operation as its fields: indexed, linked and
 * routed, not a paragraph of free text beside it.
 */
describe('answers after an urgent report amend it', () => {
  it('story, category, recruiter, compound place, nationality and contact consent become fields of the stored report (Khmer)', async () => {
    const driver = await ConversationDriver.start('km');
    await driver.choose('km');
    await driver.choose('held');
    await driver.choose('me');
    await driver.choose('yes');
    await driver.choose('KH');
    const { reportId } = driver.submitted[0]!;

    await driver.send('ពួកគេឃុំខ្ញុំនៅ Golden Fortune។ មេ​ការ​លេខ +855 12 345 678');
    expect(driver.question()).toBe('confirmFound');
    await driver.choose('yes');
    await driver.choose('fake_job_compound');
    expect(driver.question()).toBe('screening');
    await driver.choose('skip');
    // The recruiter's name is kept as typed, their number read in the country known by now.
    await driver.send('Sokha 012 888 999');
    await driver.send('/skip');
    await driver.send('Golden Fortune, Sihanoukville');
    expect(driver.keys()).toEqual(['questions.compoundCountry']);
    await driver.choose('KH');
    await driver.send('/skip');
    await driver.choose('VN');
    await driver.choose('done');
    expect(driver.keys()).toEqual(['summary', 'questions.summary']);
    await driver.choose('confirm');
    await driver.choose('yes');
    expect(driver.keys()).toEqual(['receipt', 'whatNext']);
    const receipt = driver.outputs[0];
    const routingNow = await describeStoredRouting(
      driver.intake.routing,
      reportId,
      { reader: 'reporter', language: 'km' },
      { directory: loadAgencyDirectory(), i18n },
    );
    // The receipt says where the report goes now, Vietnam's police (added by the nationality) included.
    expect(receipt?.type === 'receipt' && receipt.routingLines).toEqual(routingNow);
    const vietnamPolice = agencyName(loadAgencyDirectory(), 'vn-mps', 'km');
    expect(routingNow.some((line) => line.includes(vietnamPolice))).toBe(true);

    const stored = (await driver.intake.reports.getReportById(reportId))!;
    expect(stored.report).toMatchObject({
      incident: { category: 'fake_job_compound', narrative: expect.stringContaining('Golden Fortune') },
      suspects: {
        phones: expect.arrayContaining(['+85512345678', '+85512888999']),
        names: expect.arrayContaining(['Sokha']),
        compound: { place: 'Golden Fortune, Sihanoukville', country: 'KH' },
      },
      victim: { currentCountry: 'KH', nationality: 'VN' },
      consent: { shareWithLawEnforcement: true, contactBack: true },
    });
    // Nothing went as free text: the story is the story, not a list of "labels: values".
    expect(driver.additions).toEqual([]);
    expect(stored.report.incident.narrative).not.toMatch(/category:|contacts:/);
    // Indicators are extracted from the amended fields, so staff search and links find them.
    expect(stored.indicators.map((indicator) => indicator.value)).toEqual(
      expect.arrayContaining(['+85512345678', '+85512888999']),
    );
    // The nationality answered later adds the home country's help: Vietnam's police are told too.
    const routing = await driver.intake.routing.getRouting(reportId);
    expect(routing?.agencies.map((agency) => agency.agencyId)).toEqual(expect.arrayContaining(['kh-cnp', 'vn-mps']));
    // Each answer is its own versioned amendment.
    expect((await driver.intake.reports.listAmendments(reportId)).length).toBeGreaterThanOrEqual(5);
  });

  it('a photo sent after an urgent report becomes its evidence (Burmese)', async () => {
    const driver = await ConversationDriver.start('my');
    await driver.choose('my');
    await driver.choose('held');
    await driver.choose('me');
    await driver.choose('yes');
    await driver.choose('MM');
    const photo = saveEvidenceFile(
      await ConversationDriver.dataDir(),
      new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('JFIF compound gate')]),
      { fileName: 'gate.jpg', limits: chatEvidenceLimits(1024 * 1024) },
    );
    await driver.send({ type: 'file', file: photo });
    expect(driver.keys()).toEqual(['fileReceived', 'questions.narrative']);
    const stored = (await driver.intake.reports.getReportById(driver.submitted[0]!.reportId))!;
    expect(stored.report.evidence.map((file) => file.sha256)).toEqual([photo.sha256]);
    expect(driver.additions).toEqual([]);
  });

  it('a redelivered amendment changes nothing twice (Vietnamese)', async () => {
    const driver = await ConversationDriver.start('vi');
    await driver.choose('vi');
    await driver.choose('danger');
    await driver.choose('me');
    await driver.choose('yes');
    await driver.choose('VN');
    await driver.send('Họ giữ hộ chiếu của tôi');
    await driver.choose('fake_job_compound');
    const { reportId } = driver.submitted[0]!;
    const before = await driver.intake.reports.listAmendments(reportId);
    const first = driver.amendments.at(-1)!;
    expect(first.changes).toEqual({ incident: { category: 'fake_job_compound' } });
    // The same turn run again after a crash asks for the same amendment with the same key.
    const again = await driver.intake.amendments.amend({
      reportId,
      changes: first.changes,
      actor: 'channel:telegram',
      channel: 'telegram',
      idempotency: { scope: 'conversation-amend', key: first.key },
    });
    expect(again.replayed).toBe(true);
    expect(await driver.intake.reports.listAmendments(reportId)).toEqual(before);
    // The key is the update's: the same update handled again asks with the same key, another update with its own.
    expect(first.key).toContain(`:${driver.userId}:`);
    // The passport taken, in the story: the screening comes next, and is skipped here.
    expect(driver.question()).toBe('screening');
    await driver.choose('skip');
    const keyOf = (updateKey: string) => {
      const turn = advanceConversation(driver.state, { type: 'text', text: 'Sokha' }, { ...deps, updateKey });
      const effect = turn.outputs.find((output) => output.type === 'effect');
      return effect?.type === 'effect' && effect.effect.kind === 'amend_report' ? effect.effect.key : undefined;
    };
    expect(keyOf('u-7')).toBeDefined();
    expect(keyOf('u-7')).toBe(keyOf('u-7'));
    expect(keyOf('u-7')).not.toBe(keyOf('u-8'));
  });
});
