// A worker thread of XmlSignerPool: signs the XML it is sent with the key it was started with.
import { parentPort, workerData } from 'node:worker_threads';
import type { SignedBatch, SigningBatch } from './xml-signer-pool.js';
import { XmlDsigSigner } from './xmldsig-signer.js';

const { privateKeyPem, certificatePem } = workerData as { privateKeyPem: string; certificatePem: string };
const signer = new XmlDsigSigner(privateKeyPem, certificatePem);
parentPort?.on('message', (batch: SigningBatch) => {
  const answers: SignedBatch = batch.map(({ id, xml }) => {
    try {
      return { id, signed: signer.signSync(xml) };
    } catch (error) {
      return { id, error: (error as Error).message };
    }
  });
  parentPort?.postMessage(answers);
});
