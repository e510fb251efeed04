import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitTicket } from '../../../src/core/delivery/circuit-breaker.js';

function admitted(circuit: CircuitBreaker, now: number): CircuitTicket {
  const ticket = circuit.admit(now);
  if (!ticket) throw new Error(`circuit refused a request at ${now}`);
  return ticket;
}

describe('CircuitBreaker', () => {
  const policy = { failureThreshold: 3, openMs: 1_000 };

  it('stays closed below the failure threshold', () => {
    const circuit = new CircuitBreaker(policy);
    circuit.record(admitted(circuit, 0), false, 0);
    circuit.record(admitted(circuit, 1), false, 1);
    expect(circuit.state(2)).toBe('CLOSED');
    expect(circuit.admit(2)).toBeDefined();
  });

  describe('after consecutive failures', () => {
    const opened = () => {
      const circuit = new CircuitBreaker(policy);
      for (let i = 0; i < 3; i += 1) circuit.record(admitted(circuit, 100), false, 100);
      return circuit;
    };

    it('opens and refuses deliveries while open', () => {
      const circuit = opened();
      expect(circuit.state(500)).toBe('OPEN');
      expect(circuit.admit(500)).toBeUndefined();
    });

    it('lets exactly one probe through when half-open', () => {
      const circuit = opened();
      expect(circuit.state(1_100)).toBe('HALF_OPEN');
      expect(circuit.admit(1_100)).toEqual({ period: 1, probe: true });
      expect(circuit.admit(1_101)).toBeUndefined();
      expect(circuit.admits(1_101)).toBe(false);
    });

    it('closes when the probe succeeds', () => {
      const circuit = opened();
      circuit.record(admitted(circuit, 1_100), true, 1_150);
      expect(circuit.state(1_151)).toBe('CLOSED');
      expect(circuit.consecutiveFailures).toBe(0);
    });

    it('lets another probe through when the probe is given back unsent, still half-open', () => {
      const circuit = opened();
      circuit.release(admitted(circuit, 1_100));
      expect(circuit.state(1_101)).toBe('HALF_OPEN');
      expect(circuit.consecutiveFailures).toBe(3);
      expect(circuit.admit(1_101)).toEqual({ period: 1, probe: true });
    });

    it('re-opens for another period when the probe fails', () => {
      const circuit = opened();
      circuit.record(admitted(circuit, 1_100), false, 1_150);
      expect(circuit.state(1_200)).toBe('OPEN');
      expect(circuit.state(2_150)).toBe('HALF_OPEN');
    });
  });

  describe('when a whole window of requests is in flight as the partner goes down', () => {
    const failWindow = (size: number) => {
      const circuit = new CircuitBreaker(policy);
      const window = Array.from({ length: size }, () => admitted(circuit, 0));
      for (const [index, ticket] of window.entries()) circuit.record(ticket, false, 100 + index);
      return circuit;
    };

    it('opens exactly at the threshold and counts no failure beyond it', () => {
      const circuit = failWindow(64);
      expect(circuit.consecutiveFailures).toBe(3);
      expect(circuit.openedAt).toBe(102);
      expect(circuit.admit(103)).toBeUndefined();
    });

    it('does not push the probe back for failures that arrive after it opened', () => {
      const circuit = failWindow(64);
      expect(circuit.state(102 + 1_000)).toBe('HALF_OPEN');
    });

    it('admits one probe in half-open even when late answers of the old window arrive', () => {
      const circuit = new CircuitBreaker(policy);
      const window = Array.from({ length: 10 }, () => admitted(circuit, 0));
      for (const ticket of window.slice(0, 3)) circuit.record(ticket, false, 100);
      expect(circuit.admit(1_100)?.probe).toBe(true);
      for (const ticket of window.slice(3, 6)) circuit.record(ticket, false, 1_120);
      for (const ticket of window.slice(6)) circuit.record(ticket, true, 1_130);
      expect(circuit.state(1_140)).toBe('HALF_OPEN');
      expect(circuit.admit(1_140)).toBeUndefined();
    });
  });

  it('forgets failures after a success', () => {
    const circuit = new CircuitBreaker(policy);
    circuit.record(admitted(circuit, 0), false, 0);
    circuit.record(admitted(circuit, 0), false, 0);
    circuit.record(admitted(circuit, 0), true, 0);
    circuit.record(admitted(circuit, 0), false, 0);
    circuit.record(admitted(circuit, 0), false, 0);
    expect(circuit.state(0)).toBe('CLOSED');
  });
});
