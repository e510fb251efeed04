import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { UndiciPartnerTransport } from '../../../src/adapters/transport/undici-partner-transport.js';
import type { PartnerTlsMaterial } from '../../../src/core/partner.js';
import { clientIdentity, loopbackServerIdentity, rootCertificatePem, type TlsIdentity } from '../../helpers/tls-certificates.js';

const ENVELOPE = '<Envelope/>';
const TIMEOUTS = { connectMs: 2_000, responseMs: 2_000 };

describe('UndiciPartnerTransport over TLS', () => {
  const pkiDir = inject('testPkiDir');
  let vnClient: TlsIdentity;
  let gateway: Server;
  let endpoint: string;
  const seenClients: string[] = [];

  // TH's gateway on loopback: a server certificate from TH's root, and mutual TLS requiring a client certificate from VN's root.
  beforeAll(async () => {
    const server = await loopbackServerIdentity(pkiDir, 'TH');
    vnClient = await clientIdentity(pkiDir, 'VN');
    gateway = createServer(
      { key: server.privateKeyPem, cert: server.certificatePem, ca: [rootCertificatePem(pkiDir, 'VN')], requestCert: true, rejectUnauthorized: true },
      (request, response) => {
        seenClients.push(String((request.socket as TLSSocket).getPeerCertificate().subject.CN));
        request.resume();
        request.on('end', () => response.end('<Receipt/>'));
      },
    );
    await new Promise<void>((listening) => gateway.listen(0, '127.0.0.1', listening));
    endpoint = `https://127.0.0.1:${(gateway.address() as AddressInfo).port}/v1/exchange`;
  });
  afterAll(
    () =>
      new Promise<void>((closed) => {
        gateway.closeAllConnections();
        gateway.close(() => closed());
      }),
  );

  async function post(tls: PartnerTlsMaterial | undefined): Promise<unknown> {
    const transport = new UndiciPartnerTransport(tls === undefined ? {} : { tls: new Map([['TH', tls]]) });
    try {
      return await transport.post(endpoint, ENVELOPE, { ...TIMEOUTS, partner: 'TH' });
    } catch (error) {
      return (error as Error).message;
    } finally {
      await transport.close();
    }
  }

  const origin = () => new URL(endpoint).origin;
  const withClient = () => ({ clientCertificatePem: vnClient.certificatePem, clientKeyPem: vnClient.privateKeyPem });

  it('delivers with the partner client certificate to a server whose certificate chains to the partner roots', async () => {
    expect(await post({ ...withClient(), serverRootPems: [rootCertificatePem(pkiDir, 'TH')] })).toEqual({ status: 200, body: '<Receipt/>' });
    expect(seenClients.at(-1)).toBe('VN gateway TLS client');
  });

  describe('when the server certificate does not chain to the partner roots', () => {
    it('fails the delivery saying the certificate is not trusted', async () => {
      expect(await post({ ...withClient(), serverRootPems: [rootCertificatePem(pkiDir, 'SG')] })).toBe(
        `no answer from ${origin()}: TLS: certificate of 127.0.0.1 not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`,
      );
    });

    it('fails the same with no roots configured (the public roots do not hold a development root)', async () => {
      expect(await post(withClient())).toBe(
        `no answer from ${origin()}: TLS: certificate of 127.0.0.1 not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`,
      );
    });
  });

  describe('when the server certificate does not carry the configured server name', () => {
    it('fails the delivery naming the host', async () => {
      expect(await post({ ...withClient(), serverRootPems: [rootCertificatePem(pkiDir, 'TH')], serverName: 'th-gateway.example' })).toBe(
        `no answer from ${origin()}: TLS: certificate of th-gateway.example does not name th-gateway.example (ERR_TLS_CERT_ALTNAME_INVALID)`,
      );
    });
  });

  describe('when the partner requires a client certificate and none is configured', () => {
    it('fails the delivery saying the partner requires one', async () => {
      expect(await post({ serverRootPems: [rootCertificatePem(pkiDir, 'TH')] })).toBe(
        `no answer from ${origin()}: TLS: 127.0.0.1 requires a client certificate (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED)`,
      );
    });
  });

  it('keeps each partner in its own pool: another partner at the same origin connects without TH settings', async () => {
    const transport = new UndiciPartnerTransport({ tls: new Map([['TH', { ...withClient(), serverRootPems: [rootCertificatePem(pkiDir, 'TH')] }]]) });
    try {
      expect(await transport.post(endpoint, ENVELOPE, { ...TIMEOUTS, partner: 'TH' })).toEqual({ status: 200, body: '<Receipt/>' });
      await expect(transport.post(endpoint, ENVELOPE, { ...TIMEOUTS, partner: 'SG' })).rejects.toThrow(/not trusted/);
    } finally {
      await transport.close();
    }
  });
});
