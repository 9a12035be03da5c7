// Break-glass: what an emergency request may skip. Pure.
import type { EnvironmentConfig } from '../config/types.js';

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

/** Whether an emergency request may skip this gate under the environment's policy. */
export function emergencySkips(
  environment: EnvironmentConfig,
  emergency: EmergencySwitch | undefined,
  gate: 'windows' | 'stages',
): boolean {
  return emergency !== undefined && (environment.emergency?.may_skip ?? []).includes(gate);
}
