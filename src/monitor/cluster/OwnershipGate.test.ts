import { describe, expect, it } from 'vitest';
import { OwnershipGate } from './OwnershipGate.js';

describe('OwnershipGate', () => {
  it('lets a renewed lease be polled only until it could have run out on the server', () => {
    const gate = new OwnershipGate();
    gate.renewed([{ minerId: 'm', until: 2000, offered: false }], 0);
    expect(gate.owns('m', 1999)).toBe(true);
    expect(gate.owns('m', 2000)).toBe(false);
  });

  it('opens a claimed lease only from its handover', () => {
    const gate = new OwnershipGate();
    gate.gained('m', 500, 3000);
    expect(gate.owns('m', 499)).toBe(false);
    expect(gate.owns('m', 500)).toBe(true);
  });

  it('keeps an offered miner until its handover even after the taker claimed it, then drops it', () => {
    const gate = new OwnershipGate();
    gate.renewed([{ minerId: 'm', until: 5000, offered: false }], 0);
    gate.endAt('m', 1500);
    expect(gate.renewed([], 1000)).toEqual([]);
    expect(gate.owns('m', 1400)).toBe(true);
    expect(gate.owns('m', 1500)).toBe(false);
    expect(gate.renewed([], 1600)).toEqual(['m']);
    expect(gate.size).toBe(0);
  });

  it('drops at once a lease another instance took after it ran out (not offered)', () => {
    const gate = new OwnershipGate();
    gate.renewed([{ minerId: 'm', until: 5000, offered: false }], 0);
    expect(gate.renewed([], 100)).toEqual(['m']);
    expect(gate.owns('m', 200)).toBe(false);
  });
});
