/** A uPlot time-series chart that follows its container's width and the dark theme. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { formatTicks, type UnitLadder } from '../format.js';

export interface ChartLine {
  readonly label: string;
  readonly color: string;
  readonly dash?: readonly number[];
  /** Filled band between this line and the next (min/max), drawn faintly. */
  readonly fill?: string;
}

export interface ChartProps {
  readonly title: string;
  /** x in epoch seconds, then one array per line (null = gap). */
  readonly data: uPlot.AlignedData;
  /**
   * The time span asked for, in epoch seconds. The axis always ends at its end ("now"), so a
   * miner that stopped reporting shows as empty space at the right; it starts at the first data
   * point when that is later, so a young miner's history is not squeezed into the right edge.
   */
  readonly xRange: readonly [number, number] | null;
  readonly lines: readonly ChartLine[];
  /** Legend values. */
  readonly format: (value: number) => string;
  /** Units of the y-axis labels. */
  readonly units: UnitLadder;
  readonly height?: number;
  readonly id: string;
}

const AXIS = '#8b95a7';
const GRID = 'rgba(139,149,167,0.15)';

export function xScale(
  asked: readonly [number, number] | null,
  dataMin: number | null,
  dataMax: number | null,
): uPlot.Range.MinMax {
  if (asked === null) return [dataMin, dataMax];
  const start = dataMin === null ? asked[0] : Math.min(Math.max(asked[0], dataMin), asked[1] - 60);
  return [start, asked[1]];
}

function options(
  props: ChartProps,
  width: number,
  xRange: { current: readonly [number, number] | null },
): uPlot.Options {
  const fmt = props.format;
  const units = props.units;
  return {
    width,
    height: props.height ?? 200,
    cursor: { drag: { x: false, y: false } },
    legend: { show: true, live: true },
    scales: {
      x: {
        time: true,
        range: (_u, min, max) => xScale(xRange.current, min, max),
      },
    },
    axes: [
      { stroke: AXIS, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1 } },
      {
        stroke: AXIS,
        grid: { stroke: GRID, width: 1 },
        ticks: { stroke: GRID, width: 1 },
        // Wide enough for the longest label, so "12.550 TH/s" is never clipped on the left.
        size: (_u, values) => 18 + 7 * Math.max(6, ...(values ?? []).map((v) => v.length)),
        values: (_u, splits) => formatTicks(splits, units),
      },
    ],
    series: [
      {},
      ...props.lines.map(
        (line): uPlot.Series => ({
          label: line.label,
          stroke: line.color,
          width: 1.5,
          spanGaps: false,
          // Dots only where data is sparse enough that a line alone could hide a lone point.
          points: { space: 30 },
          value: (_u, v) => (v === null || v === undefined ? '—' : fmt(v)),
          ...(line.dash === undefined ? {} : { dash: [...line.dash] }),
          ...(line.fill === undefined ? {} : { fill: line.fill }),
        }),
      ),
    ],
  };
}

export function Chart(props: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const xRange = useRef(props.xRange);
  xRange.current = props.xRange;
  const shape = `${props.lines.map((l) => l.label).join('|')}`;

  useEffect(() => {
    const el = host.current;
    if (el === null) return;
    const made = new uPlot(options(props, Math.max(200, el.clientWidth), xRange), props.data, el);
    plot.current = made;
    const observer = new ResizeObserver(() => {
      made.setSize({ width: Math.max(200, el.clientWidth), height: props.height ?? 200 });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      made.destroy();
      plot.current = null;
    };
    // The plot is rebuilt only when its lines change; new data goes through setData below.
  }, [shape]);

  useEffect(() => {
    plot.current?.setData(props.data);
  }, [props.data]);

  const points = props.data[0].length;
  return (
    <figure class="chart" data-chart={props.id} data-points={points}>
      <figcaption>{props.title}</figcaption>
      <div ref={host} class="chart-host" />
      {points === 0 ? <div class="chart-empty muted">No data in this range yet.</div> : null}
    </figure>
  );
}
