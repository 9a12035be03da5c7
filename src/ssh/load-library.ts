// ssh2 and node-ssh are a third of the bundle and about 50 ms of its start on a 2-core runner
// (compiling them, plus ssh2's crypto self-tests and WebAssembly set-up). Runs that never open a
// connection or read the deployment key (validation, reviews) do without them; the others load
// them here, once, as a separate chunk of dist/.
export function loadSshLibrary(): Promise<typeof import('./library.js')> {
  return import('./library.js');
}
