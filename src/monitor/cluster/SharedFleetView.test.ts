import { describe, expect, it } from 'vitest';
import { FakeMonitor, minerView, NOW, sample } from '../../../test/server/fakes.js';
import type { MonitorEvent } from '../types.js';
import { liveViewOf } from './LiveView.js';
import { SharedFleetView } from './SharedFleetView.js';

function setup(owned: Set<string>) {
  const monitor = new FakeMonitor();
  monitor.miners.set('mine', minerView('mine', { status: 'online' }));
  monitor.miners.set('theirs', minerView('theirs', { status: 'unknown', lastSample: null }));
  const view = new SharedFleetView({
    monitor,
    instanceId: 'a',
    owns: (id) => owned.has(id),
    difficulty: () => null,
    now: () => NOW,
  });
  const events: MonitorEvent[] = [];
  view.subscribe((e) => events.push(e));
  return { monitor, view, events };
}

const remote = (status: 'online' | 'offline', timestamp: number) =>
  liveViewOf(minerView('theirs', { status, lastSample: sample({ timestamp, hashrateGhs: 480 }) }));

describe('SharedFleetView', () => {
  it("shows another instance's miner as its poller wrote it, says who polls it, and announces the change once", () => {
    const { view, events } = setup(new Set(['mine']));
    expect(view.getMiner('theirs')).toMatchObject({ status: 'unknown', polledBy: null });
    view.apply([
      { minerId: 'theirs', owner: 'b', ownerUrl: null, view: remote('online', NOW), updatedAt: 1 },
    ]);
    expect(view.getMiner('theirs')).toMatchObject({
      status: 'online',
      polledBy: 'b',
      lastSample: { timestamp: NOW, hashrateGhs: 480, raw: {} },
    });
    expect(view.getMiner('mine')).toMatchObject({ status: 'online', polledBy: 'a' });
    expect(events.map((e) => e.type)).toEqual(['sample', 'status']);
    // Read again (the overlap of two reads): nothing new, nothing announced.
    view.apply([
      { minerId: 'theirs', owner: 'b', ownerUrl: null, view: remote('online', NOW), updatedAt: 1 },
    ]);
    expect(events).toHaveLength(2);
    // Unchanged since: the view stays, only the owner is refreshed.
    view.apply([{ minerId: 'theirs', owner: 'b', ownerUrl: null, view: null, updatedAt: null }]);
    expect(view.getMiner('theirs')).toMatchObject({ status: 'online', polledBy: 'b' });
    view.apply([
      { minerId: 'theirs', owner: 'b', ownerUrl: null, view: remote('offline', NOW + 1000), updatedAt: 2 },
    ]);
    expect(view.fleet().miners.offline).toBe(1);
    expect(events.at(-1)).toMatchObject({ type: 'status', minerId: 'theirs', from: 'online', to: 'offline' });
  });

  it('drops the view of a miner this instance took over, and skips a row that is not a view', () => {
    const owned = new Set(['mine']);
    const { view } = setup(owned);
    view.apply([{ minerId: 'theirs', owner: 'b', ownerUrl: null, view: { status: 'bogus' }, updatedAt: 1 }]);
    expect(view.skipped).toBe(1);
    expect(view.getMiner('theirs')?.status).toBe('unknown');
    view.apply([
      { minerId: 'theirs', owner: 'b', ownerUrl: null, view: remote('online', NOW), updatedAt: 2 },
    ]);
    owned.add('theirs');
    view.apply([]);
    expect(view.getMiner('theirs')).toMatchObject({ status: 'unknown', polledBy: 'a' });
    owned.delete('theirs');
    expect(view.getMiner('theirs')).toMatchObject({ status: 'unknown', polledBy: null });
  });

  it('a disabled miner shows disabled whatever its last poller wrote', () => {
    const { view, monitor } = setup(new Set());
    view.apply([
      { minerId: 'theirs', owner: 'b', ownerUrl: null, view: remote('online', NOW), updatedAt: 1 },
    ]);
    monitor.miners.set('theirs', minerView('theirs', { enabled: false, status: 'disabled' }));
    expect(view.getMiner('theirs')?.status).toBe('disabled');
  });
});
