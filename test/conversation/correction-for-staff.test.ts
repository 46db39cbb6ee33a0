import { describe, expect, it } from 'vitest';
import { correctionRequestedAction } from '../../intake/cases/request-correction.js';
import { listAuditEvents } from '../../intake/store/audit-log.js';
import { ConversationDriver } from './conversation-driver.js';

/**
 * After a report is stored, taking back what is already in it (LINE unsend, an edit that drops a number) cannot
 * be done by the amend operation (a stored report's lists only grow). The person is told staff will correct it:
 * the case then says so for staff, with exactly what to remove, in a note and an audit event.
 */
describe('a correction only staff can make is recorded on the case', () => {
  async function urgentReport(language: 'vi' | 'my', country: string) {
    const driver = await ConversationDriver.start(language);
    await driver.choose(language);
    await driver.choose('held');
    await driver.choose('me');
    await driver.choose('yes');
    await driver.choose(country);
    return driver;
  }

  const corrections = async (driver: ConversationDriver, reportId: string) =>
    (await listAuditEvents(driver.intake.db, { reportId })).filter(
      (event) => event.action === correctionRequestedAction,
    );

  it('an unsent recruiter name: a note lists it and the history shows the request (Vietnamese)', async () => {
    const driver = await urgentReport('vi', 'KH');
    await driver.send('/skip');
    await driver.choose('fake_job_compound');
    // The trafficking screening, offered for a fake job abroad: not now.
    await driver.choose('skip');
    await driver.send({ type: 'text', text: 'Anh Tuấn', messageId: '90' });
    const reportId = driver.submitted[0]!.reportId;
    expect(await driver.intake.caseWork.listNotes(reportId)).toEqual([]);

    await driver.send({ type: 'unsent', messageId: '90' });
    expect(driver.keys()).toEqual(['correctionNeedsStaff']);
    const notes = await driver.intake.caseWork.listNotes(reportId);
    expect(notes).toEqual([expect.objectContaining({ author: 'channel:telegram', body: 'Anh Tuấn' })]);
    const events = await corrections(driver, reportId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: 'channel:telegram', detail: { channel: 'telegram', items: 1 } });
    // The detail holds no personal data, only the key and the count.
    expect(JSON.stringify(events[0]!.detail)).not.toContain('Tuấn');
  });

  it('an unsent photo: the note names the file by its name and hash (Burmese)', async () => {
    const driver = await urgentReport('my', 'MM');
    const reportId = driver.submitted[0]!.reportId;
    const photo = { fileName: 'room.jpg', mediaType: 'image/jpeg', size: 2048, sha256: 'd'.repeat(64) };
    await driver.send({ type: 'file', file: photo, messageId: '77' });
    const before = (await driver.intake.reports.getReportById(reportId))!.report.evidence;
    await driver.send({ type: 'unsent', messageId: '77' });
    expect(driver.keys()).toContain('correctionNeedsStaff');
    const notes = await driver.intake.caseWork.listNotes(reportId);
    expect(notes.map((note) => note.body)).toEqual([`room.jpg (sha256 ${'d'.repeat(64)})`]);
    expect(await corrections(driver, reportId)).toHaveLength(1);
    // The report itself is unchanged: staff decide.
    expect((await driver.intake.reports.getReportById(reportId))!.report.evidence).toEqual(before);
  });

  it('an edit that does not drop anything from the stored report records nothing', async () => {
    const driver = await urgentReport('vi', 'KH');
    await driver.send({ type: 'text', text: 'Tôi bị giữ trong tòa nhà gần sân bay', messageId: '5' });
    await driver.send({ type: 'edited', messageId: '5', text: 'Tôi bị giữ trong tòa nhà gần cảng' });
    const reportId = driver.submitted[0]!.reportId;
    expect(await driver.intake.caseWork.listNotes(reportId)).toEqual([]);
    expect(await corrections(driver, reportId)).toEqual([]);
  });

  it('the same request delivered again (a crash before the turn committed) is recorded once', async () => {
    const driver = await urgentReport('vi', 'KH');
    const reportId = driver.submitted[0]!.reportId;
    const request = {
      reportId,
      removals: ['+84901234567'],
      actor: 'channel:telegram',
      channel: 'telegram' as const,
      idempotency: { scope: 'conversation-correction', key: 'c1:update-9:correction:1' },
    };
    expect(await driver.intake.corrections.request(request)).toEqual({ recorded: true });
    expect(await driver.intake.corrections.request(request)).toEqual({ recorded: false });
    expect(await driver.intake.caseWork.listNotes(reportId)).toHaveLength(1);
    expect(await corrections(driver, reportId)).toHaveLength(1);
  });
});
