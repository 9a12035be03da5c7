// Everything that needs ssh2 at run time, behind one module that the bundle loads on first use
// (see load-library.ts). Import it only through loadSshLibrary.
export { createSshConnector } from './connector.js';
export { parsePrivateKey } from './private-key.js';
