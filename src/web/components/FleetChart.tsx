/** The whole fleet's hashrate against what its miners should make, over a chosen range. */
import { useMemo, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { api } from '../api.js';
import { formatHashrate, HASH_UNITS_LADDER } from '../format.js';
import { autoRange, type RangeKey, rangeOf, useRangeData } from '../range.js';
import type { FleetPoint } from '../types.js';
import { Chart } from './Chart.js';
import { RangePicker } from './RangePicker.js';

export function fleetAligned(points: readonly FleetPoint[] | undefined): uPlot.AlignedData {
  const p = points ?? [];
  return [p.map((x) => x.timestamp / 1000), p.map((x) => x.hashrateGhs), p.map((x) => x.expectedHashrateGhs)];
}

export function FleetChart({ oldestMinerAt }: { oldestMinerAt: number | null }) {
  const [picked, setPicked] = useState<RangeKey | null>(null);
  const rangeKey = picked ?? autoRange(oldestMinerAt, Date.now());
  const { data, error } = useRangeData('fleet', rangeOf(rangeKey), (range, signal) =>
    api.fleetSeries(range, signal),
  );
  const aligned = useMemo(() => fleetAligned(data?.points), [data]);
  return (
    <section class="panel fleet-chart" aria-label="Fleet hashrate history">
      <RangePicker value={rangeKey} onChange={setPicked} />
      {error === null ? null : <p class="error">{error}</p>}
      <Chart
        id="fleet"
        title="Fleet hashrate vs expected"
        data={aligned}
        xRange={data === null ? null : [data.from / 1000, data.to / 1000]}
        height={160}
        lines={[
          { label: 'hashrate', color: '#4fc3f7' },
          { label: 'expected', color: '#8b95a7', dash: [6, 4] },
        ]}
        format={(v) => formatHashrate(v)}
        units={HASH_UNITS_LADDER}
      />
    </section>
  );
}
