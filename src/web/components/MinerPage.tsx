/** One miner: what it reports now, its history over a chosen range, and its controls. */

import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { api, isApiFailure } from '../api.js';
import {
  CELSIUS_LADDER,
  DASH,
  formatAgo,
  formatCount,
  formatDifficulty,
  formatDuration,
  formatHashrate,
  formatPercent,
  formatTemp,
  formatWatts,
  HASH_UNITS_LADDER,
  rejectFraction,
  WATT_LADDER,
} from '../format.js';
import { type RangeKey, rangeOf, useRangeData } from '../range.js';
import { store } from '../store.js';
import type { AlertRecord, ListedMiner, MinerSample, Series, SeriesPoint } from '../types.js';
import { AlertsList } from './AlertsList.js';
import { BreakerBadge, StatusBadge } from './Badge.js';
import { Chart } from './Chart.js';
import { DeviceLogin } from './DeviceLogin.js';
import { DeviceSettingsPanel } from './DeviceSettingsPanel.js';
import { MinerControls } from './MinerControls.js';
import { MinerTags } from './MinerTags.js';
import { RangePicker } from './RangePicker.js';
import { RestartButton } from './RestartButton.js';

type Field = keyof SeriesPoint['values'];
type Stat = 'avg' | 'min' | 'max';

/** Columns for uPlot: x in seconds, then each requested aggregate (null where the bucket lacks it). */
export function toAligned(
  series: Series | null,
  fields: readonly (readonly [Field, Stat])[],
): uPlot.AlignedData {
  const points = series?.points ?? [];
  const x = points.map((p) => p.timestamp / 1000);
  const columns = fields.map(([field, stat]) => points.map((p) => p.values[field]?.[stat] ?? null));
  return [x, ...columns] as uPlot.AlignedData;
}

function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/**
 * The newest of each field: the live list's sample (what the table shows, updated every second)
 * over the full sample this page fetched (pool, fans, firmware and the rest).
 */
function factsSample(miner: ListedMiner, detail: MinerSample | null): Partial<MinerSample> | null {
  if (miner.lastSample === null) return detail;
  if (detail === null) return miner.lastSample;
  return { ...detail, ...miner.lastSample };
}

function Facts({ miner, detail, now }: { miner: ListedMiner; detail: MinerSample | null; now: number }) {
  const s = factsSample(miner, detail);
  const reject = s === null ? null : rejectFraction(s.sharesAccepted ?? null, s.sharesRejected ?? null);
  const model = [s?.deviceModel, s?.asicModel].filter((v): v is string => typeof v === 'string').join(' · ');
  return (
    <dl class="facts">
      <Fact label="Hashrate">
        {formatHashrate(s?.hashrateGhs)}{' '}
        <span class="muted">of {formatHashrate(s?.expectedHashrateGhs)}</span>
      </Fact>
      <Fact label="Chip / VR temp">
        {formatTemp(s?.maxChipTemperatureC ?? s?.temperatureC)} / {formatTemp(s?.vrTemperatureC)}
      </Fact>
      <Fact label="Power">
        {formatWatts(s?.powerW)}
        {typeof s?.inputVoltageV === 'number' ? ` at ${s.inputVoltageV.toFixed(2)} V` : ''}
      </Fact>
      <Fact label="Fans">
        {s?.fanRpm === undefined || s.fanRpm.length === 0 ? DASH : s.fanRpm.map((r) => `${r} rpm`).join(', ')}
        {typeof s?.fanPercent === 'number' ? ` (${s.fanPercent}%)` : ''}
      </Fact>
      <Fact label="Shares">
        {formatCount(s?.sharesAccepted)} accepted, {s?.sharesRejected ?? DASH} rejected (
        {formatPercent(reject ?? 0)})
      </Fact>
      <Fact label="Best difficulty">
        {formatDifficulty(miner.bestDifficulty ?? s?.bestDifficulty)}{' '}
        <span class="muted">session {formatDifficulty(s?.sessionBestDifficulty)}</span>
      </Fact>
      <Fact label="Uptime">{formatDuration(s?.uptimeS)}</Fact>
      <Fact label="Last seen">{formatAgo(miner.lastSeenAt, now)}</Fact>
      <Fact label="Address">
        {miner.host}:{miner.port} <span class="muted">({miner.kind})</span>
      </Fact>
      <Fact label="Hostname">{miner.hostname ?? s?.hostname ?? DASH}</Fact>
      <Fact label="MAC">{miner.mac ?? DASH}</Fact>
      <Fact label="Model">{model === '' ? DASH : model}</Fact>
      <Fact label="Firmware">{s?.firmware ?? DASH}</Fact>
      <Fact label="Pool">{s?.poolUrl ?? DASH}</Fact>
      <Fact label="Pool user">
        <span class="break">{s?.poolUser ?? DASH}</span>
      </Fact>
      <Fact label="Last reboot reason">{s?.resetReason ?? DASH}</Fact>
      <Fact label="Breaker">
        <BreakerBadge state={miner.breaker?.state} />
        {miner.breaker !== null && miner.breaker.failureCount > 0
          ? ` ${miner.breaker.failureCount} failures`
          : ''}
      </Fact>
      <Fact label="Poll every">{formatDuration(miner.intervalMs / 1000)}</Fact>
    </dl>
  );
}

const HASH_FIELDS = [
  ['hashrateGhs', 'avg'],
  ['expectedHashrateGhs', 'avg'],
] as const;
const TEMP_FIELDS = [
  ['temperatureC', 'avg'],
  ['vrTemperatureC', 'avg'],
] as const;
const POWER_FIELDS = [['powerW', 'avg']] as const;

export function MinerPage(props: {
  id: string;
  miners: readonly ListedMiner[];
  alerts: readonly AlertRecord[];
  now: number;
}) {
  const { id, now } = props;
  const fromStore = props.miners.find((m) => m.id === id) ?? null;
  const [missing, setMissing] = useState<string | null>(null);
  const [fetched, setFetched] = useState(false);
  const [detail, setDetail] = useState<MinerSample | null>(null);
  const [rangeKey, setRangeKey] = useState<RangeKey>('1h');
  const { data: series, error } = useRangeData(id, rangeOf(rangeKey), (range, signal) =>
    api.series(id, range, signal),
  );

  useEffect(() => {
    const controller = new AbortController();
    api.miner(id, controller.signal).then(
      (miner) => {
        setMissing(null);
        setFetched(true);
        setDetail(miner.lastSample);
        store.upsertMiner(miner);
      },
      (e: unknown) => {
        if (controller.signal.aborted) return;
        if (isApiFailure(e) && e.status === 404) setMissing('No miner with that id.');
        else setMissing(e instanceof Error ? e.message : String(e));
      },
    );
    return () => controller.abort();
  }, [id]);

  const hash = useMemo(() => toAligned(series, HASH_FIELDS), [series]);
  const temps = useMemo(() => toAligned(series, TEMP_FIELDS), [series]);
  const power = useMemo(() => toAligned(series, POWER_FIELDS), [series]);
  const xRange = useMemo(
    () => (series === null ? null : ([series.from / 1000, series.to / 1000] as const)),
    [series],
  );

  if (fromStore === null) {
    return (
      <main class="page">
        <p>
          <a href="#/">← All miners</a>
        </p>
        <p class={missing === null ? 'muted' : 'error'}>
          {missing ?? (fetched ? 'This miner is no longer watched.' : 'Loading…')}
        </p>
      </main>
    );
  }
  const miner = fromStore;
  return (
    <main class="page miner-page" data-miner-id={miner.id}>
      <p class="crumbs">
        <a href="#/">← All miners</a>
      </p>
      <header class="miner-head">
        <h1 class="miner-title">{miner.name}</h1>
        <StatusBadge status={miner.status} reason={miner.statusReason} />
        <span class="spacer" />
        <RestartButton miner={miner} />
      </header>
      {miner.statusReason === null ? null : <p class="status-reason muted">{miner.statusReason}</p>}
      {miner.lastError === null ? null : <p class="error last-error">Last error: {miner.lastError}</p>}
      {miner.polledBy === undefined ? null : (
        <p class="polled-by muted">Polled by {miner.polledBy ?? 'no instance'}</p>
      )}
      {miner.restart === null ? null : (
        <p class="restart-state" data-restart={miner.restart.state}>
          Restart {miner.restart.state} ({formatAgo(miner.restart.requestedAt, now)}): {miner.restart.detail}
        </p>
      )}
      <Facts miner={miner} detail={detail} now={now} />
      <MinerTags key={`tags-${miner.id}`} miner={miner} />
      <RangePicker
        value={rangeKey}
        onChange={setRangeKey}
        note={series === null ? null : `${series.points.length} points, ${series.source} data`}
      />
      {error === null ? null : <p class="error">{error}</p>}
      <div class="charts">
        <Chart
          id="hashrate"
          title="Hashrate vs expected"
          units={HASH_UNITS_LADDER}
          xRange={xRange}
          data={hash}
          lines={[
            { label: 'hashrate', color: '#4fc3f7' },
            { label: 'expected', color: '#8b95a7', dash: [6, 4] },
          ]}
          format={(v) => formatHashrate(v)}
        />
        <Chart
          id="temperature"
          title="Temperatures"
          units={CELSIUS_LADDER}
          xRange={xRange}
          data={temps}
          lines={[
            { label: 'chip', color: '#ffb74d' },
            { label: 'VR', color: '#e57373' },
          ]}
          format={(v) => formatTemp(v)}
        />
        <Chart
          id="power"
          title="Power"
          units={WATT_LADDER}
          xRange={xRange}
          data={power}
          lines={[{ label: 'power', color: '#aed581' }]}
          format={(v) => formatWatts(v)}
        />
      </div>
      <AlertsList alerts={props.alerts} miners={props.miners} now={now} minerId={miner.id} />
      <DeviceLogin key={`login-${miner.id}`} miner={miner} />
      <DeviceSettingsPanel key={`settings-${miner.id}`} miner={miner} />
      <MinerControls key={miner.id} miner={miner} />
    </main>
  );
}
