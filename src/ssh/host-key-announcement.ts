// Keeps ssh2 from asking an OpenSSH server to prove host keys we never use (see below).
const HOST_KEY_ANNOUNCEMENT = 'hostkeys-00@openssh.com';

/**
 * After login an OpenSSH server announces all its host keys (`hostkeys-00@openssh.com`), and ssh2
 * answers every time by asking the server to prove each one (`hostkeys-prove-00@openssh.com`): a
 * round trip, a signature per host key on the server and their checks here, for keys we never
 * use: the one pinned key is checked during key exchange. OpenSSH's own client ignores the
 * announcement unless UpdateHostKeys asks for it; so do we (10-15 ms less runner CPU per server
 * at N=32). ssh2 keeps its message handlers on its protocol object, created synchronously by
 * connect(); should that change, the proof simply runs as before.
 */
export function ignoreHostKeyAnnouncements(client: unknown): void {
  type Handler = (protocol: unknown, name: string, wantReply: boolean, data: unknown) => void;
  const handlers = (client as { _protocol?: { _handlers?: Record<string, Handler | undefined> } })
    ?._protocol?._handlers;
  const handle = handlers?.GLOBAL_REQUEST;
  if (!handlers || typeof handle !== 'function') return;
  handlers.GLOBAL_REQUEST = (protocol, name, wantReply, data) => {
    if (name !== HOST_KEY_ANNOUNCEMENT) return handle(protocol, name, wantReply, data);
    if (wantReply) (protocol as { requestFailure(): void }).requestFailure();
  };
}
