// Paths from the configuration as the remote shell should see them.
/**
 * Absolute paths stay; "~/x" and "x" are relative to the login home (the scripts cd there
 * first) and get a "./" so that no path can start with "-" and be read as an option.
 */
export function remotePath(path: string): string {
  if (path.startsWith('/')) return path;
  const relative = path.replace(/^~(\/|$)/, '');
  return relative === '' ? '.' : `./${relative}`;
}

/** "0750" / "750" / "2750" -> "750" / "750" / "2750", as `stat -c %a` prints; undefined if invalid. */
export function normaliseMode(mode: string | undefined): string | undefined {
  if (mode === undefined || !/^0?[0-7]{3,4}$/.test(mode)) return undefined;
  return parseInt(mode, 8).toString(8);
}
