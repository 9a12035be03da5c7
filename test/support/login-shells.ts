// Login shells for the tests that prove our commands never depend on the server user's shell.
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
export { FISH_PATH } from './ensure-sshd.js';

/** What the strict shell appends, one line per invocation, to `~/.login-shell-calls`. */
export const LOGIN_SHELL_CALLS = '.login-shell-calls';

/**
 * A login shell that runs exactly `-c 'sh -s'` and refuses anything else (exit 111): a session
 * that works through it proves the login shell was given nothing but that fixed command.
 */
export function strictLoginShell(): string {
  const dir = path.join(os.tmpdir(), 'dr-test-login-shells');
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(dir, 0o755);
  const file = path.join(dir, 'strict-sh');
  // Written aside and renamed: a session of another test file may be running it right now.
  const temp = `${file}.${process.pid}`;
  writeFileSync(
    temp,
    `#!/bin/sh
printf '%s|' "$@" >> "$HOME/${LOGIN_SHELL_CALLS}"; echo >> "$HOME/${LOGIN_SHELL_CALLS}"
if [ "$#" -eq 2 ] && [ "$1" = -c ] && [ "$2" = 'sh -s' ]; then exec sh -s; fi
echo "strict login shell: refused $*" >&2
exit 111
`,
  );
  chmodSync(temp, 0o755);
  renameSync(temp, file);
  return file;
}
