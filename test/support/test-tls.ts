// A throwaway certificate authority and a server certificate for 127.0.0.1 and 127.0.0.2, made
// with the openssl CLI once per test process: HTTPS servers in tests use the certificate, and
// the SSH test servers' curl and wget trust the CA (sshd `SetEnv`, clientEnv).
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestTls {
  /** The CA certificate (PEM file readable by every user): what clients trust. */
  caFile: string;
  key: string;
  cert: string;
  /** sshd SetEnv entries that make curl and wget (OpenSSL) on a test server trust the CA. */
  clientEnv: Record<string, string>;
}

let made: Promise<TestTls> | undefined;

async function make(): Promise<TestTls> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dr-tls-'));
  await chmod(dir, 0o755); // the servers' users read ca.pem
  const file = (name: string) => path.join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await run('openssl', [
    'req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem'),
    '-days', '2', '-subj', '/CN=deploy-request test CA',
  ]); // prettier-ignore
  await run('openssl', [
    'req', ...ec, '-keyout', file('leaf.key'), '-out', file('leaf.csr'), '-subj', '/CN=127.0.0.1',
  ]); // prettier-ignore
  await writeFile(
    file('ext'),
    'subjectAltName=IP:127.0.0.1,IP:127.0.0.2,DNS:localhost\nbasicConstraints=CA:FALSE\n',
  );
  await run('openssl', [
    'x509', '-req', '-in', file('leaf.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'),
    '-CAcreateserial', '-out', file('leaf.pem'), '-days', '2', '-extfile', file('ext'),
  ]); // prettier-ignore
  await chmod(file('ca.pem'), 0o644);
  const [key, cert] = await Promise.all([
    readFile(file('leaf.key'), 'utf8'),
    readFile(file('leaf.pem'), 'utf8'),
  ]);
  const caFile = file('ca.pem');
  // Debian's wget uses GnuTLS, which ignores SSL_CERT_FILE: it reads the CA from a wgetrc.
  await writeFile(file('wgetrc'), `ca_certificate = ${caFile}\n`, { mode: 0o644 });
  return {
    caFile,
    key,
    cert,
    clientEnv: { CURL_CA_BUNDLE: caFile, SSL_CERT_FILE: caFile, WGETRC: file('wgetrc') },
  };
}

export function testTls(): Promise<TestTls> {
  made ??= make();
  return made;
}
