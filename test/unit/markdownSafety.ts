/**
 * Checks that text made by the language service from hostile file content stays inert where the
 * editor renders it: markdown (hovers, completion documentation) and plain text (inlay hint
 * labels, code action titles, problem messages). Used by the adversarial suite.
 */

/** Characters that act instead of showing (controls, bidi controls, line/paragraph separators). */
const UNSHOWABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;
/** Stands for a backslash-escaped character: literal, never markup. */
const ESCAPED = '\u25a0';
/** Stands for a code span: its content is shown literally. */
const CODE = '\u25a1';

/**
 * The markdown with code spans and backslash escapes taken out (each replaced by a placeholder),
 * following CommonMark: a backtick run opens a span closed by the next run of the same length;
 * a run without a partner is literal text.
 */
export function activeMarkdown(markdown: string): { outside: string; spans: string[] } {
  let outside = '';
  const spans: string[] = [];
  let i = 0;
  while (i < markdown.length) {
    const c = markdown[i];
    if (c === '\\' && i + 1 < markdown.length && ASCII_PUNCTUATION.test(markdown[i + 1])) {
      outside += ESCAPED;
      i += 2;
      continue;
    }
    if (c !== '`') {
      outside += c;
      i++;
      continue;
    }
    let run = 1;
    while (markdown[i + run] === '`') run++;
    let close = -1;
    for (let j = i + run; j < markdown.length; ) {
      if (markdown[j] !== '`') {
        j++;
        continue;
      }
      let other = 1;
      while (markdown[j + other] === '`') other++;
      if (other === run) {
        close = j;
        break;
      }
      j += other;
    }
    if (close < 0) {
      outside += '`'.repeat(run);
      i += run;
    } else {
      spans.push(markdown.slice(i + run, close));
      outside += CODE;
      i = close + run;
    }
  }
  return { outside, spans };
}

/** Markup a payload could use to act: an image, a link, HTML, an autolink, an entity, a theme icon. */
const ACTIVE_PATTERNS: readonly [RegExp, string][] = [
  [/!\[/, 'image'],
  [/\]\(/, 'inline link'],
  [/\]\[|\]:/, 'reference link'],
  [/</, 'raw HTML or autolink'],
  [/https?:|ftp:|mailto:|javascript:|data:|file:|command:/i, 'URL'],
  [/www\./i, 'www autolink'],
  [/[\w.+-]+@[\w-]+\.\w/, 'e-mail autolink'],
  [/&(#\d+|#x[\da-f]+|[a-z]+);/i, 'HTML entity'],
  [/\$\(/, 'theme icon'],
  [/(\*\*|__|~~)PWN|PWN(\*\*|__|~~)/, 'emphasis around the payload'],
];

/** Problems with markdown that must be inert: empty when it is. `marker` is text every payload contains. */
export function markdownProblems(markdown: string, marker: string): string[] {
  const problems: string[] = [];
  const unshowable = UNSHOWABLE.exec(markdown);
  if (unshowable) problems.push(`raw U+${unshowable[0].charCodeAt(0).toString(16).padStart(4, '0')}`);
  const { outside, spans } = activeMarkdown(markdown);
  for (const [pattern, what] of ACTIVE_PATTERNS) if (pattern.test(outside)) problems.push(`${what} outside code spans: ${excerpt(outside, pattern)}`);
  // A payload's text may only appear in a code span or escaped: never bare with its punctuation.
  if (outside.includes(marker)) {
    const around = new RegExp(`[!-/:-@[-\`{-~]${marker}|${marker}[!-/:-@[-\`{-~]`);
    if (around.test(outside)) problems.push(`payload with unescaped punctuation outside code spans: ${excerpt(outside, around)}`);
  }
  for (const line of outside.split('\n')) if (/^\s*(#|>|\||<|={3,}\s*$)/.test(line) && !/^---$/.test(line)) problems.push(`block markup: ${line.slice(0, 60)}`);
  for (const span of spans) if (span.includes('\n')) problems.push('a code span holds a line break');
  if (markdown.length > 20_000) problems.push(`${markdown.length} characters`);
  return problems;
}

/** Problems with plain text shown by the editor (labels, titles, messages). */
export function plainTextProblems(text: string, maxLength = 1000): string[] {
  const problems: string[] = [];
  const unshowable = UNSHOWABLE.exec(text) ?? /\n/.exec(text);
  if (unshowable) problems.push(`raw U+${unshowable[0].charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (text.length > maxLength) problems.push(`${text.length} characters`);
  return problems;
}

function excerpt(text: string, pattern: RegExp): string {
  const at = text.search(pattern);
  return JSON.stringify(text.slice(Math.max(0, at - 30), at + 40));
}
