// A worker thread of XmlSignerPool: signs the XML it is sent with the key it was started with.
import { parentPort, workerData } from 'node:worker_threads';
import type { SignedBatch, SigningBatch } from './xml-signer-pool.js';
import { XmlDsigSigner } from './xmldsig-signer.js';

/** Answers are sent back at least this often while a batch is signed, so its first documents do not wait for its last. */
const ANSWER_EVERY_MS = 1;

const { privateKeyPem, certificatePem } = workerData as { privateKeyPem: string; certificatePem: string };
const signer = new XmlDsigSigner(privateKeyPem, certificatePem);
parentPort?.on('message', (batch: SigningBatch) => {
  let answers: SignedBatch[number][] = [];
  let sentAt = performance.now();
  for (const { id, xml } of batch) {
    try {
      answers.push({ id, signed: signer.signSync(xml) });
    } catch (error) {
      answers.push({ id, error: (error as Error).message });
    }
    if (performance.now() - sentAt >= ANSWER_EVERY_MS) {
      parentPort?.postMessage(answers);
      answers = [];
      sentAt = performance.now();
    }
  }
  if (answers.length > 0) parentPort?.postMessage(answers);
});
