/** The fleet at a glance: what it makes, what it burns, and how long a block may take. */
import type { ComponentChildren } from 'preact';
import {
  formatAgo,
  formatCount,
  formatDifficulty,
  formatDuration,
  formatEfficiency,
  formatHashrate,
  formatMoney,
  formatOneIn,
  formatPercent,
  formatWatts,
  rejectFraction,
} from '../format.js';
import { minerHref } from '../route.js';
import type { SparkPoint } from '../store.js';
import type { FleetSummary, ListedMiner, SoloOdds } from '../types.js';
import { Sparkline } from './Sparkline.js';

const SOURCE_LABEL: Readonly<Record<SoloOdds['difficultySource'], string>> = {
  miner: 'reported by a miner',
  config: 'from the config file',
  api: 'from a public API',
};

const PERIODS = [
  ['day', 'probabilityDay'],
  ['month', 'probabilityMonth'],
  ['year', 'probabilityYear'],
] as const;

function Tile(props: { label: string; value: string; sub?: ComponentChildren; tone?: string; id?: string }) {
  return (
    <div class={`tile ${props.tone === undefined ? '' : `tone-${props.tone}`}`} data-tile={props.id}>
      <div class="tile-label">{props.label}</div>
      <div class="tile-value">{props.value}</div>
      {props.sub === undefined ? null : <div class="tile-sub">{props.sub}</div>}
    </div>
  );
}

export function SoloOddsTile({ odds, now }: { odds: SoloOdds | null; now: number }) {
  if (odds === null) {
    return (
      <div class="tile odds" data-tile="odds">
        <div class="tile-label">Solo odds</div>
        <div class="tile-value">—</div>
        <div class="tile-sub">No network difficulty known yet.</div>
      </div>
    );
  }
  return (
    <div class="tile odds" data-tile="odds">
      <div class="tile-label">Expected time to a block</div>
      <div class="tile-value">{formatDuration(odds.expectedSecondsToBlock)}</div>
      <dl class="odds-grid">
        {PERIODS.map(([label, key]) => (
          <div key={key}>
            <dt>chance per {label}</dt>
            <dd title={formatOneIn(odds[key])}>{formatPercent(odds[key])}</dd>
          </div>
        ))}
      </dl>
      <div class="tile-sub" data-difficulty-source={odds.difficultySource}>
        Network difficulty {formatDifficulty(odds.networkDifficulty)}, {SOURCE_LABEL[odds.difficultySource]},{' '}
        {formatAgo(odds.difficultyUpdatedAt, now)}
      </div>
    </div>
  );
}

export function FleetTotals(props: {
  fleet: FleetSummary | null;
  miners: readonly ListedMiner[];
  /** J/TH over the last hour, as the summary reported it. */
  efficiency: readonly SparkPoint[];
  now: number;
}) {
  const { fleet, miners, efficiency, now } = props;
  if (fleet === null) return <section class="tiles" aria-busy="true" />;
  const ratio = fleet.expectedHashrateGhs > 0 ? fleet.hashrateGhs / fleet.expectedHashrateGhs : null;
  const tone = ratio === null ? undefined : ratio >= 0.9 ? 'good' : ratio >= 0.7 ? 'warn' : 'bad';
  const best = miners.find((m) => m.id === fleet.bestDifficultyMinerId);
  const reject = rejectFraction(fleet.sharesAccepted, fleet.sharesRejected);
  const m = fleet.miners;
  const energy = fleet.energy;
  return (
    <section class="tiles" aria-label="Fleet totals">
      <Tile
        id="hashrate"
        label="Hashrate"
        value={formatHashrate(fleet.hashrateGhs)}
        {...(tone === undefined ? {} : { tone })}
        sub={
          <>
            of {formatHashrate(fleet.expectedHashrateGhs)} expected
            {ratio === null ? '' : ` (${formatPercent(ratio)})`}
          </>
        }
      />
      <Tile
        id="miners"
        label="Miners"
        value={`${m.online}/${m.total} online`}
        {...(m.offline > 0 ? { tone: 'bad' } : m.degraded > 0 ? { tone: 'warn' } : {})}
        sub={
          <>
            {m.degraded} degraded, {m.offline} offline
            <br />
            {formatCount(fleet.sharesAccepted)} shares, {formatPercent(reject ?? 0)} rejected
          </>
        }
      />
      <Tile
        id="power"
        label="Power"
        value={formatWatts(fleet.powerW)}
        sub={
          <>
            {formatEfficiency(fleet.efficiencyJth)}
            <Sparkline points={efficiency} />
            {energy === null || energy === undefined ? null : (
              <span data-energy="cost">
                {formatMoney(energy.costPerDay, energy.currency)}/day,{' '}
                {formatMoney(energy.costPerMonth, energy.currency)}/month
                <br />
                one expected block: {formatMoney(energy.costPerExpectedBlock, energy.currency)}
              </span>
            )}
          </>
        }
      />
      <Tile
        id="best"
        label="Best difficulty"
        value={formatDifficulty(fleet.bestDifficulty)}
        sub={best === undefined ? undefined : <a href={minerHref(best.id)}>{best.name}</a>}
      />
      <SoloOddsTile odds={fleet.soloOdds} now={now} />
    </section>
  );
}
