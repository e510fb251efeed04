import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../src/core/delivery/circuit-breaker.js';

describe('CircuitBreaker', () => {
  const policy = { failureThreshold: 3, openMs: 1_000 };

  it('stays closed below the failure threshold', () => {
    const circuit = new CircuitBreaker(policy);
    circuit.record(false, 0);
    circuit.record(false, 1);
    expect(circuit.state(2)).toBe('CLOSED');
    expect(circuit.allows(2)).toBe(true);
  });

  describe('after consecutive failures', () => {
    const opened = () => {
      const circuit = new CircuitBreaker(policy);
      for (let i = 0; i < 3; i += 1) circuit.record(false, 100);
      return circuit;
    };

    it('opens and refuses deliveries while open', () => {
      const circuit = opened();
      expect(circuit.state(500)).toBe('OPEN');
      expect(circuit.allows(500)).toBe(false);
    });

    it('lets exactly one probe through when half-open', () => {
      const circuit = opened();
      expect(circuit.state(1_100)).toBe('HALF_OPEN');
      expect(circuit.allows(1_100)).toBe(true);
      expect(circuit.allows(1_101)).toBe(false);
    });

    it('closes when the probe succeeds', () => {
      const circuit = opened();
      circuit.allows(1_100);
      circuit.record(true, 1_150);
      expect(circuit.state(1_151)).toBe('CLOSED');
      expect(circuit.consecutiveFailures).toBe(0);
    });

    it('re-opens for another period when the probe fails', () => {
      const circuit = opened();
      circuit.allows(1_100);
      circuit.record(false, 1_150);
      expect(circuit.state(1_200)).toBe('OPEN');
      expect(circuit.state(2_150)).toBe('HALF_OPEN');
    });
  });

  it('forgets failures after a success', () => {
    const circuit = new CircuitBreaker(policy);
    circuit.record(false, 0);
    circuit.record(false, 0);
    circuit.record(true, 0);
    circuit.record(false, 0);
    circuit.record(false, 0);
    expect(circuit.state(0)).toBe('CLOSED');
  });
});
