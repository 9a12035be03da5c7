// Every "@@<key>" line a remote script prints and the runner reads: the one list. TypeScript
// reads markers only through the Marker type (a typo fails `tsc`), and
// test/unit/remote/markers.test.ts holds the .sh files to this list both ways (a key printed
// that is not listed, or listed and never printed, fails the test).
export const MARKERS = [
  // deployment scripts (src/remote/deploy-*.sh)
  'step',
  'error',
  'lock',
  'unlocked',
  'previous',
  'verified',
  /** Pull mode: the server downloaded the artifact itself (src/remote/deploy-pull.sh). */
  'fetched',
  'prepared',
  'switched',
  'failed',
  'health',
  'rolledback',
  'pruned',
  'untouched',
  'done',
  // rollback (src/remote/release-switch.sh, deploy-rollback.sh): the abandoned release's entry
  /** Marked bad, its entry as it was kept beside it. */
  'marked',
  /** Put back as it was before the rollback marked it (a revert). */
  'unmarked',
  // ledger read (src/remote/ledger-read.sh)
  'current',
  'release',
  /** The remote lock file: its digest and since when (epoch seconds). */
  'locked',
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
