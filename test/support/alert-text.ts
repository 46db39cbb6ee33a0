/**
 * The text of a page's `role="alert"` element, with HTML's entities undone,
 * so a test can compare it with `t(key)` of the i18n the portal uses: it then
 * checks which message was shown, not how a translator worded it.
 */
export function alertText(html: string): string | undefined {
  const inner = /<[a-z]+\b[^>]*\brole="alert"[^>]*>([\s\S]*?)<\/[a-z]+>/.exec(html)?.[1];
  if (inner === undefined) return undefined;
  return inner
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}
