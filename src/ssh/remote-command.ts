// How a script reaches a server: the SSH command is always `sh -s`, so the login shell (fish,
// csh, zsh, …) parses nothing of ours; the script, then any data, follow on stdin.

/** The only command the login shell ever sees. */
export const REMOTE_COMMAND = 'sh -s';

/** The line a script prints once the shell has read all of it; data on stdin may follow then. */
export const STDIN_READY = '@@stdin-ready';

/**
 * The shell line that prints STDIN_READY. A script that reads stdin may say it where it starts
 * reading (after its own checks, so no byte is sent to a server that refuses); otherwise the
 * frame says it first.
 */
export const ANNOUNCE_STDIN_READY = `printf '%s\\n' '${STDIN_READY}'`;

/**
 * The script as ONE compound command: sh must read to its closing brace before running any of
 * it. dash reads a pipe ahead in blocks, so data sent before the script is running could be
 * taken for script text; the data is sent only after the STDIN_READY line, when sh has read the
 * whole compound command and nothing else was there to read ahead. The `exit` on the closing
 * line keeps sh from ever reading data that its script left unread as more script.
 */
export function frameScript(script: string, announceReady: boolean): string {
  const ready =
    announceReady && !script.includes(ANNOUNCE_STDIN_READY) ? `${ANNOUNCE_STDIN_READY}\n` : '';
  return `{\n${ready}${script}\n}; exit\n`;
}
