// User-controlled text quoted in a message ends up in Markdown (PR comments, annotations): as a
// code span it can neither break the layout nor @mention anyone.

const MAX = 80;

/** `text` as a one-line Markdown code span without backticks, at most 80 characters inside. */
export function codeSpan(text: string): string {
  let inner = text.replace(/[\r\n\t]+/g, ' ').replace(/`/g, "'");
  if (inner.length > MAX) inner = `${inner.slice(0, MAX - 3)}...`;
  return `\`${inner}\``;
}
