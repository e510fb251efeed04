import { nodeSha256 } from '../../../src/adapters/crypto/node-sha256.js';
import { MemoryExchangeStore } from '../../../src/adapters/storage/memory-exchange-store.js';
import { describeExchangeStoreContract } from './exchange-store.contract.js';

describeExchangeStoreContract('MemoryExchangeStore', () => new MemoryExchangeStore(nodeSha256));
