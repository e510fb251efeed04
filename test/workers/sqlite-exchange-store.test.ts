import { describeExchangeStoreContract } from '../adapters/storage/exchange-store.contract.js';
import { anExchangeStoreInObject } from './in-exchange-object.js';

describeExchangeStoreContract('SqliteExchangeStore in the EXCHANGE Durable Object', anExchangeStoreInObject);
