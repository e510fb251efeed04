import { spsAckSpec, type SpsAck } from '../../../message-schemas/sps-ack/1/schema.js';
import { routeSpsAck } from '../certificate/route-sps-ack.js';
import { codecOfSpec } from '../document/document-codec.js';
import type { DocumentDescriptor } from './document-descriptor.js';

const codec = codecOfSpec(spsAckSpec);

/** An importing country's acknowledgement of an ePhyto or e-AH: sent by swx for the ones it received, routed to the ones it issued. */
export const spsAck: DocumentDescriptor<SpsAck, 'SPS_ACK'> = {
  type: 'SPS_ACK',
  codec,
  defaultAction: 'RESPOND',
  inbound: {
    validate: (body) => codec.read(body) as SpsAck,
    summarise: (document) => ({
      certificateNumber: document.certificateNumber,
      certificateType: document.certificateType,
      status: document.status,
      reason: document.reason ?? null,
    }),
    route: routeSpsAck,
  },
};
