// Login and reviewer-entry helpers. GitHub logins are case-insensitive, so every comparison goes
// through loginKey(); the spelling people see is kept separately.

/** The comparison key of a login or team slug: lower case, without a leading "@". */
export function loginKey(login: string): string {
  return login.trim().replace(/^@/, '').toLowerCase();
}

/** A reviewer entry as written in config, without a leading "@" (for display and requests). */
export function displayLogin(login: string): string {
  return login.trim().replace(/^@/, '');
}

/** GitHub App accounts are named "<app>[bot]"; the REST API also flags them with type "Bot". */
export function isBotLogin(login: string): boolean {
  return /\[bot\]$/i.test(login.trim());
}

/**
 * The one bot rule for an account as GitHub sends it (REST or webhook payload): flagged with type
 * "Bot", or named like one. A deleted account (null) is no bot.
 */
export function isBotAccount(user: { type?: string; login?: string } | null | undefined): boolean {
  return user?.type === 'Bot' || isBotLogin(user?.login ?? '');
}

/** "acme/ops" entries are teams; anything else is a user login. */
export function isTeamEntry(entry: string): boolean {
  return entry.includes('/');
}

/** Splits "acme/ops" into its org and bare team slug. */
export function splitTeam(entry: string): { org: string; slug: string } {
  const clean = displayLogin(entry);
  const at = clean.indexOf('/');
  return { org: clean.slice(0, at), slug: clean.slice(at + 1) };
}
