// Break-glass: what an emergency request may skip, whom it asks, and when the last one's review is
// overdue. Pure.
import type { ApprovalConfig, EnvironmentConfig } from '../config/types.js';

/** An emergency switch as recorded by /emergency (signed in trusted runs). */
export interface EmergencySwitch {
  pr: number;
  environment: string;
  reason: string;
  /** Who typed /emergency. */
  by: string;
  /** ISO time of the switch (GitHub's clock). */
  at: string;
}

/** The name of the approval stage the emergency approvers form. */
export const EMERGENCY_STAGE = 'emergency';

/** Whether an emergency request may skip this gate under the environment's policy. */
export function emergencySkips(
  environment: EnvironmentConfig,
  emergency: EmergencySwitch | undefined,
  gate: 'windows' | 'stages',
): boolean {
  return emergency !== undefined && (environment.emergency?.may_skip ?? []).includes(gate);
}

/**
 * The approval stages a request answers to: its environment's, or under an emergency switch the
 * emergency approvers' stage, in place of the others when the policy may skip stages and after
 * them otherwise.
 */
export function approvalFor(
  environment: EnvironmentConfig,
  emergency: EmergencySwitch | undefined,
): ApprovalConfig {
  const policy = environment.emergency;
  if (!emergency || !policy) return environment.approval;
  const stage = { name: EMERGENCY_STAGE, reviewers: policy.approvers, required: policy.required };
  return emergencySkips(environment, emergency, 'stages')
    ? { stages: [stage], ordered: false }
    : { ...environment.approval, stages: [...environment.approval.stages, stage] };
}

/** An emergency deployment's review, as its follow-up issue records it. */
export interface EmergencyReview {
  issue: number;
  /** When the emergency deployment ran (ISO). */
  at: string;
  /** The issue is closed (by whom is read separately: only a reviewer's close counts). */
  closed: boolean;
}

/** The reviews whose time is up (`withinHours` after their deployment), oldest first. */
export function dueReviews(
  reviews: readonly EmergencyReview[],
  withinHours: number,
  now: Date,
): EmergencyReview[] {
  return reviews
    .filter((r) => Date.parse(r.at) + withinHours * 3_600_000 <= now.getTime())
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
