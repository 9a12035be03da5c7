// Text for the job log that the GitHub runner can never read as a workflow command. The runner
// splits what a step prints at \n, \r and \r\n, and reads a line as `::name …::data` when it
// starts (after whitespace) with `::`, or as the older `##[name …]data` wherever `##[` appears.
// A value with a line break in it (a request file's name, a server's output) could otherwise
// forge an annotation, add a mask, close a group or stop command processing.

const LINE_BREAK = /\r\n|\r|\n/;
/** The runner trims with .NET's String.Trim(), which also removes U+0085 (NEXT LINE). */
const COMMAND_START = /^[\s\u0085]*::/;
const LEGACY_COMMAND = /##\[/g;

/** One physical line, made inert: `> ` before a would-be `::` command, `##[` written `## [`. */
function guardLine(line: string): string {
  const text = line.replace(LEGACY_COMMAND, '## [');
  return COMMAND_START.test(text) ? `> ${text}` : text;
}

/** The text as log lines (joined by \n) of which none is a workflow command; otherwise unchanged. */
export function logSafe(text: string): string {
  return text.split(LINE_BREAK).map(guardLine).join('\n');
}
