/**
 * One row per miner. Every string a device sends (name, hostname) goes through JSX text nodes,
 * which Preact sets with textContent: markup in a hostname shows as the characters it is.
 */
import {
  DASH,
  formatAgo,
  formatDifficulty,
  formatDuration,
  formatHashrate,
  formatPercent,
  formatTemp,
  formatWatts,
  rejectFraction,
} from '../format.js';
import { minerHref } from '../route.js';
import type { SparkPoint } from '../store.js';
import type { MinerView } from '../types.js';
import { BreakerBadge, StatusBadge } from './Badge.js';
import { Sparkline } from './Sparkline.js';

function hashTone(miner: MinerView): string {
  const s = miner.lastSample;
  if (s === null || s.hashrateGhs === null || s.expectedHashrateGhs === null || s.expectedHashrateGhs <= 0)
    return '';
  const r = s.hashrateGhs / s.expectedHashrateGhs;
  return r >= 0.9 ? '' : r >= 0.7 ? 'text-warn' : 'text-bad';
}

function tempTone(c: number | null): string {
  if (c === null) return '';
  return c >= 70 ? 'text-bad' : c >= 62 ? 'text-warn' : '';
}

function MinerRow({
  miner,
  spark,
  now,
}: {
  miner: MinerView;
  spark: readonly SparkPoint[] | undefined;
  now: number;
}) {
  const s = miner.lastSample;
  const stale = miner.status === 'offline' || miner.status === 'breaker_open';
  const reject = s === null ? null : rejectFraction(s.sharesAccepted, s.sharesRejected);
  const chip = s?.maxChipTemperatureC ?? s?.temperatureC ?? null;
  const best = miner.bestDifficulty ?? s?.bestDifficulty ?? null;
  return (
    <tr data-miner-id={miner.id} class={stale ? 'stale' : ''}>
      <td data-label="Status">
        <StatusBadge status={miner.status} reason={miner.statusReason} />
      </td>
      <td data-label="Miner" class="miner-name">
        <a href={minerHref(miner.id)} class="name">
          {miner.name}
        </a>
        <div class="sub muted">
          {miner.hostname ?? miner.host}
          {miner.hostname !== null && miner.hostname !== miner.host ? ` · ${miner.host}` : ''}
        </div>
      </td>
      <td data-label="Hashrate" class="num">
        <div class={`hashrate ${hashTone(miner)}`} data-field="hashrate">
          {formatHashrate(s?.hashrateGhs)}
        </div>
        <Sparkline points={spark} />
        <div class="sub muted">of {formatHashrate(s?.expectedHashrateGhs)}</div>
      </td>
      <td data-label="Temp" class="num">
        <span class={tempTone(chip)}>{formatTemp(chip)}</span>
        <div class="sub muted">VR {formatTemp(s?.vrTemperatureC)}</div>
      </td>
      <td data-label="Power" class="num">
        {formatWatts(s?.powerW)}
      </td>
      <td data-label="Shares" class="num">
        {s?.sharesAccepted?.toLocaleString('en-US') ?? DASH}
        <div class={`sub ${reject !== null && reject > 0.02 ? 'text-warn' : 'muted'}`}>
          {s?.sharesRejected ?? DASH} rej ({formatPercent(reject ?? 0)})
        </div>
      </td>
      <td data-label="Best diff" class="num">
        {formatDifficulty(best)}
      </td>
      <td data-label="Uptime" class="num">
        {formatDuration(s?.uptimeS)}
        {stale ? <div class="sub muted">seen {formatAgo(miner.lastSeenAt, now)}</div> : null}
      </td>
      <td data-label="Breaker">
        <BreakerBadge state={miner.breaker?.state} />
      </td>
    </tr>
  );
}

export function MinerTable(props: {
  miners: readonly MinerView[];
  sparks: Readonly<Record<string, readonly SparkPoint[]>>;
  loaded: boolean;
  now: number;
}) {
  const { miners, sparks, loaded, now } = props;
  if (loaded && miners.length === 0) {
    return <p class="empty">No miners yet. Add one below by its IP address.</p>;
  }
  return (
    <table class="miners cards" aria-label="Miners">
      <thead>
        <tr>
          <th>Status</th>
          <th>Miner</th>
          <th class="num">Hashrate</th>
          <th class="num">Temp</th>
          <th class="num">Power</th>
          <th class="num">Shares</th>
          <th class="num">Best diff</th>
          <th class="num">Uptime</th>
          <th>Breaker</th>
        </tr>
      </thead>
      <tbody>
        {miners.map((m) => (
          <MinerRow key={m.id} miner={m} spark={sparks[m.id]} now={now} />
        ))}
      </tbody>
    </table>
  );
}
