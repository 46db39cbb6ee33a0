import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatEvidenceLimits } from '../../app/assemble-conversations.js';
import type { CaseActor } from '../../intake/cases/case-actor.js';
import type { CaseUseCases } from '../../intake/cases/case-use-cases.js';
import { saveEvidenceFile } from '../../intake/evidence/evidence-files.js';
import { testDatabaseKinds, warnIfPostgresSkipped } from '../support/test-databases.js';
import { AuditInsertRefused, openCaseFixture, type CaseFixture } from './case-fixture.js';

warnIfPostgresSkipped();

interface Scene {
  reportId: string;
  reference: string;
  /** Another case, for a link; a failed delivery or message, for a retry. */
  other?: string;
  deliveryId?: string;
  messageId?: number;
  sha256?: string;
}

interface UseCaseExample {
  name: string;
  /** The audit action the use case writes with its change. */
  action: string;
  setup?: (fixture: CaseFixture, scene: Scene) => Promise<Partial<Scene>>;
  run: (cases: CaseUseCases, scene: Scene) => Promise<unknown>;
}

const supervisor: CaseActor = { auditId: 'user:supervisor', role: 'supervisor', userId: 'supervisor' };
const agency: CaseActor = { auditId: 'user:agency', role: 'agency', agencyId: 'kh-cnp' };

const examples: UseCaseExample[] = [
  {
    name: 'assign',
    action: 'case.assigned',
    setup: async (fixture) => {
      const user = await fixture.intake.accounts.createUser({
        username: `hotline-${Math.random().toString(36).slice(2, 8)}`,
        password: 'a-long-enough-password-0123',
        role: 'hotline',
      });
      return { other: user.id };
    },
    run: (cases, scene) => cases.assign(supervisor, scene.reference, scene.other!),
  },
  {
    name: 'status',
    action: 'case.status_changed',
    run: (cases, scene) => cases.changeStatus(supervisor, scene.reference, { status: 'triaging' }),
  },
  {
    name: 'note',
    action: 'case.note_added',
    run: (cases, scene) => cases.addNote(supervisor, scene.reference, '가족과 통화함'),
  },
  {
    name: 'link',
    action: 'case.linked',
    setup: async (fixture) => ({ other: (await submit(fixture)).reference }),
    run: (cases, scene) => cases.setLink(supervisor, scene.reference, scene.other!, 'linked'),
  },
  {
    name: 'unlink',
    action: 'case.unlinked',
    setup: async (fixture) => ({ other: (await submit(fixture)).reference }),
    run: (cases, scene) => cases.setLink(supervisor, scene.reference, scene.other!, 'unlinked'),
  },
  {
    name: 'routing correction with its note',
    action: 'routing.corrected',
    run: (cases, scene) =>
      cases.correctRouting(supervisor, scene.reference, {
        primary: 'th-rtp',
        copies: ['interpol'],
        reason: 'She crossed into Thailand.',
      }),
  },
  {
    name: 'reply to the reporter',
    action: 'report.message_to_reporter',
    run: (cases, scene) => cases.reply(supervisor, scene.reference, 'We received your report.'),
  },
  {
    name: 'resend a reply',
    action: 'report.message_resent',
    setup: async (fixture, scene) => {
      await fixture.useCases.reply(supervisor, scene.reference, 'Are you safe?');
      const message = await fixture.db
        .updateTable('reporter_messages')
        .set({ chat_status: 'failed', chat_error: 'telegram.403' })
        .where('report_id', '=', scene.reportId)
        .returning('id')
        .executeTakeFirstOrThrow();
      return { messageId: Number(message.id) };
    },
    run: (cases, scene) => cases.resend(supervisor, scene.reference, scene.messageId!),
  },
  {
    name: 'retry a delivery',
    action: 'delivery.retried',
    setup: async (fixture, scene) => {
      const at = new Date().toISOString();
      const deliveryId = `failed-${scene.reportId}`;
      await fixture.db
        .insertInto('deliveries')
        .values({
          id: deliveryId,
          report_id: scene.reportId,
          agency_id: 'kh-cnp',
          method: 'email',
          status: 'failed',
          urgent: 0,
          attempts: 8,
          next_attempt_at: at,
          lease_until: null,
          last_error: 'smtp.550',
          delivered_at: null,
          created_at: at,
        })
        .execute();
      return { deliveryId };
    },
    run: (cases, scene) => cases.retryDelivery(supervisor, scene.deliveryId!, scene.reference),
  },
  {
    name: 'agency accepts (status and the reporter told)',
    action: 'agency.accepted',
    run: (cases, scene) => cases.decideReferral(agency, scene.reference, { decision: 'accepted' }),
  },
  {
    name: 'agency declines with a reason',
    action: 'agency.declined',
    run: (cases, scene) =>
      cases.decideReferral(agency, scene.reference, { decision: 'declined', reason: 'Thailand leads.' }),
  },
  {
    name: 'agency case number',
    action: 'agency.case_number_set',
    run: (cases, scene) => cases.setAgencyCaseNumber(agency, scene.reference, 'CNP/2026/118'),
  },
  {
    name: 'agency action (the reporter told)',
    action: 'agency.action_recorded',
    run: (cases, scene) =>
      cases.recordAgencyAction(agency, scene.reference, { action: 'welfare_check', note: 'Visited building B.' }),
  },
  {
    name: 'view a case',
    action: 'report.viewed',
    run: (cases, scene) => cases.view(agency, scene.reference, async (found) => found.reportId),
  },
  {
    name: 'view evidence',
    action: 'evidence.viewed',
    run: (cases, scene) => cases.viewEvidence(supervisor, scene.reference, scene.sha256!),
  },
];

let photoNumber = 0;
async function submit(fixture: CaseFixture) {
  photoNumber += 1;
  const photo = saveEvidenceFile(
    fixture.dataDir,
    new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from(`JFIF photo ${photoNumber}`)]),
    { fileName: 'compound.jpg', limits: chatEvidenceLimits(1024 * 1024) },
  );
  const stored = await fixture.intake.reports.submitReport(
    {
      consent: { shareWithLawEnforcement: true, contactBack: true },
      victim: { currentCountry: 'KH' },
      language: 'ko',
      evidence: [photo],
    },
    { actor: 'test' },
  );
  return { ...stored, sha256: photo.sha256 };
}

/** Everything a use case may change about a case, with its audit trail. */
async function everythingAbout(fixture: CaseFixture, reportId: string) {
  const { db } = fixture;
  const of = { report: reportId };
  return {
    of,
    report: await db
      .selectFrom('reports')
      .select(['status', 'in_queue', 'assigned_to', 'duplicate_of', 'updated_at'])
      .where('id', '=', reportId)
      .executeTakeFirst(),
    notes: await db.selectFrom('case_notes').select('id').where('report_id', '=', reportId).execute(),
    messages: await db
      .selectFrom('reporter_messages')
      .select(['id', 'chat_status'])
      .where('report_id', '=', reportId)
      .orderBy('id')
      .execute(),
    links: await db
      .selectFrom('report_link_overrides')
      .select(['report_a', 'report_b', 'state'])
      .where((eb) => eb.or([eb('report_a', '=', reportId), eb('report_b', '=', reportId)]))
      .execute(),
    agencies: await db
      .selectFrom('report_agencies')
      .select(['agency_id', 'role'])
      .where('report_id', '=', reportId)
      .orderBy('agency_id')
      .execute(),
    deliveries: await db
      .selectFrom('deliveries')
      .select(['id', 'status'])
      .where('report_id', '=', reportId)
      .orderBy('id')
      .execute(),
    answers: await db
      .selectFrom('agency_case_states')
      .select(['agency_id', 'decision', 'case_number'])
      .where('report_id', '=', reportId)
      .execute(),
    actions: await db.selectFrom('agency_actions').select('id').where('report_id', '=', reportId).execute(),
    audit: await db
      .selectFrom('audit_events')
      .select(['action'])
      .where('report_id', '=', reportId)
      .orderBy('seq')
      .execute(),
  };
}

describe.each(testDatabaseKinds)('each action on a case is one transaction with its audit event, on %s', (kind) => {
  let fixture: CaseFixture;
  beforeAll(async () => {
    fixture = await openCaseFixture(kind);
  });
  afterAll(async () => fixture?.close());

  it.each(examples.map((example) => [example.name, example] as const))(
    '%s: a refused audit event leaves neither it nor the change; then both are written',
    async (_name, example) => {
      const stored = await submit(fixture);
      let scene: Scene = { reportId: stored.reportId, reference: stored.reference, sha256: stored.sha256 };
      scene = { ...scene, ...(await example.setup?.(fixture, scene)) };
      const before = await everythingAbout(fixture, scene.reportId);

      await expect(example.run(fixture.refusing, scene)).rejects.toBeInstanceOf(AuditInsertRefused);
      expect(await everythingAbout(fixture, scene.reportId)).toEqual(before);

      await example.run(fixture.useCases, scene);
      const after = await everythingAbout(fixture, scene.reportId);
      const written = after.audit.slice(before.audit.length);
      expect(written.map((event) => event.action)).toContain(example.action);
      expect(after).not.toEqual(before);
    },
  );
});
