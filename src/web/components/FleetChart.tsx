/** The whole fleet's hashrate against what its miners should make, over a chosen range. */
import { useMemo, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { api } from '../api.js';
import { formatHashrate } from '../format.js';
import { type RangeKey, rangeOf, useRangeData } from '../range.js';
import type { FleetPoint } from '../types.js';
import { Chart } from './Chart.js';
import { RangePicker } from './RangePicker.js';

export function fleetAligned(points: readonly FleetPoint[] | null): uPlot.AlignedData {
  const p = points ?? [];
  return [p.map((x) => x.timestamp / 1000), p.map((x) => x.hashrateGhs), p.map((x) => x.expectedHashrateGhs)];
}

export function FleetChart() {
  const [rangeKey, setRangeKey] = useState<RangeKey>('24h');
  const { data, error } = useRangeData('fleet', rangeOf(rangeKey), (range, signal) =>
    api.fleetSeries(range, signal),
  );
  const aligned = useMemo(() => fleetAligned(data), [data]);
  return (
    <section class="panel fleet-chart" aria-label="Fleet hashrate history">
      <RangePicker value={rangeKey} onChange={setRangeKey} />
      {error === null ? null : <p class="error">{error}</p>}
      <Chart
        id="fleet"
        title="Fleet hashrate vs expected"
        unit="GH/s"
        data={aligned}
        height={160}
        lines={[
          { label: 'hashrate', color: '#4fc3f7' },
          { label: 'expected', color: '#8b95a7', dash: [6, 4] },
        ]}
        format={(v) => formatHashrate(v)}
      />
    </section>
  );
}
