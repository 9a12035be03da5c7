// Every "@@<key>" line a remote script prints and the runner reads: the one list. TypeScript
// reads markers only through the Marker type (a typo fails `tsc`), and
// test/unit/remote/markers.test.ts holds the .sh files to this list both ways (a key printed
// that is not listed, or listed and never printed, fails the test).
export const MARKERS = [
  // deployment scripts (src/remote/deploy-*.sh)
  'step',
  'end',
  'error',
  'lock',
  'unlocked',
  'previous',
  'verified',
  'prepared',
  'switched',
  'failed',
  'health',
  'rolledback',
  'pruned',
  'untouched',
  'done',
  // environment script (src/remote/environment.sh)
  'provision',
  'check',
  /** Continues the previous line's free text (a provisioning item's detail). */
  '+',
] as const;

export type Marker = (typeof MARKERS)[number];

/** The line prefix for a marker: "@@provision". */
export function markerPrefix(key: Marker): string {
  return `@@${key}`;
}
