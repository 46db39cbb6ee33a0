import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import type { i18n } from 'i18next';
import { renderOutputs } from '../../intake/conversation/chat-messages.js';
import { evidenceInput, type EvidenceSettings } from '../../intake/conversation/evidence-input.js';
import type { ConversationRunner, TranscriptEntry } from '../../intake/conversation/conversation-runner.js';
import { conversationCommands, type ConversationCommand, type ConversationInput } from '../../intake/conversation/conversation-types.js';
import type { FieldCipher } from '../../intake/crypto/field-cipher.js';
import { matchLanguage, type LanguageCode } from '../../intake/i18n/languages.js';
import { languageFromAcceptLanguage } from '../http/request-language.js';
import { formToken, formTokenMatches } from './form-token.js';
import { PublicPage } from './public-page.js';
import { publicPageHeaders } from './public-security.js';
import { RateLimiter } from './rate-limiter.js';

export interface WebChatDependencies {
  runner: ConversationRunner;
  cipher: FieldCipher;
  i18n: i18n;
  evidence: EvidenceSettings;
  now?: () => number;
}

/** A session cookie (no expiry: it ends with the browser), unreadable by scripts. */
const sessionCookie = 'rl_chat';
const sessionPattern = /^[A-Za-z0-9_-]{32}$/;
/** Buttons the page always offers, for the commands people use most in a chat. */
const pageCommands: ConversationCommand[] = ['back', 'skip', 'status', 'help'];

function pageLanguage(c: Context, fallback?: LanguageCode): LanguageCode {
  return matchLanguage(c.req.query('lang')) ?? fallback ?? languageFromAcceptLanguage(c.req.header('accept-language'));
}

/**
 * The web chat: the same conversation as the bots, for people who prefer a
 * browser. Every answer is an ordinary form post (post, then redirect), so it
 * works without JavaScript; the conversation lives on the server under a
 * session id the browser keeps only until it closes.
 */
export function createWebChat(dependencies: WebChatDependencies) {
  const { runner, cipher, i18n } = dependencies;
  const app = new Hono();
  const limiter = new RateLimiter({ limit: 30, windowMs: 60_000, ...(dependencies.now ? { now: dependencies.now } : {}) });

  app.use('/chat', ...publicPageHeaders);

  function sessionOf(c: Context): string | undefined {
    const id = getCookie(c, sessionCookie);
    return id && sessionPattern.test(id) ? id : undefined;
  }

  async function render(c: Context, sessionId: string, error?: string, typed = '') {
    const stored = await runner.transcript('webchat', sessionId);
    const language = pageLanguage(c, stored?.language);
    const t = i18n.getFixedT(language, 'portal');
    const entries: TranscriptEntry[] = stored?.entries ?? [];
    const buttons = [...entries].reverse().find((entry) => entry.from === 'reportline')?.buttons ?? [];
    const token = formToken(cipher, sessionId);
    const page = (
      <PublicPage t={t} language={language} title={t('chat.heading')}>
        <h1>{t('chat.heading')}</h1>
        <p class="hint">{t('chat.privacy')}</p>
        <ol class="transcript" aria-live="polite">
          {entries.map((entry) => (
            <li class={entry.from}>
              <span class="who">{entry.from === 'reporter' ? t('chat.you') : t('chat.reportline')}</span>
              {entry.text}
            </li>
          ))}
        </ol>
        {error ? (
          <p class="error" role="alert">
            {t(error)}
          </p>
        ) : null}
        <form method="post" action="/chat" enctype="multipart/form-data">
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
          <textarea id="message" name="message" rows={4} maxlength={20000}>
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
              <button type="submit" name="command" value={command}>
                {t(`chat.commands.${command}`)}
              </button>
            ))}
          </div>
        </form>
      </PublicPage>
    );
    return c.html(`<!doctype html>${page.toString()}`, error ? 400 : 200);
  }

  app.get('/chat', async (c) => {
    let sessionId = sessionOf(c);
    if (!sessionId || !(await runner.transcript('webchat', sessionId))) {
      sessionId = randomBytes(24).toString('base64url');
      setCookie(c, sessionCookie, sessionId, { httpOnly: true, sameSite: 'Strict', path: '/chat', secure: c.req.url.startsWith('https:') });
      const language = pageLanguage(c);
      await converse(sessionId, { type: 'command', command: 'start' }, language, undefined);
    }
    return render(c, sessionId);
  });

  /** Runs one input through the conversation and keeps both sides in the transcript. */
  async function converse(sessionId: string, input: ConversationInput, languageHint: LanguageCode, said: string | undefined): Promise<void> {
    const result = await runner.handle('webchat', sessionId, input, { languageHint });
    const t = i18n.getFixedT(result.language, 'conversation');
    const shown: TranscriptEntry[] = renderOutputs(result.outputs, t)
      .filter((message) => message.kind !== 'hide')
      .map((message) =>
        message.kind === 'location_request'
          ? { from: 'reportline' as const, text: message.text }
          : { from: 'reportline' as const, text: message.kind === 'text' ? message.text : '', ...(message.kind === 'text' && message.buttons ? { buttons: message.buttons } : {}) },
      );
    await runner.appendTranscript('webchat', sessionId, [...(said ? [{ from: 'reporter' as const, text: said }] : []), ...shown]);
  }

  app.post(
    '/chat',
    bodyLimit({ maxSize: dependencies.evidence.limits.maxBytes + 64 * 1024, onError: (c) => c.text('Too large', 413) }),
    async (c) => {
      const sessionId = sessionOf(c);
      if (!sessionId || !(await runner.transcript('webchat', sessionId))) return c.redirect('/chat', 303);
      const form = await c.req.parseBody();
      const typed = typeof form.message === 'string' ? form.message : '';
      // A refused post shows the page again with what was typed still in the box.
      if (!formTokenMatches(cipher, sessionId, typeof form.token === 'string' ? form.token : undefined)) {
        return render(c, sessionId, 'errors.formExpired', typed);
      }
      if (!limiter.allow(sessionId)) return render(c, sessionId, 'errors.tooManyRequests', typed);
      const language = (await runner.transcript('webchat', sessionId))?.language ?? pageLanguage(c);
      const t = i18n.getFixedT(language, 'portal');

      const command = typeof form.command === 'string' && (conversationCommands as readonly string[]).includes(form.command) ? (form.command as ConversationCommand) : undefined;
      const choice = typeof form.choice === 'string' ? form.choice : undefined;
      const message = typeof form.message === 'string' ? form.message.trim() : '';
      const file = form.file instanceof File && form.file.size > 0 ? form.file : undefined;

      if (command) {
        await converse(sessionId, { type: 'command', command }, language, t(`chat.commands.${command}`));
      } else if (choice !== undefined) {
        const label = (await runner.transcript('webchat', sessionId))?.entries.flatMap((entry) => entry.buttons ?? []).reverse().find((button) => button.value === choice)?.label;
        await converse(sessionId, { type: 'choice', value: choice }, language, label ?? choice);
      } else {
        if (message) await converse(sessionId, { type: 'text', text: message }, language, message);
        if (file) {
          const input = evidenceInput(dependencies.evidence, new Uint8Array(await file.arrayBuffer()), file.name);
          await converse(sessionId, input, language, `📎 ${file.name}`);
        }
        if (!message && !file) return render(c, sessionId, 'errors.emptyMessage');
      }
      return c.redirect('/chat', 303);
    },
  );

  return app;
}
