import type { IgnoredApproval, IgnoredReason } from './evaluate-approvals.js';
import type { PersonReviews } from './latest-verdicts.js';

export interface IgnoredInput {
  people: ReadonlyMap<string, PersonReviews>;
  /** Head SHA, lower case. */
  head: string;
  authorKey: string;
  allowSelfApproval: boolean;
  /** Counted approvers (login key) -> stage index. */
  assigned: ReadonlyMap<string, number>;
  /** Per stage: who may count for it, and whether it still needs approvals. */
  stages: readonly { name: string; pool: ReadonlySet<string>; open: boolean }[];
}

/**
 * Every APPROVED review that does not count, with the reason, so the comment can explain why
 * an approval someone sees on the PR is not in the tally. Who someone is (bot, author, not a
 * reviewer) explains all their approvals at once; otherwise each kind of miss is listed once.
 */
export function listIgnored(input: IgnoredInput): IgnoredApproval[] {
  const found: { index: number; entry: IgnoredApproval }[] = [];
  for (const person of input.people.values()) {
    const verdict = person.verdict?.state === 'APPROVED' ? person.verdict : null;
    const approvals = [...person.superseded, ...(verdict ? [verdict.index] : [])];
    if (approvals.length === 0) continue;
    const add = (index: number, reason: IgnoredReason, stage?: string): void => {
      found.push({ index, entry: { user: person.display, reason, ...(stage ? { stage } : {}) } });
    };
    const who = identityReason(person, input);
    if (who) {
      add(Math.min(...approvals), who);
      continue;
    }
    if (person.superseded.length > 0) add(person.superseded[0]!, 'superseded');
    if (!verdict) continue;
    if (verdict.commitId.toLowerCase() !== input.head) {
      add(verdict.index, 'stale');
      continue;
    }
    // Counted in one stage: tell the other stages still short of approvals why it is not theirs.
    input.stages.forEach((stage, i) => {
      if (stage.open && i !== input.assigned.get(person.key) && stage.pool.has(person.key)) {
        add(verdict.index, 'already-counted', stage.name);
      }
    });
  }
  return found.sort((a, b) => a.index - b.index).map((item) => item.entry);
}

function identityReason(person: PersonReviews, input: IgnoredInput): IgnoredReason | null {
  if (person.isBot) return 'bot';
  if (person.key === input.authorKey && !input.allowSelfApproval) return 'author';
  if (!input.stages.some((stage) => stage.pool.has(person.key))) return 'not-a-reviewer';
  return null;
}
