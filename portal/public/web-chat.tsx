import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { i18n } from 'i18next';
import type { Clock } from '../../intake/clock.js';
import type { EvidenceSettings } from '../../intake/conversation/evidence-input.js';
import type { ConversationRunner, TranscriptEntry } from '../../intake/conversation/conversation-runner.js';
import { cleanTypedText } from '../../intake/report/clean-text.js';
import { clientAddress } from './client-address.js';
import { readFormWithEvidence, wasChosen } from '../http/evidence-uploads.js';
import { formLimits, maxChatMessageLength } from '../http/form-limits.js';
import { isHttpsRequest } from '../http/https-request.js';
import { fieldText, FormBodyError } from '../http/read-form.js';
import {
  conversationCommands,
  type ConversationCommand,
  type ConversationInput,
} from '../../intake/conversation/conversation-types.js';
import type { FieldCipher } from '../../intake/crypto/field-cipher.js';
import type { BrowserVisit } from '../../intake/visits/end-browser-visit.js';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import { linkedLanguage, visitorLanguage } from '../http/request-language.js';
import { formToken, formTokenMatches } from './form-token.js';
import { htmlDocument } from '../page-frame.js';
import { PublicPage } from './public-page.js';
import { publicPageHeaders } from './public-security.js';
import { RateLimiter } from './rate-limiter.js';
import type { RateLimits } from '../../intake/limits/rate-limits.js';
import { choicePosted, createWebChatChannel } from './web-chat-channel.js';
import { disguiseOf } from './disguise.js';
import { Isolated } from './bidi-isolate.js';
import { textDirection } from '../page-frame.js';

export interface WebChatDependencies {
  runner: ConversationRunner;
  cipher: FieldCipher;
  i18n: i18n;
  evidence: EvidenceSettings;
  /** New conversations one client may start in an hour. */
  newChatsPerClientPerHour?: number;
  /** Count a client by the address a reverse proxy reports (REPORTLINE_TRUST_PROXY). */
  trustProxy?: boolean;
  now?: Clock;
  /** The deployment's shared rate limits (PostgreSQL, Redis or memory); without them each limiter counts alone. */
  limits?: RateLimits | undefined;
  /**
   * The intake's endBrowserVisit, bound to its stores: hiding the chat ends it on the server as the quick exit
   * does (its transcript deleted; a report it sent stays sent), so a copy of the cookie opens nothing.
   */
  endVisit?: (visit: BrowserVisit) => Promise<unknown>;
  /** A failure to end the chat on the server: the page is still cleared (logged with a stable code). */
  onEndVisitFailure?: (error: unknown) => void;
}

/** A session cookie (no expiry: it ends with the browser), unreadable by scripts. */
export const webChatCookie = 'rl_chat';
const sessionCookie = webChatCookie;
const sessionPattern = /^[A-Za-z0-9_-]{32}$/;

/** The web chat session a cookie's value names, if it has a session's shape (the quick exit ends it). */
export function webChatSessionOf(value: string | undefined): string | undefined {
  return value && sessionPattern.test(value) ? value : undefined;
}
/** Buttons the page always offers, for the commands people use most in a chat, and hiding it. */
const pageCommands: ConversationCommand[] = ['back', 'skip', 'status', 'check', 'help', 'hide'];

/** A command typed as in the bots (`/status`), so what the help text says works here too. */
function typedCommand(message: string): ConversationCommand | undefined {
  const name = /^\/([a-z]+)$/.exec(message.trim().toLowerCase())?.[1];
  return name && (conversationCommands as readonly string[]).includes(name) ? (name as ConversationCommand) : undefined;
}

/** A `?lang=` link wins over the chat's own language, which wins over the one remembered or the browser's. */
function pageLanguage(c: Context, fallback?: LanguageCode): LanguageCode {
  return linkedLanguage(c) ?? fallback ?? visitorLanguage(c);
}

/**
 * The web chat: the same conversation as the bots, for people who prefer a
 * browser. Every answer is an ordinary form post (post, then redirect), so it
 * works without JavaScript; the conversation lives on the server under a
 * session id the browser keeps only until it closes.
 */
export function createWebChat(dependencies: WebChatDependencies) {
  const { runner, cipher, i18n } = dependencies;
  const channel = createWebChatChannel(i18n);
  const app = new Hono();
  // A person in danger must still be able to write: with the shared store down these admit (and it is logged).
  const clock = {
    ...(dependencies.now ? { now: dependencies.now } : {}),
    limits: dependencies.limits,
    whenStoreDown: 'admit',
  } as const;
  const limiter = new RateLimiter({ limit: 30, windowMs: 60_000, name: 'chat.messages-per-session', ...clock });
  const newChatsPerClient = new RateLimiter({
    limit: dependencies.newChatsPerClientPerHour ?? 30,
    windowMs: 60 * 60_000,
    name: 'chat.new-chats-per-client',
    ...clock,
  });

  app.use('/chat', ...publicPageHeaders);

  function sessionOf(c: Context): string | undefined {
    return webChatSessionOf(getCookie(c, sessionCookie));
  }

  async function render(
    c: Context,
    sessionId: string,
    error?: { key: string; params?: Record<string, string> },
    typed = '',
    status: 200 | 400 | 429 = 400,
  ) {
    const stored = await runner.transcript('webchat', sessionId);
    const language = pageLanguage(c, stored?.language);
    const t = i18n.getFixedT(language, 'portal');
    // Before the first answer nothing is stored: the opening is shown from the engine alone.
    const opening = runner.preview('webchat', language);
    const entries: TranscriptEntry[] = stored?.entries ?? channel.transcriptLines(opening.outputs, opening.language);
    const notice = !error && c.req.query('notice') === 'cleaned' ? 'errors.textCleaned' : undefined;
    const buttons = [...entries].reverse().find((entry) => entry.from === 'reportline')?.buttons ?? [];
    const token = formToken(cipher, sessionId);
    const direction = textDirection(language);
    const page = (
      <PublicPage t={t} language={language} disguise={disguiseOf(c)}>
        <h1>{t('chat.heading')}</h1>
        <p class="hint">{t('chat.privacy')}</p>
        <ol class="transcript" aria-live="polite">
          {entries.map((entry) => (
            <li class={entry.from}>
              <span class="who">{entry.from === 'reporter' ? t('chat.you') : t('chat.reportline')}</span>
              <Isolated text={entry.text} direction={direction} />
            </li>
          ))}
        </ol>
        {error ? (
          <p class="error" role="alert">
            {t(error.key, error.params)}
          </p>
        ) : null}
        {notice ? (
          <p class="hint" role="status">
            {t(notice)}
          </p>
        ) : null}
        <form method="post" action="/chat" enctype="multipart/form-data" autocomplete="off">
          <input type="hidden" name="token" value={token} />
          {buttons.length > 0 ? (
            <div class="choices">
              {buttons.map((button) => (
                <button type="submit" name="choice" value={button.value}>
                  {button.label}
                </button>
              ))}
            </div>
          ) : null}
          <label for="message">{t('chat.write')}</label>
          <textarea id="message" name="message" rows={4} maxlength={maxChatMessageLength}>
            {typed}
          </textarea>
          <label for="file">{t('chat.attach')}</label>
          <input id="file" type="file" name="file" accept="image/*,application/pdf,video/*" />
          <p>
            <button type="submit" class="primary">
              {t('chat.send')}
            </button>
          </p>
          <div class="commands">
            {pageCommands.map((command) => (
              <button type="submit" name="command" value={command} class={command === 'hide' ? 'hide' : undefined}>
                {t(`chat.commands.${command}`)}
              </button>
            ))}
          </div>
          <p class="hint">{t('chat.hideHint')}</p>
        </form>
      </PublicPage>
    );
    return c.html(htmlDocument(page), error ? status : 200);
  }

  // Opening the chat stores nothing: the session is a cookie until the visitor first answers.
  app.get('/chat', async (c) => {
    let sessionId = sessionOf(c);
    if (!sessionId) {
      sessionId = randomBytes(24).toString('base64url');
      setCookie(c, sessionCookie, sessionId, {
        httpOnly: true,
        sameSite: 'Strict',
        // Sent to every page (path /), so the quick exit at `/leave` can end the chat on the server.
        path: '/',
        secure: isHttpsRequest(c),
      });
    }
    return render(c, sessionId);
  });

  /** Runs one input through the conversation; both sides go into the transcript with the turn itself. */
  async function converse(
    sessionId: string,
    input: ConversationInput,
    languageHint: LanguageCode,
    said: string | undefined,
  ): Promise<void> {
    await runner.handle(channel, sessionId, input, { languageHint, ...(said ? { said } : {}) });
  }

  /**
   * Hiding the chat: it ends on the server (the conversation and its
   * transcript are deleted, or, if it sent a report, stopped with the
   * transcript deleted), this browser forgets it (its session cookie
   * expires, the browser is asked to drop its copies) and the page starts
   * empty. What was sent stays sent: the report is kept, and its number and
   * receipt code open it on the status page. A failure on the server is
   * logged and the page is still cleared: whoever is watching comes first.
   */
  async function hide(c: Context, sessionId: string) {
    if (dependencies.endVisit)
      await dependencies.endVisit({ webChatSession: sessionId }).catch((error: unknown) => {
        dependencies.onEndVisitFailure?.(error);
      });
    deleteCookie(c, sessionCookie, { path: '/', secure: isHttpsRequest(c) });
    // One set before the cookie moved to path / (it was scoped to /chat).
    deleteCookie(c, sessionCookie, { path: '/chat', secure: isHttpsRequest(c) });
    c.header('Clear-Site-Data', '"cache"');
    return c.redirect('/chat', 303);
  }

  app.post('/chat', async (c) => {
    const sessionId = sessionOf(c);
    if (!sessionId) return c.redirect('/chat', 303);
    let read;
    try {
      read = await readFormWithEvidence(c, {
        limits: formLimits.message(dependencies.evidence.limits.maxBytes),
        evidence: dependencies.evidence,
        tokenMatches: (token) => formTokenMatches(cipher, sessionId, token),
      });
    } catch (error) {
      if (!(error instanceof FormBodyError)) throw error;
      const key =
        error.problem === 'too_large'
          ? 'chat.fileTooLarge'
          : error.problem === 'token'
            ? 'errors.formExpired'
            : 'errors.formUnreadable';
      return render(
        c,
        sessionId,
        { key, params: { max: String(Math.round(dependencies.evidence.limits.maxBytes / (1024 * 1024))) } },
        '',
        400,
      );
    }
    const form = read.fields;
    const typed = fieldText(form, 'message') ?? '';
    // A refused post shows the page again with what was typed still in the box.
    if (!formTokenMatches(cipher, sessionId, fieldText(form, 'token')))
      return render(c, sessionId, { key: 'errors.formExpired' }, typed);
    if (typed.length > maxChatMessageLength) {
      return render(
        c,
        sessionId,
        { key: 'errors.messageTooLong', params: { max: String(maxChatMessageLength) } },
        typed.slice(0, maxChatMessageLength),
      );
    }
    if (!(await limiter.allow(sessionId))) return render(c, sessionId, { key: 'errors.tooManyRequests' }, typed, 429);
    if (fieldText(form, 'command') === 'hide' || typedCommand(typed) === 'hide') return hide(c, sessionId);
    const stored = await runner.transcript('webchat', sessionId);
    if (!stored) {
      // The first answer starts the stored conversation; a client may start only so many.
      if (!(await newChatsPerClient.allow(clientAddress(c, dependencies.trustProxy ?? false))))
        return render(c, sessionId, { key: 'errors.tooManyRequests' }, typed, 429);
      await converse(sessionId, { type: 'command', command: 'start' }, pageLanguage(c), undefined);
    }
    const language = stored?.language ?? (await runner.transcript('webchat', sessionId))?.language ?? pageLanguage(c);
    const t = i18n.getFixedT(language, 'portal');

    const commandField = fieldText(form, 'command');
    const message = cleanTypedText(typed).trim();
    const command =
      commandField && (conversationCommands as readonly string[]).includes(commandField)
        ? (commandField as ConversationCommand)
        : typedCommand(message);
    const choice = fieldText(form, 'choice');
    const cleaned = message !== typed.trim();
    const file = read.files.find((upload) => wasChosen(upload.result));

    if (command) {
      await converse(sessionId, { type: 'command', command }, language, t(`chat.commands.${command}`));
    } else if (choice !== undefined) {
      const label = (await runner.transcript('webchat', sessionId))?.entries
        .flatMap((entry) => entry.buttons ?? [])
        .reverse()
        .find((button) => button.value === choice)?.label;
      await converse(sessionId, { type: 'choice', ...choicePosted(choice) }, language, label ?? choice);
    } else {
      if (message) await converse(sessionId, { type: 'text', text: message }, language, message);
      if (file) {
        const input: ConversationInput =
          'refused' in file.result
            ? {
                type: 'file_rejected',
                reason: file.result.refused === 'evidence.too_large' ? 'too_large' : 'type_not_allowed',
              }
            : { type: 'file', file: file.result.stored };
        await converse(sessionId, input, language, `📎 ${cleanTypedText(file.fileName)}`);
      }
      if (!message && !file) return render(c, sessionId, { key: 'errors.emptyMessage' });
    }
    return c.redirect(cleaned ? '/chat?notice=cleaned' : '/chat', 303);
  });

  return app;
}
