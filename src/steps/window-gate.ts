// The deployment-window gate of /confirm: judged once, when the /confirm arrives, by GitHub's clock
// (ctx.now()); a deployment that has started is never interrupted by a window closing. An
// emergency request skips it when the environment's break-glass policy says `may_skip: [windows]`.
import type { RunContext } from '../edge/run-context.js';
import { emergencySkips } from '../policy/emergency-policy.js';
import { windowState } from '../policy/windows.js';
import type { Inline } from '../report/markdown.js';
import { windowLine, windowRefusal } from '../report/window-view.js';
import type { WindowsConfig } from '../config/types.js';
import type { VerifiedRequest } from './verify-request.js';

/** Why /confirm may not start a deployment now (windows or a freeze), or undefined when it may. */
export function windowGate(ctx: RunContext, v: VerifiedRequest): Inline[] | undefined {
  const { environment, request } = v;
  const rule = environment.windows;
  if (!rule) return undefined;
  const now = ctx.now();
  const state = windowState(rule, now);
  if (state.open) return undefined;
  if (emergencySkips(environment, v.emergency, 'windows')) {
    ctx.log.warning(
      `${request.environment} is ${state.freeze ? `frozen (${state.freeze.reason})` : 'outside its deployment windows'}; the emergency policy skips them.`,
    );
    return undefined;
  }
  return windowRefusal(request.environment, rule, state, now, ctx.settings.configPath);
}

/** The window state the prompt and the sticky comment show, when the environment has windows. */
export function windowView(name: string, rule: WindowsConfig | undefined, now: Date) {
  if (!rule) return undefined;
  const state = windowState(rule, now);
  return {
    line: windowLine(name, rule, state, now),
    open: state.open,
    ...(state.open || !state.opensAt ? {} : { opensAt: state.opensAt }),
  };
}
