import { env } from 'cloudflare:workers';
import { D1ClearanceQueries } from '../../src/adapters/d1/d1-clearance-queries.js';
import { D1ExchangeReportQueries } from '../../src/adapters/d1/d1-exchange-report-queries.js';
import { D1MessageQueries } from '../../src/adapters/d1/d1-message-queries.js';
import { storagePortsOver } from '../../src/runtime/worker/storage-rpc.js';
import { describeReadQueriesContract } from '../adapters/storage/read-queries.contract.js';
import { emptyReadModel, projected } from './read-model.js';

// Commits go to a new EXCHANGE object per test, over RPC as the Worker sends them; the D1 adapters read what its alarm
// projected into D1 (migrated by apply-d1-migrations.ts).
describeReadQueriesContract('D1 read model', async () => {
  await emptyReadModel();
  const stub = env.EXCHANGE.get(env.EXCHANGE.newUniqueId());
  return {
    store: storagePortsOver((port, method, args) => stub.call(port, method, args)).store,
    clearances: new D1ClearanceQueries(env.DB),
    messages: new D1MessageQueries(env.DB),
    reports: new D1ExchangeReportQueries(env.DB),
    settle: () => projected(stub),
  };
});
