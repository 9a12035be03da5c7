// The one way values reach a remote shell (invariant 7): POSIX single quotes, nothing expands.

const NAME = /^[A-Z_][A-Z0-9_]*$/;

/** 'value' with each ' written as '\'' — inert in sh, dash, bash, ksh and zsh. */
export function shellQuote(value: string): string {
  if (typeof value !== 'string') throw new TypeError('shellQuote: value must be a string');
  // A NUL would silently cut the argument short in the remote C world.
  if (value.includes('\0')) throw new Error('shellQuote: value contains a NUL character');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function isVariableName(name: string): boolean {
  return NAME.test(name);
}

/** One `export NAME='value'` line per variable, each ending in a newline. */
export function exportLines(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([name, value]) => {
      if (!isVariableName(name)) {
        throw new Error(
          `invalid variable name ${JSON.stringify(name)}: use A-Z, 0-9 and _, not starting with a digit`,
        );
      }
      return `export ${name}=${shellQuote(value)}\n`;
    })
    .join('');
}
