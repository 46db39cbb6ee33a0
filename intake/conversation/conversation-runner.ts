import type { ChatChannel, TranscriptEntry, TurnContext } from '../chat/chat-channel.js';
import type { CheckAnswer, CheckRequest } from '../check/check-types.js';
import { isAskingForCheck } from './check-mode.js';
import { checkChannelOf } from './check-asker.js';
import type { ChatOutbox } from '../chat/chat-outbox.js';
import { evidenceRecord } from '../evidence/evidence-files.js';
import type { LanguageCode } from '../i18n/languages.js';
import type { Indicator } from '../indicators/indicator.js';
import type { Channel } from '../report/report-schema.js';
import { AmendmentError } from '../cases/amend-report.js';
import { ReportValidationError } from '../report/validate-report.js';
import { ConversationConflictError, type ConversationStore } from '../store/conversation-store.js';
import type { ReportFollowups } from '../store/report-followups.js';
import type { ReportStore } from '../store/report-store.js';
import { advanceConversation, currentPrompt, startConversation, type Turn } from './conversation-engine.js';
import {
  ConversationConflictRetriesExhaustedError,
  ConversationEffectLoopError,
} from './conversation-runner-errors.js';
import { parseConversationState } from './conversation-state.js';
import type {
  ConversationDeps,
  ConversationEffect,
  ConversationInput,
  ConversationOutput,
  ConversationState,
  EmergencyContactView,
} from './conversation-types.js';

export interface ConversationRunnerDependencies {
  conversations: ConversationStore;
  reports: ReportStore;
  followups: ReportFollowups;
  extractIndicators(text: string, options: { source: string; defaultCountry?: string }): Indicator[];
  emergencyContacts(
    country: string | undefined,
    nationality: string | undefined,
    language: LanguageCode,
  ): EmergencyContactView[];
  /** Where a stored report went and why, in plain sentences for the reporter. */
  describeRoutingToReporter(reportId: string, language: LanguageCode): Promise<string[]>;
  /** A button label in a language, so a typed label answers like a press. */
  label?(key: string, language: LanguageCode): string;
  /** Where a turn's messages for a platform chat wait, written in the turn's own transaction. */
  outbox: ChatOutbox;
  /** Called once a turn with messages to send is committed: the chat outbox worker sends them at once. */
  afterCommit?: () => void;
  /** The amend operation (`intake.amendments.amend`): answers after an urgent report become its fields. */
  amendReport(request: {
    reportId: string;
    changes: unknown;
    actor: string;
    channel: Channel;
    idempotency: { scope: string; key: string };
  }): Promise<unknown>;
  /** The withdraw use case: the report stays with the hotline, marked withdrawn, and its agencies are told. */
  withdrawReport(request: {
    reportId: string;
    actor: string;
    channel: Channel;
    idempotency?: { scope: string; key: string };
  }): Promise<{ withdrawn: boolean; alreadyWithdrawn: boolean }>;
  /** "Check before you pay" (`intake.checks.check`): the answer to a /check. Without it, /check says it cannot. */
  check?(request: CheckRequest): Promise<CheckAnswer>;
  /** The public dispute form's address (PUBLIC_BASE_URL + /check/dispute), shown under a warning when known. */
  checkDisputeUrl?: string;
  /** Records on the case what the person took back that only staff can remove (a note and its audit event). */
  requestCorrection(request: {
    reportId: string;
    removals: string[];
    actor: string;
    channel: Channel;
    idempotency: { scope: string; key: string };
  }): Promise<unknown>;
}

export interface HandleOptions {
  updateKey?: string;
  languageHint?: string | null;
  /** What the channel took from the update, for rendering its answer (a LINE reply token). */
  context?: TurnContext;
  /** Shown before the turn's own answer (LINE answers a sticker first). */
  preface?: ConversationOutput[];
  /** What the person said, as the transcript shows it (the web chat). */
  said?: string;
  /**
   * One of several files sent at once (Telegram media_group_id, LINE imageSet id): each is taken in,
   * but only the first of the group is answered, so three photos get one reply.
   */
  mediaGroupId?: string;
  /**
   * The update came from a group or a multi-person chat, not from one person: nothing of it is taken into a
   * report, and the group is told once (its own conversation row remembers that) to write privately.
   */
  fromGroup?: boolean;
}

export interface RunResult {
  outputs: ConversationOutput[];
  language: LanguageCode;
  /** False when this update was handled before (a redelivery): nothing was done. */
  processed: boolean;
}

export type { TranscriptEntry } from '../chat/chat-channel.js';

/**
 * What is stored for a conversation: the engine's state, the ids of messages a
 * channel showed (so /hide can remove them) and, for the web chat, the lines
 * of the conversation so far.
 */
interface StoredState {
  state: ConversationState;
  /** The bot's messages and the person's own (Telegram lets a bot delete both in a private chat). */
  shownMessageIds: string[];
  transcript?: TranscriptEntry[];
  /** The latest media groups seen, so only the first file of each is answered. */
  mediaGroups?: string[];
}

const maxMediaGroups = 20;

const maxTranscript = 200;

const maxShownMessages = 300;
const maxConflictRetries = 5;
/** Rounds of effects one turn may take (submit, then look up, …); the engine needs two at most. */
const maxEffectRounds = 10;

function readStored(raw: unknown): StoredState | undefined {
  const value = raw as { state?: unknown; shownMessageIds?: unknown } | undefined;
  const state = parseConversationState(value?.state);
  if (!state) return undefined;
  const ids = Array.isArray(value?.shownMessageIds)
    ? value.shownMessageIds.filter((id): id is string => typeof id === 'string')
    : [];
  const transcript = (value as { transcript?: unknown }).transcript;
  const mediaGroups = (value as { mediaGroups?: unknown }).mediaGroups;
  return {
    state,
    shownMessageIds: ids,
    ...(Array.isArray(transcript) ? { transcript: transcript as TranscriptEntry[] } : {}),
    ...(Array.isArray(mediaGroups)
      ? { mediaGroups: mediaGroups.filter((group): group is string => typeof group === 'string') }
      : {}),
  };
}

/**
 * Runs the pure conversation engine for one person on one channel: loads
 * their state, feeds in what they did, carries out the effects the engine
 * asks for (store the report, look up a status, add to a report) and feeds
 * their results back, then saves the new state together with the update that
 * caused it and the turn's answer: for a platform chat as messages in the
 * chat outbox, for the web chat as lines of its transcript, all in one
 * transaction. A crash after the commit loses no answer (the outbox worker
 * sends it); a crash before it loses nothing either (the update is handled
 * again). A redelivered update finds itself processed and changes nothing; a
 * repeated submission is recognised by its key and stores nothing twice.
 */
export class ConversationRunner {
  readonly #deps: ConversationRunnerDependencies;

  constructor(dependencies: ConversationRunnerDependencies) {
    this.#deps = dependencies;
  }

  async handle(
    port: ChatChannel,
    channelUserId: string,
    input: ConversationInput,
    options: HandleOptions = {},
  ): Promise<RunResult> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.#handleOnce(port, channelUserId, input, options);
      } catch (error) {
        // Two updates of one person at the same moment: the second reloads and goes again.
        if (!(error instanceof ConversationConflictError)) throw error;
        if (attempt >= maxConflictRetries)
          throw new ConversationConflictRetriesExhaustedError(
            `the conversation kept changing during ${maxConflictRetries + 1} tries`,
            { cause: error },
          );
      }
    }
  }

  async #handleOnce(
    port: ChatChannel,
    channelUserId: string,
    input: ConversationInput,
    options: HandleOptions,
  ): Promise<RunResult> {
    const { conversations } = this.#deps;
    const { channel } = port;
    if (options.updateKey !== undefined && (await conversations.isProcessed(channel, options.updateKey))) {
      return { outputs: [], language: 'en', processed: false };
    }
    const existing = await conversations.load(channel, channelUserId);
    if (options.fromGroup) return this.#noticeToGroup(port, channelUserId, existing !== undefined, options);
    const stored = existing ? readStored(existing.state) : undefined;
    const deps: ConversationDeps = {
      extractIndicators: this.#deps.extractIndicators,
      emergencyContacts: this.#deps.emergencyContacts,
      conversationId: existing?.id ?? `${channel}:new:${options.updateKey ?? 'first'}`,
      ...(this.#deps.label ? { label: this.#deps.label } : {}),
      ...(options.updateKey !== undefined ? { updateKey: options.updateKey } : {}),
    };

    let turn: Turn;
    const preface: ConversationOutput[] = [...(options.preface ?? [])];
    if (stored && existing?.status === 'stopped') {
      // They blocked the bot and came back: the draft is still theirs, and they are told so.
      preface.push({ type: 'text', key: 'welcomeBack' });
      turn =
        input.type === 'command' && input.command === 'start'
          ? { state: stored.state, outputs: currentPrompt(stored.state) }
          : advanceConversation(stored.state, input, deps);
    } else if (!stored) {
      if (existing && !stored) preface.push({ type: 'text', key: 'sessionReset' });
      turn = startConversation({
        channel,
        languageHint: options.languageHint ?? null,
        ...(input.type === 'text' ? { firstText: input.text } : {}),
      });
      // Someone who comes only to check a number is asked for it at once; the language question waits for after.
      if (input.type === 'command' && input.command === 'check') turn = advanceConversation(turn.state, input, deps);
      // Someone who starts by telling their story keeps it: it becomes the start of the report.
      if (input.type === 'text') {
        turn = {
          ...turn,
          state: { ...turn.state, draft: { ...turn.state.draft, incident: { narrative: input.text.trim() } } },
        };
      }
    } else {
      turn = advanceConversation(stored.state, input, deps);
    }

    const { state, outputs } = await this.#runEffects(turn, deps, channel, channelUserId);
    // What someone pasted to check is not a report: the web chat's transcript does not keep it either.
    const said = stored && isAskingForCheck(stored.state) ? undefined : options.said;
    // A later file of a group sent at once is taken in silently: its first file was answered.
    const quiet = options.mediaGroupId !== undefined && (stored?.mediaGroups ?? []).includes(options.mediaGroupId);
    const shown = quiet ? [] : [...preface, ...outputs];
    const mediaGroups =
      options.mediaGroupId !== undefined && !quiet
        ? [...(stored?.mediaGroups ?? []), options.mediaGroupId].slice(-maxMediaGroups)
        : stored?.mediaGroups;
    // The person's own message, so that /hide removes it too.
    const incoming = options.context?.incomingMessageId;
    const shownMessageIds = [...(stored?.shownMessageIds ?? []), ...(incoming ? [incoming] : [])].slice(
      -maxShownMessages,
    );
    // "Everything you told us is deleted" is true of the web chat's transcript too: it starts again from here.
    const draftDeleted = shown.some((output) => output.type === 'draft_deleted');
    const transcript =
      port.delivery === 'transcript'
        ? [
            ...(draftDeleted ? [] : (stored?.transcript ?? [])),
            ...(said && !draftDeleted ? [{ from: 'reporter' as const, text: said }] : []),
            ...port.transcriptLines(shown, state.language),
          ].slice(-maxTranscript)
        : stored?.transcript;
    const messages = port.delivery === 'outbox' ? port.render(shown, state.language, options.context ?? {}) : [];
    const saved = await conversations.save(channel, channelUserId, {
      state: {
        state,
        shownMessageIds,
        ...(transcript ? { transcript } : {}),
        ...(mediaGroups ? { mediaGroups } : {}),
      } satisfies StoredState,
      expectedVersion: existing?.version,
      ...(existing ? { existingId: existing.id } : {}),
      ...(options.updateKey !== undefined ? { updateKey: options.updateKey } : {}),
      ...(state.submitted ? { reportId: (await this.#reportIdOf(state)) ?? null } : {}),
      status: 'active',
      ...(messages.length > 0
        ? {
            alsoInTransaction: async (trx, conversationId) => {
              await this.#deps.outbox.enqueue(trx, { conversationId, channel, messages });
            },
          }
        : {}),
    });
    if (!saved) return { outputs: [], language: state.language, processed: false };
    if (messages.length > 0) this.#deps.afterCommit?.();
    return { outputs: shown, language: state.language, processed: true };
  }

  /**
   * A group or room: told once, in the language its first sender's app uses, that reporting happens in a
   * private chat. Its row holds a finished conversation, so nothing said there ever becomes a report.
   */
  async #noticeToGroup(
    port: ChatChannel,
    groupId: string,
    alreadyTold: boolean,
    options: HandleOptions,
  ): Promise<RunResult> {
    const { state } = startConversation({ channel: port.channel, languageHint: options.languageHint ?? null });
    if (alreadyTold || port.delivery !== 'outbox') return { outputs: [], language: state.language, processed: false };
    const outputs: ConversationOutput[] = [{ type: 'text', key: 'groupPrivateOnly' }];
    const messages = port.render(outputs, state.language, options.context ?? {});
    const saved = await this.#deps.conversations.save(port.channel, groupId, {
      state: { state: { ...state, mode: 'finished' }, shownMessageIds: [] } satisfies StoredState,
      expectedVersion: undefined,
      ...(options.updateKey !== undefined ? { updateKey: options.updateKey } : {}),
      status: 'active',
      alsoInTransaction: async (trx, conversationId) => {
        await this.#deps.outbox.enqueue(trx, { conversationId, channel: port.channel, messages });
      },
    });
    if (!saved) return { outputs: [], language: state.language, processed: false };
    this.#deps.afterCommit?.();
    return { outputs, language: state.language, processed: true };
  }

  async #reportIdOf(state: ConversationState): Promise<string | undefined> {
    if (!state.submitted) return undefined;
    return this.#deps.reports.verifyReceipt(state.submitted.reference, state.submitted.receiptCode);
  }

  /** Carries out every effect of a turn, feeding results back, until the engine asks for nothing more. */
  async #runEffects(turn: Turn, deps: ConversationDeps, channel: Channel, channelUserId: string): Promise<Turn> {
    let { state } = turn;
    const shown: ConversationOutput[] = [];
    let pending = turn.outputs;
    for (let round = 0; ; round += 1) {
      const effects = pending.filter(
        (output): output is Extract<ConversationOutput, { type: 'effect' }> => output.type === 'effect',
      );
      shown.push(...pending.filter((output) => output.type !== 'effect'));
      if (effects.length === 0) return { state, outputs: shown };
      if (round >= maxEffectRounds)
        throw new ConversationEffectLoopError(
          `the engine still asked for ${effects.map(({ effect }) => effect.kind).join(', ')} after ${maxEffectRounds} rounds`,
        );
      pending = [];
      for (const [index, { effect }] of effects.entries()) {
        // The update that caused it and its place in the turn: the same update handled again (a redelivery, a
        // crash before the commit) asks with the same key, so an addition is stored once.
        const effectKey =
          deps.updateKey === undefined ? undefined : `${deps.conversationId}:${deps.updateKey}:${round}:${index}`;
        const result = await this.#perform(effect, state, channel, effectKey, channelUserId);
        if (!result) continue;
        const next = advanceConversation(state, result, deps);
        state = next.state;
        pending.push(...next.outputs);
      }
    }
  }

  async #perform(
    effect: ConversationEffect,
    state: ConversationState,
    channel: Channel,
    effectKey: string | undefined,
    channelUserId: string,
  ): Promise<ConversationInput | undefined> {
    const { reports, followups } = this.#deps;
    switch (effect.kind) {
      case 'check_indicators': {
        const checkChannel = checkChannelOf(channel);
        if (!this.#deps.check || !checkChannel) return { type: 'check_result', answer: { kind: 'unavailable' } };
        // The asker's key is the channel's user id: the check only hashes it for its rate limit, never stores it.
        const answer = await this.#deps.check({
          text: effect.text,
          channel: checkChannel,
          askerKey: `${channel}:${channelUserId}`,
          ...(effect.countryHint ? { countryHint: effect.countryHint } : {}),
        });
        return {
          type: 'check_result',
          answer,
          ...(this.#deps.checkDisputeUrl ? { disputeUrl: this.#deps.checkDisputeUrl } : {}),
        };
      }
      case 'submit_report': {
        let result;
        try {
          // A conversation saved before evidence lost its path carries only the record's own fields on.
          const content = { ...effect.content, evidence: (effect.content.evidence ?? []).map(evidenceRecord) };
          result = await reports.submitReport(content, {
            actor: `channel:${channel}`,
            idempotency: { scope: 'conversation', key: effect.submissionKey },
          });
        } catch (error) {
          if (error instanceof ReportValidationError) {
            throw new Error(
              `a conversation produced an invalid report: ${error.issues.map((issue) => issue.path).join(', ')}`,
              { cause: error },
            );
          }
          throw error;
        }
        const routingLines = await this.#deps.describeRoutingToReporter(result.reportId, state.language);
        return { type: 'report_submitted', reference: result.reference, receiptCode: result.receiptCode, routingLines };
      }
      case 'lookup_status': {
        const reportId = await reports.verifyReceipt(effect.reference, effect.receiptCode);
        if (!reportId) return { type: 'status_result', found: false };
        const status = await followups.getStatus(reportId);
        const messages = await followups.listMessagesForReporter(reportId);
        return {
          type: 'status_result',
          found: true,
          statusKey: `status.${status?.status ?? 'new'}`,
          staffMessages: messages.map((message) => message.body),
        };
      }
      case 'amend_report': {
        const reportId = await reports.verifyReceipt(effect.reference, effect.receiptCode);
        if (!reportId) return { type: 'amendment_result', ok: false };
        const changes = effect.changes.evidence
          ? { ...effect.changes, evidence: effect.changes.evidence.map(evidenceRecord) }
          : effect.changes;
        try {
          await this.#deps.amendReport({
            reportId,
            changes,
            actor: `channel:${channel}`,
            channel,
            idempotency: { scope: 'conversation-amend', key: effect.key },
          });
        } catch (error) {
          // An answer the stored report cannot take (a list at its limit) stays in the draft; the turn goes on,
          // rather than failing on every redelivery and leaving the person without an answer.
          if (error instanceof ReportValidationError || error instanceof AmendmentError)
            return { type: 'amendment_result', ok: false };
          throw error;
        }
        return { type: 'amendment_result', ok: true };
      }
      case 'describe_routing': {
        const reportId = await reports.verifyReceipt(effect.reference, effect.receiptCode);
        const routingLines = reportId ? await this.#deps.describeRoutingToReporter(reportId, state.language) : [];
        return { type: 'routing_described', routingLines };
      }
      case 'withdraw_report': {
        const reportId = await reports.verifyReceipt(effect.reference, effect.receiptCode);
        if (!reportId) return { type: 'withdraw_result', found: false, withdrawn: false, alreadyWithdrawn: false };
        const outcome = await this.#deps.withdrawReport({
          reportId,
          actor: `channel:${channel}`,
          channel,
          idempotency: { scope: 'conversation-withdraw', key: effect.key },
        });
        return { type: 'withdraw_result', found: true, ...outcome };
      }
      case 'request_correction': {
        const reportId = await reports.verifyReceipt(effect.reference, effect.receiptCode);
        if (!reportId) return undefined;
        await this.#deps.requestCorrection({
          reportId,
          removals: effect.removals,
          actor: `channel:${channel}`,
          channel,
          idempotency: { scope: 'conversation-correction', key: effect.key },
        });
        // The person was already told staff will correct it; nothing more to say.
        return undefined;
      }
      case 'add_to_report': {
        const reportId = await reports.verifyReceipt(effect.reference, effect.receiptCode);
        if (!reportId) return { type: 'addition_result', ok: false };
        await followups.addToReport(reportId, {
          ...(effect.text ? { text: effect.text } : {}),
          evidence: effect.file ? [evidenceRecord(effect.file)] : [],
          channel,
          actor: `channel:${channel}`,
          ...(effectKey ? { idempotency: { scope: 'conversation-addition', key: effectKey } } : {}),
        });
        if (effect.contactBack !== undefined)
          await reports.setContactConsent(reportId, effect.contactBack, `channel:${channel}`);
        return { type: 'addition_result', ok: true };
      }
    }
  }

  /** Remembers messages a channel showed this person, so /hide can remove them. */
  async recordShownMessages(channel: Channel, channelUserId: string, messageIds: string[]): Promise<void> {
    if (messageIds.length === 0) return;
    await this.#updateStored(channel, channelUserId, (stored) => ({
      ...stored,
      shownMessageIds: [...stored.shownMessageIds, ...messageIds].slice(-maxShownMessages),
    }));
  }

  /** The messages to remove for /hide; they are forgotten once handed out. */
  async takeShownMessages(channel: Channel, channelUserId: string): Promise<string[]> {
    let taken: string[] = [];
    await this.#updateStored(channel, channelUserId, (stored) => {
      taken = stored.shownMessageIds;
      return { ...stored, shownMessageIds: [] };
    });
    return taken;
  }

  async transcript(
    channel: Channel,
    channelUserId: string,
  ): Promise<{ entries: TranscriptEntry[]; language: ConversationState['language'] } | undefined> {
    const existing = await this.#deps.conversations.load(channel, channelUserId);
    const stored = existing ? readStored(existing.state) : undefined;
    return stored ? { entries: stored.transcript ?? [], language: stored.state.language } : undefined;
  }

  /**
   * What a conversation would open with, without storing anything: a page
   * can show it to a visitor before they have said a word, so merely opening
   * the chat creates no record.
   */
  preview(channel: Channel, languageHint: string | null): RunResult {
    const turn = startConversation({ channel, languageHint });
    return { outputs: turn.outputs, language: turn.state.language, processed: false };
  }

  /** Whether this person has talked to us on this channel before. */
  async hasConversation(channel: Channel, channelUserId: string): Promise<boolean> {
    return (await this.#deps.conversations.load(channel, channelUserId)) !== undefined;
  }

  async markStopped(channel: Channel, channelUserId: string): Promise<void> {
    await this.#deps.conversations.markStopped(channel, channelUserId);
  }

  async #updateStored(
    channel: Channel,
    channelUserId: string,
    change: (stored: StoredState) => StoredState,
  ): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      const existing = await this.#deps.conversations.load(channel, channelUserId);
      const stored = existing ? readStored(existing.state) : undefined;
      if (!existing || !stored) return;
      try {
        await this.#deps.conversations.save(channel, channelUserId, {
          state: change(stored),
          expectedVersion: existing.version,
          existingId: existing.id,
        });
        return;
      } catch (error) {
        if (!(error instanceof ConversationConflictError)) throw error;
        if (attempt >= maxConflictRetries)
          throw new ConversationConflictRetriesExhaustedError(
            `the conversation kept changing during ${maxConflictRetries + 1} tries`,
            { cause: error },
          );
      }
    }
  }
}
