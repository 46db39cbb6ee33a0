/**
 * Runs of left-to-right text inside a right-to-left sentence: an English agency
 * name with its brackets ("Royal Thai Police (RTP)"), a command (`/status`), a
 * report number, a phone number or an amount. Each starts and ends with a
 * letter, a digit, a closing bracket or the command's slash, so the sentence's
 * own punctuation stays outside.
 */
const leftToRightRun = /[/+#@]?[A-Za-z0-9][A-Za-z0-9 /+#@&.,:'()_-]*[A-Za-z0-9)]|[/+#@]?[A-Za-z0-9]/g;

/** A text split into its plain parts and its left-to-right runs (see `leftToRightRun`). */
export function leftToRightRuns(text: string): Array<{ text: string; isolate: boolean }> {
  const parts: Array<{ text: string; isolate: boolean }> = [];
  let at = 0;
  for (const match of text.matchAll(leftToRightRun)) {
    let run = match[0];
    // A closing bracket belongs to the run only when the run opened it: "(/status)" keeps both outside.
    while (run.endsWith(')') && run.split('(').length < run.split(')').length) run = run.slice(0, -1).trimEnd();
    if (!run) continue;
    if (match.index > at) parts.push({ text: text.slice(at, match.index), isolate: false });
    parts.push({ text: run, isolate: true });
    at = match.index + run.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), isolate: false });
  return parts;
}

/**
 * A text we compose from translations and inserted values (a chat line, a
 * routing sentence, a staff message). On a right-to-left page every run of
 * left-to-right text is isolated in `<bdi>`, so the browser's bidi algorithm
 * cannot move its brackets or its full stop to the other end; on a
 * left-to-right page the text is as it is.
 */
export function Isolated(props: { text: string; direction: 'ltr' | 'rtl' }) {
  if (props.direction === 'ltr') return <>{props.text}</>;
  return <>{leftToRightRuns(props.text).map((part) => (part.isolate ? <bdi>{part.text}</bdi> : part.text))}</>;
}
