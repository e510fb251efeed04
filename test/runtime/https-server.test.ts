import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { startTestService, type TestService } from '../helpers/service.js';
import { loopbackServerIdentity, rootCertificatePem, type TlsIdentity } from '../helpers/tls-certificates.js';

/** Milliseconds until `socket` closes, or `limitMs` when it is still open then. */
function closesWithin(socket: { once(event: 'close', listener: () => void): unknown; destroy(): void }, limitMs: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(limitMs);
    }, limitMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(performance.now() - started);
    });
  });
}

describe('swx over HTTPS (SWX_TLS_CERT, SWX_TLS_KEY)', () => {
  const pkiDir = inject('testPkiDir');
  let identity: TlsIdentity;
  let swx: TestService;
  let trusting: Agent;
  let port: number;

  beforeAll(async () => {
    identity = await loopbackServerIdentity(pkiDir, 'VN');
    const dir = mkdtempSync(join(tmpdir(), 'swx-tls-'));
    writeFileSync(join(dir, 'swx.cert.pem'), identity.certificatePem);
    writeFileSync(join(dir, 'swx.key.pem'), identity.privateKeyPem, { mode: 0o600 });
    swx = await startTestService({
      SWX_SIMULATORS: 'off',
      SWX_TLS_CERT: join(dir, 'swx.cert.pem'),
      SWX_TLS_KEY: join(dir, 'swx.key.pem'),
      SWX_HEADERS_TIMEOUT_MS: '400',
      SWX_MAX_CONNECTIONS_PER_ADDRESS: '3',
    });
    port = Number(new URL(swx.url).port);
    trusting = new Agent({ connect: { ca: rootCertificatePem(pkiDir, 'VN') } });
  });
  afterAll(async () => {
    await trusting?.close();
    await swx?.close();
  });

  it('listens at an https URL and answers a client that trusts its certificate', async () => {
    expect(swx.url).toBe(`https://127.0.0.1:${port}`);
    const response = await fetch(`${swx.url}/healthz`, { dispatcher: trusting });
    expect(response.status).toBe(200);
    const partners = await fetch(`${swx.url}/v1/partners`, { dispatcher: trusting, headers: { Authorization: `Bearer ${swx.adminToken}` } });
    expect(partners.status).toBe(200);
  });

  it('is refused by a client that does not trust its certificate', async () => {
    const untrusting = new Agent();
    try {
      const error = await fetch(`${swx.url}/healthz`, { dispatcher: untrusting }).then(
        () => undefined,
        (failure: Error) => failure,
      );
      expect((error?.cause as { code?: string } | undefined)?.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    } finally {
      await untrusting.close();
    }
  });

  it('does not answer plain HTTP on its port', async () => {
    const plain = new Agent();
    try {
      await expect(fetch(`http://127.0.0.1:${port}/healthz`, { dispatcher: plain })).rejects.toThrow();
    } finally {
      await plain.close();
    }
  });

  describe('keeps its connection limits on TLS', () => {
    it('cuts a client that opens a connection and never starts the TLS handshake after SWX_HEADERS_TIMEOUT_MS', async () => {
      const socket = connectTcp({ port, host: '127.0.0.1' });
      socket.on('error', () => undefined);
      socket.resume();
      expect(await closesWithin(socket, 5_000)).toBeLessThan(3_000);
    });

    it('cuts a client that completes the handshake and never sends its headers', async () => {
      const socket: TLSSocket = connectTls({ port, host: '127.0.0.1', ca: rootCertificatePem(pkiDir, 'VN') });
      socket.on('error', () => undefined);
      socket.resume();
      await new Promise<void>((secure) => socket.once('secureConnect', () => secure()));
      socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      expect(await closesWithin(socket, 5_000)).toBeLessThan(3_000);
    });

    it('closes connections beyond SWX_MAX_CONNECTIONS_PER_ADDRESS at once', async () => {
      // From an address of its own (any of 127.0.0.0/8 is loopback), so the other tests' connections do not count.
      const sockets = Array.from({ length: 5 }, () => {
        const socket = connectTls({
          socket: connectTcp({ port, host: '127.0.0.1', localAddress: '127.0.0.4' }),
          ca: rootCertificatePem(pkiDir, 'VN'),
        });
        socket.on('error', () => undefined);
        socket.resume();
        return socket;
      });
      const closedFast = await Promise.all(sockets.map((socket) => closesWithin(socket, 250)));
      expect(closedFast.filter((ms) => ms < 250).length).toBe(2);
    });
  });
});

describe('SWX_TLS_CERT and SWX_TLS_KEY', () => {
  it('refuses one without the other, naming the missing one', () => {
    expect(() => parseConfig({ SWX_TLS_CERT: '/etc/swx/tls.cert.pem' })).toThrow(
      /^invalid SWX_TLS_KEY="": required when SWX_TLS_CERT is set \(HTTPS needs both, plain HTTP neither\)$/,
    );
    expect(() => parseConfig({ SWX_TLS_KEY: '/etc/swx/tls.key.pem' })).toThrow(/^invalid SWX_TLS_CERT="": required when SWX_TLS_KEY is set/);
  });

  it('stops the start naming the variable whose file cannot be read', async () => {
    await expect(
      startTestService({ SWX_SIMULATORS: 'off', SWX_TLS_CERT: '/nonexistent/tls.cert.pem', SWX_TLS_KEY: '/nonexistent/tls.key.pem' }),
    ).rejects.toThrow('SWX_TLS_CERT: cannot read /nonexistent/tls.cert.pem: ENOENT');
  });
});
