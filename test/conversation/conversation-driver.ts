import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { afterAll } from 'vitest';
import { assembleConversationRunner } from '../../app/assemble-conversations.js';
import { assembleIntake, type Intake } from '../../app/assemble-intake.js';
import type { TranscriptChatChannel } from '../../intake/chat/chat-channel.js';
import type { ConversationRunner } from '../../intake/conversation/conversation-runner.js';
import { parseConversationState } from '../../intake/conversation/conversation-state.js';
import type {
  ConversationDeps,
  ConversationInput,
  ConversationOutput,
  ConversationState,
} from '../../intake/conversation/conversation-types.js';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import { extractIndicators } from '../../intake/indicators/extract-indicators.js';
import { createCaseRouter } from '../../intake/routing/case-router.js';
import { emergencyContactsFor } from '../../intake/routing/emergency-contacts.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { ConversationStore } from '../../intake/store/conversation-store.js';
import type { ReportFollowups } from '../../intake/store/report-followups.js';
import type { ReportStore } from '../../intake/store/report-store.js';
import { testCipher } from '../support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

export const i18n = createI18n(loadLocaleResources(defaultLocalesDir));
let directory = loadAgencyDirectory();

/**
 * The directory with a deployment's file, for a test file whose cases need agencies only a deployment adds
 * (the consular desks of more nationalities): call it before the file's first driver starts.
 */
export function useDeploymentDirectory(deploymentFile: string): void {
  if (shared) throw new Error('useDeploymentDirectory must come before the first driver starts');
  directory = loadAgencyDirectory({ deploymentFile });
}

/** The engine's dependencies, for a test that calls the pure engine itself. */
export const deps: ConversationDeps = {
  extractIndicators,
  emergencyContacts: (country, nationality, language) =>
    emergencyContactsFor(directory, country, i18n.getFixedT(language, 'routing'), language, nationality),
  conversationId: 'test-conversation',
};

/**
 * The channel the driver talks through: Telegram's name (the reports say they
 * came by Telegram), and no platform behind it; the driver reads what the
 * runner returns for each turn, so the transcript it would keep stays empty.
 */
const driverChannel: TranscriptChatChannel = {
  delivery: 'transcript',
  channel: 'telegram',
  transcriptLines: () => [],
};

/** The same, keeping the lines a web chat would (each output's key), for a test about what the transcript holds. */
const transcriptChannel: TranscriptChatChannel = {
  delivery: 'transcript',
  channel: 'telegram',
  transcriptLines: (outputs) =>
    outputs
      .filter((output) => output.type !== 'draft_deleted')
      .map((output) => ({ from: 'reportline' as const, text: 'key' in output ? output.key : output.type })),
};

/** One database and intake for every driver of a test file: each driver is another person. */
let shared: Promise<{ database: TestDatabase; intake: Intake; cipher: ReturnType<typeof testCipher> }> | undefined;
function sharedIntake() {
  shared ??= (async () => {
    const database = await createTestDatabase('sqlite');
    const cipher = testCipher();
    const intake = assembleIntake({
      db: database.db,
      cipher,
      router: createCaseRouter(directory),
      // Beside the database file: evidence lives in the data folder's `evidence/`.
      dataDir: dirname(database.filename!),
    });
    return { database, intake, cipher };
  })();
  return shared;
}
afterAll(async () => {
  if (shared) await (await shared).database.dispose();
});

export interface SubmittedReport {
  reportId: string;
  reference: string;
  receiptCode: string;
  content: unknown;
  key: string;
}

/**
 * Plays a conversation through the real ConversationRunner over a real
 * store: its effects are the runner's own (a report is validated and stored,
 * a status looked up, an addition written). The driver only watches what the
 * runner stored, through the stores it hands it.
 */
export class ConversationDriver {
  state!: ConversationState;
  outputs: ConversationOutput[] = [];
  readonly submitted: SubmittedReport[] = [];
  readonly additions: Array<{ reportId: string; text?: string; evidence: number }> = [];
  /** What the runner amended stored reports with, in order (the amend operation's own requests). */
  readonly amendments: Array<{ reportId: string; changes: unknown; key: string; replayed: boolean }> = [];
  /** The runner, for what a platform adapter does besides handing it input (a 403 marks the chat stopped). */
  readonly runner: ConversationRunner;
  readonly intake: Intake;
  readonly #runner: ConversationRunner;
  readonly #conversations: ConversationStore;
  readonly #userId = `driver-${randomBytes(6).toString('hex')}`;
  #updates = 0;
  #channel: TranscriptChatChannel = driverChannel;

  private constructor(intake: Intake, conversations: ConversationStore) {
    this.intake = intake;
    this.#conversations = conversations;
    const submitted = this.submitted;
    const additions = this.additions;
    // The runner's own stores, watched: what it submits and adds is recorded as it happens.
    const reports = new Proxy(intake.reports, {
      get(target, property) {
        if (property === 'submitReport')
          return async (...args: Parameters<ReportStore['submitReport']>) => {
            const result = await target.submitReport(...args);
            submitted.push({ ...result, content: args[0], key: args[1].idempotency?.key ?? '' });
            return result;
          };
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const followups = new Proxy(intake.followups, {
      get(target, property) {
        if (property === 'addToReport')
          return async (...args: Parameters<ReportFollowups['addToReport']>) => {
            await target.addToReport(...args);
            additions.push({
              reportId: args[0],
              ...(args[1].text ? { text: args[1].text } : {}),
              evidence: args[1].evidence?.length ?? 0,
            });
          };
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const amendments = this.amendments;
    const amend = new Proxy(intake.amendments, {
      get(target, property) {
        if (property === 'amend')
          return async (...args: Parameters<Intake['amendments']['amend']>) => {
            const result = await target.amend(...args);
            amendments.push({
              reportId: args[0].reportId,
              changes: args[0].changes,
              key: args[0].idempotency?.key ?? '',
              replayed: result.replayed,
            });
            return result;
          };
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    this.#runner = assembleConversationRunner({
      intake: { ...intake, reports, followups, amendments: amend },
      directory,
      i18n,
    });
    this.runner = this.#runner;
  }

  /** Where the intake keeps evidence files: a file a test saves here is one the server received. */
  static async dataDir(): Promise<string> {
    return dirname((await sharedIntake()).database.filename!);
  }

  /** This person's id on the driver's channel. */
  get userId(): string {
    return this.#userId;
  }

  /** A new person opening the chat, with the language their channel suggests. */
  static async start(languageHint?: string, options: { keepTranscript?: boolean } = {}): Promise<ConversationDriver> {
    const { intake, database, cipher } = await sharedIntake();
    const driver = new ConversationDriver(intake, new ConversationStore({ db: database.db, cipher }));
    if (options.keepTranscript) driver.#channel = transcriptChannel;
    await driver.#turn({ type: 'command', command: 'start' }, languageHint ?? null);
    return driver;
  }

  async #turn(input: ConversationInput, languageHint: string | null = null): Promise<ConversationOutput[]> {
    this.#updates += 1;
    const result = await this.#runner.handle(this.#channel, this.#userId, input, {
      updateKey: `${this.#userId}:${this.#updates}`,
      languageHint,
      ...(input.type === 'text' ? { said: input.text } : {}),
    });
    const stored = await this.#conversations.load('telegram', this.#userId);
    const state = parseConversationState((stored?.state as { state?: unknown } | undefined)?.state);
    if (!state) throw new Error('the runner stored no conversation state');
    this.state = state;
    this.outputs = result.outputs;
    return result.outputs;
  }

  send(input: ConversationInput | string): Promise<ConversationOutput[]> {
    const normalized: ConversationInput =
      typeof input === 'string'
        ? input.startsWith('/')
          ? { type: 'command', command: input.slice(1) as never }
          : { type: 'text', text: input }
        : input;
    return this.#turn(normalized);
  }

  /** A press of a button shown last (it carries that question, as the platforms' button data does). */
  choose(value: string): Promise<ConversationOutput[]> {
    return this.send({ type: 'choice', value, ...(this.question() ? { question: this.question()! } : {}) });
  }

  /** The question the last buttons shown belong to. */
  question(): string | undefined {
    const asked = [...this.outputs]
      .reverse()
      .find((output) => output.type === 'choices' || output.type === 'request_file');
    return asked && 'question' in asked ? asked.question : undefined;
  }

  /** The i18next keys of what was last shown, in order. */
  keys(): string[] {
    return this.outputs.map((output) => ('key' in output ? output.key : output.type));
  }

  /** What was last shown, rendered in a language, as a person reads it. */
  rendered(language: LanguageCode = this.state.language): string {
    const t = i18n.getFixedT(language, 'conversation');
    return this.outputs
      .map((output) => {
        if (output.type === 'text') return t(output.key, output.params);
        if (output.type === 'choices')
          return `${t(output.key, output.params)} [${output.options.map((option) => option.label ?? t(option.labelKey ?? '')).join(' | ')}]`;
        if (output.type === 'request_file' || output.type === 'request_location') return t(output.key);
        if (output.type === 'receipt') return `${output.reference} ${output.receiptCode}`;
        if (output.type === 'contacts')
          return output.contacts.map((contact) => `${contact.label}: ${contact.phone ?? contact.url}`).join('; ');
        return output.type;
      })
      .join('\n');
  }
}
