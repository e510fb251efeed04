// A worker thread of XmlSignerPool: signs the XML it is sent with the key it was started with.
import { parentPort, workerData } from 'node:worker_threads';
import { XmlDsigSigner } from './xmldsig-signer.js';

const { privateKeyPem, certificatePem } = workerData as { privateKeyPem: string; certificatePem: string };
const signer = new XmlDsigSigner(privateKeyPem, certificatePem);
parentPort?.on('message', ({ id, xml }: { id: number; xml: string }) => {
  try {
    parentPort?.postMessage({ id, signed: signer.signSync(xml) });
  } catch (error) {
    parentPort?.postMessage({ id, error: (error as Error).message });
  }
});
