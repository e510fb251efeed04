/** Every step of an export declaration sent to Thailand, in the order they happen, on either runtime. */
export const EXPORT_FLOW_STEPS = [
  'DOCUMENT_RECEIVED',
  'DECLARATION_ACCEPTED',
  'CHANNEL_ASSIGNED',
  'STATUS_CHANGED',
  'DOCUMENT_SIGNED',
  'MESSAGE_QUEUED',
  'MESSAGE_DELIVERED',
  'RECEIPT_VERIFIED',
  'RESPONSE_RECEIVED',
  'RECEIPT_SENT',
] as const;
