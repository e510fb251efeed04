import { FetchPartnerTransport } from '../../../src/adapters/transport/fetch-partner-transport.js';
import { describePartnerTransportContract } from './partner-transport.contract.js';

describePartnerTransportContract('FetchPartnerTransport', (options) => new FetchPartnerTransport(options));
