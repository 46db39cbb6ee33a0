/**
 * Every message a page shows through an element marked `data-message="<i18n key>"`,
 * with that element's text (tags removed, entities undone). A test asserts the key,
 * and at most the parts of the text that are not translated copy (a file name, a
 * reference), so a translator rewording a message never breaks it.
 */
export interface PageMessage {
  key: string;
  text: string;
}

const entities: Record<string, string> = { quot: '"', lt: '<', gt: '>', amp: '&' };

function plainText(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&(quot|lt|gt|amp);/g, (_, name: string) => entities[name] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function pageMessages(html: string): PageMessage[] {
  const messages: PageMessage[] = [];
  // The element's own closing tag ends it: the marked elements hold no element of their own name.
  for (const match of html.matchAll(/<([a-z0-9]+)\b[^>]*\bdata-message="([^"]+)"[^>]*>([\s\S]*?)<\/\1>/g)) {
    messages.push({ key: plainText(match[2]!), text: plainText(match[3]!) });
  }
  return messages;
}

/** The keys of the messages a page shows, in page order. */
export function messageKeys(html: string): string[] {
  return pageMessages(html).map((message) => message.key);
}
