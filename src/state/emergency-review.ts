// The follow-up review of an emergency deployment: an issue labelled `break-glass-review`, carrying
// a signed record of the deployment (environment, pull request, when) in a hidden line. Closing
// the issue records the review. Only issues whose record verifies count (invariant 11): the pull
// request's own workflow writes as the same bot, and a forged issue must not block /emergency.
import type { GitHubPort } from '../github/port.js';
import type { EmergencyReview } from '../policy/emergency-policy.js';
import type { TrustedState } from './prompts.js';
import type { StateSigner } from './state-signer.js';

/** The label of the follow-up issues; `BREAK_GLASS_LABEL` marks the pull request. */
export const REVIEW_LABEL = 'break-glass-review';
export const BREAK_GLASS_LABEL = 'break-glass';

export interface ReviewRecord {
  environment: string;
  pr: number;
  /** When the emergency deployment ran (ISO, GitHub's clock). */
  at: string;
}

const LINE = /<!-- deploy-request:review ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{22}) -->/;

function facts(r: ReviewRecord) {
  return { k: 'emergency-review', environment: r.environment, pr: r.pr, at: r.at };
}

/** The hidden line of the issue body (base64url JSON: nothing in it can close the comment). */
export function reviewRecordLine(signer: StateSigner, record: ReviewRecord): string {
  const f = facts(record);
  const data = Buffer.from(JSON.stringify(f)).toString('base64url');
  return `<!-- deploy-request:review ${data}.${signer.mac(f)} -->`;
}

/** The record an issue body carries, when it verifies. */
export function readReviewRecord(signer: StateSigner, body: string): ReviewRecord | undefined {
  const m = LINE.exec(body);
  if (!m) return undefined;
  let f: Record<string, unknown>;
  try {
    f = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof f.environment !== 'string' || typeof f.pr !== 'number' || typeof f.at !== 'string')
    return undefined;
  const record = { environment: f.environment, pr: f.pr, at: f.at };
  return signer.verify(facts(record), m[2]!) ? record : undefined;
}

/** The verified reviews of emergency deployments to `environment` (others are logged). */
export async function readEmergencyReviews(
  github: Pick<GitHubPort, 'listIssuesWithLabel'>,
  trust: TrustedState,
  environment: string,
): Promise<EmergencyReview[]> {
  const reviews: EmergencyReview[] = [];
  for (const issue of await github.listIssuesWithLabel(REVIEW_LABEL)) {
    const record = issue.authorIsBot ? readReviewRecord(trust.signer, issue.body) : undefined;
    if (!record) {
      trust.warn(
        `Ignored issue #${issue.number} labelled ${REVIEW_LABEL}: it carries no record signed by a trusted deploy-request run.`,
      );
      continue;
    }
    if (record.environment !== environment) continue;
    reviews.push({ issue: issue.number, at: record.at, closed: issue.state === 'closed' });
  }
  return reviews;
}
