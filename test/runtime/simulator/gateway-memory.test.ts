import { describe, expect, it } from 'vitest';
import { MapGatewayMemory } from '../../../src/runtime/simulator/gateway-memory.js';
import type { ReceivedMessage } from '../../../src/runtime/simulator/simulator-records.js';

const message = (index: number): ReceivedMessage => ({
  messageId: `message-${index}`,
  digest: `digest-${index}`,
  status: 200,
  receipt: `<Receipt>${index}</Receipt>`,
});

describe('MapGatewayMemory', () => {
  it('answers a message sent again with its receipt, and numbers receipts from what an earlier run receipted', () => {
    const persisted: string[] = [];
    const memory = new MapGatewayMemory([message(0), message(1)], (received) => persisted.push(received.messageId));
    memory.record(message(2), undefined);
    expect(memory.received('message-1')).toEqual(message(1));
    expect(memory.received('message-2')).toEqual(message(2));
    expect(memory.receivedCount()).toBe(3);
    expect(persisted).toEqual(['message-2']);
  });

  it('keeps the newest messages only, however many arrive, while their count goes on', () => {
    const memory = new MapGatewayMemory([message(0)], undefined, 3);
    for (let index = 1; index <= 10; index += 1) memory.record(message(index), undefined);
    expect(memory.messageIds()).toEqual(['message-8', 'message-9', 'message-10']);
    expect(memory.received('message-7')).toBeUndefined();
    expect(memory.received('message-10')).toEqual(message(10));
    expect(memory.receivedCount()).toBe(11);
  });

  it('does not record a message whose journal write failed', () => {
    const memory = new MapGatewayMemory([], () => {
      throw new Error('disk full');
    });
    expect(() => memory.record(message(1), undefined)).toThrow('disk full');
    expect(memory.received('message-1')).toBeUndefined();
    expect(memory.receivedCount()).toBe(0);
  });
});
