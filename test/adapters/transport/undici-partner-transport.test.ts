import { UndiciPartnerTransport } from '../../../src/adapters/transport/undici-partner-transport.js';
import { describePartnerTransportContract } from './partner-transport.contract.js';

describePartnerTransportContract('UndiciPartnerTransport', (options) => new UndiciPartnerTransport(options));
