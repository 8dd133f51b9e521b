/** A tiny SVG line of recent hashrate, scaled to its own range so a dip is visible at a glance. */
import type { SparkPoint } from '../store.js';

const WIDTH = 96;
const HEIGHT = 24;

export function sparkPath(points: readonly SparkPoint[], width = WIDTH, height = HEIGHT): string {
  if (points.length < 2) return '';
  const t0 = points[0]!.t;
  const t1 = points.at(-1)!.t;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    lo = Math.min(lo, p.v);
    hi = Math.max(hi, p.v);
  }
  // A flat line sits in the middle rather than on an edge.
  const span = hi - lo || Math.max(Math.abs(hi), 1);
  const base = hi - lo === 0 ? lo - span / 2 : lo;
  const dt = t1 - t0 || 1;
  return points
    .map((p, i) => {
      const x = ((p.t - t0) / dt) * width;
      const y = height - 1 - ((p.v - base) / span) * (height - 2);
      return `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

export function Sparkline({ points }: { points: readonly SparkPoint[] | undefined }) {
  const d = sparkPath(points ?? []);
  return (
    <svg class="spark" width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-hidden="true">
      {d === '' ? null : <path d={d} fill="none" stroke="currentColor" stroke-width="1.5" />}
    </svg>
  );
}
