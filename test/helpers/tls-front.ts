import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { createServer, type TLSSocket } from 'node:tls';
import type { TlsIdentity } from './tls-certificates.js';

/** A TLS endpoint on loopback in front of a plain HTTP server, and the client certificates it accepted. */
export interface TlsFront {
  /** `https://127.0.0.1:<port>` */
  readonly origin: string;
  /** The subject CN of each client certificate accepted, in order. */
  readonly clients: readonly string[];
  close(): Promise<void>;
}

/**
 * Terminates TLS on a loopback port with `identity` and passes the bytes on to the plain HTTP server on `targetPort`,
 * as a partner's TLS-terminating proxy in front of its gateway would. With `clientRoots` it requires a client certificate
 * chaining to one of them (mutual TLS) and closes the connection of a client without one.
 * @example const front = await startTlsFront({ identity: thServer, clientRoots: [vnRoot], targetPort: 41234 })
 */
export async function startTlsFront(options: {
  readonly identity: TlsIdentity;
  readonly clientRoots?: readonly string[];
  readonly targetPort: number;
}): Promise<TlsFront> {
  const clients: string[] = [];
  const sockets = new Set<TLSSocket>();
  const mutual = options.clientRoots === undefined ? {} : { ca: [...options.clientRoots], requestCert: true, rejectUnauthorized: true };
  const server = createServer({ key: options.identity.privateKeyPem, cert: options.identity.certificatePem, ...mutual }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (options.clientRoots !== undefined) clients.push(String(socket.getPeerCertificate().subject.CN));
    const target = connect({ port: options.targetPort, host: '127.0.0.1' });
    socket.pipe(target).pipe(socket);
    socket.on('error', () => target.destroy());
    target.on('error', () => socket.destroy());
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clients,
    close: () =>
      new Promise<void>((closed) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => closed());
      }),
  };
}
