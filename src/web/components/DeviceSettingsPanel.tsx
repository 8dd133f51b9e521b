/**
 * A miner's own settings, read from the device when the panel opens: frequency, core voltage,
 * fan, work mode (a menu where the device has one), pools and hostname, each bounded by what this model and firmware accept, and the pause,
 * resume and identify commands where the device offers them. A change is written, read back and
 * compared by the server; the panel shows what took, what did not, and whether a restart is due.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, isApiFailure } from '../api.js';
import { type FieldError, fieldOfMessage, formOf, patchOf, type SettingsForm } from '../settingsForm.js';
import type { ApplyResult, ListedMiner, NumericCapability, SettingField, SettingsReading } from '../types.js';
import { RestartButton } from './RestartButton.js';

/** The server's words, with how long to wait when the miner's breaker is open. */
function failureOf(failure: unknown): FieldError {
  if (!isApiFailure(failure)) return { field: null, message: String(failure) };
  const wait =
    failure.retryAfterMs === null ? '' : ` (try again in ${Math.ceil(failure.retryAfterMs / 1000)} s)`;
  const field = failure.status === 400 || failure.status === 422 ? fieldOfMessage(failure.message) : null;
  return { field, message: `${failure.message}${wait}` };
}

function Why({ field, error }: { field: SettingField; error: FieldError | null }) {
  if (error?.field !== field) return null;
  return (
    <span class="error field-error" role="alert" data-field-error={field}>
      {error.message}
    </span>
  );
}

function Row(props: { label: string; cannot: string | null; children: ComponentChildren }) {
  return (
    <div class="setting-row">
      <span class="setting-label">{props.label}</span>
      {props.children}
      {props.cannot === null ? null : <span class="muted why-not">{props.cannot}</span>}
    </div>
  );
}

/** A select where the device takes only its menu, a bounded number otherwise. */
function NumberSetting(props: {
  name: SettingField;
  value: string;
  capability: NumericCapability | null;
  unit: string;
  onInput: (value: string) => void;
}) {
  const { capability: cap, name, value } = props;
  if (cap?.optionsOnly) {
    const options =
      cap.options.includes(Number(value)) || value === '' ? cap.options : [Number(value), ...cap.options];
    return (
      <select
        name={name}
        aria-label={name}
        value={value}
        onChange={(e) => props.onInput(e.currentTarget.value)}
      >
        {options.map((o) => (
          <option key={o} value={String(o)}>
            {o} {props.unit}
            {o === cap.default ? ' (default)' : ''}
          </option>
        ))}
      </select>
    );
  }
  return (
    <>
      <input
        name={name}
        aria-label={name}
        type="number"
        value={value}
        disabled={cap === null}
        {...(cap === null ? {} : { min: cap.min, max: cap.max, list: `${name}-options` })}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />{' '}
      {props.unit}
      {cap === null ? null : (
        <>
          <span class="muted range">
            {' '}
            {cap.min}–{cap.max}
            {cap.default === null ? '' : `, default ${cap.default}`}
          </span>
          <datalist id={`${name}-options`}>
            {cap.options.map((o) => (
              <option key={o} value={String(o)} />
            ))}
          </datalist>
        </>
      )}
    </>
  );
}

const CANNOT = 'this device cannot set it';

function SettingsFormView(props: {
  miner: ListedMiner;
  reading: SettingsReading;
  onApplied: (result: ApplyResult) => void;
}) {
  const { settings, capabilities: caps } = props.reading;
  const [form, setForm] = useState<SettingsForm>(() => formOf(settings, caps));
  const [error, setError] = useState<FieldError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<SettingsForm>) => setForm({ ...form, ...patch });
  const setPool = (index: number, patch: Partial<SettingsForm['pools'][number]>) =>
    set({ pools: form.pools.map((p, i) => (i === index ? { ...p, ...patch } : p)) });

  const submit = async (event: Event) => {
    event.preventDefault();
    const patch = patchOf(form, settings, caps);
    if ('message' in patch) {
      setError(patch);
      return;
    }
    if (Object.keys(patch).length === 0) {
      setError({ field: null, message: 'Nothing changed.' });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      props.onApplied(await api.changeDeviceSettings(props.miner.id, patch));
    } catch (failure) {
      setError(failureOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const fan = caps.fan;
  return (
    <form class="device-settings-form" onSubmit={submit} noValidate>
      <Row label="Frequency" cannot={caps.frequencyMhz === null ? CANNOT : null}>
        <NumberSetting
          name="frequencyMhz"
          value={form.frequencyMhz}
          capability={caps.frequencyMhz}
          unit="MHz"
          onInput={(frequencyMhz) => set({ frequencyMhz })}
        />
        <Why field="frequencyMhz" error={error} />
      </Row>
      <Row label="Core voltage" cannot={caps.coreVoltageMv === null ? CANNOT : null}>
        <NumberSetting
          name="coreVoltageMv"
          value={form.coreVoltageMv}
          capability={caps.coreVoltageMv}
          unit="mV"
          onInput={(coreVoltageMv) => set({ coreVoltageMv })}
        />
        <Why field="coreVoltageMv" error={error} />
      </Row>
      <Row label="Fan" cannot={fan === null ? CANNOT : null}>
        <select
          name="fanMode"
          aria-label="Fan mode"
          value={form.fanMode}
          disabled={fan === null}
          onChange={(e) => set({ fanMode: e.currentTarget.value as 'auto' | 'manual' })}
        >
          <option value="auto" disabled={fan !== null && !fan.auto}>
            auto
          </option>
          <option value="manual" disabled={fan?.manualPercent == null}>
            manual
          </option>
        </select>
        {form.fanMode === 'auto' ? (
          <span>
            {' '}
            target{' '}
            <input
              name="targetTempC"
              aria-label="Fan target temperature"
              type="number"
              value={form.targetTempC}
              disabled={fan?.targetTempC == null}
              {...(fan?.targetTempC ? { min: fan.targetTempC.min, max: fan.targetTempC.max } : {})}
              onInput={(e) => set({ targetTempC: e.currentTarget.value })}
            />{' '}
            °C
            {fan !== null && fan.targetTempC === null ? (
              <span class="muted why-not"> no target on this device</span>
            ) : null}
          </span>
        ) : (
          <span>
            {' '}
            <input
              name="fanPercent"
              aria-label="Fan percent"
              type="number"
              value={form.fanPercent}
              {...(fan?.manualPercent ? { min: fan.manualPercent.min, max: fan.manualPercent.max } : {})}
              onInput={(e) => set({ fanPercent: e.currentTarget.value })}
            />{' '}
            %
          </span>
        )}
        <Why field="fan" error={error} />
      </Row>
      <fieldset class="pools" disabled={caps.pools === null}>
        <legend>
          Pools{' '}
          <span class="muted">
            {caps.pools === null ? CANNOT : 'primary first; an empty password keeps the one the device has'}
          </span>
        </legend>
        {form.pools.map((pool, i) => (
          <div class="pool-row" key={i} data-pool={i}>
            <input
              name={`pool-${i}-url`}
              aria-label={`Pool ${i + 1} URL`}
              placeholder="stratum+tcp://host:port"
              value={pool.url}
              onInput={(e) => setPool(i, { url: e.currentTarget.value })}
            />
            <input
              name={`pool-${i}-user`}
              aria-label={`Pool ${i + 1} user`}
              placeholder="user"
              value={pool.user}
              onInput={(e) => setPool(i, { user: e.currentTarget.value })}
            />
            <input
              name={`pool-${i}-password`}
              aria-label={`Pool ${i + 1} password`}
              type="password"
              autocomplete="off"
              placeholder="unchanged"
              value={pool.password}
              onInput={(e) => setPool(i, { password: e.currentTarget.value })}
            />
          </div>
        ))}
        <Why field="pools" error={error} />
      </fieldset>
      {caps.workModes === null ? null : (
        <Row label="Work mode" cannot={null}>
          <select
            name="workMode"
            aria-label="Work mode"
            value={form.workMode}
            onChange={(e) => set({ workMode: e.currentTarget.value })}
          >
            {form.workMode === '' ? <option value="">(not reported)</option> : null}
            {caps.workModes.map((mode) => (
              <option key={mode.value} value={String(mode.value)}>
                {mode.name ?? `Mode ${mode.value}`}
              </option>
            ))}
          </select>
          <Why field="workMode" error={error} />
        </Row>
      )}
      <Row label="Hostname" cannot={caps.hostname === null ? CANNOT : null}>
        <input
          name="hostname"
          aria-label="Hostname"
          value={form.hostname}
          disabled={caps.hostname === null}
          {...(caps.hostname === null ? {} : { maxLength: caps.hostname.maxLength })}
          onInput={(e) => set({ hostname: e.currentTarget.value })}
        />
        <Why field="hostname" error={error} />
      </Row>
      <div class="control-row">
        <button type="submit" disabled={busy} data-action="apply-settings">
          {busy ? 'Writing…' : 'Apply'}
        </button>
        <span class="muted">
          Ranges from {caps.source}
          {caps.restartRequiredFor.length > 0 ? `; ${caps.restartRequiredFor.join(', ')} need a restart` : ''}
        </span>
      </div>
      {error === null || error.field !== null ? null : (
        <p class="error" role="alert" data-field-error="form">
          {error.message}
        </p>
      )}
    </form>
  );
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function Outcome({ miner, result }: { miner: ListedMiner; result: ApplyResult }) {
  return (
    <div class="apply-result" data-testid="apply-result">
      <p>
        Applied:{' '}
        <span data-testid="applied">
          {result.applied.length === 0 ? 'nothing' : result.applied.join(', ')}
        </span>
        . Read back: <span data-testid="read-back-frequency">{show(result.readBack.frequencyMhz)}</span> MHz,{' '}
        {show(result.readBack.coreVoltageMv)} mV
        {result.readBack.workMode === null ? null : (
          <>
            , work mode <span data-testid="read-back-work-mode">{result.readBack.workMode}</span>
          </>
        )}
        .
      </p>
      {result.mismatches.length === 0 ? null : (
        <ul class="text-bad" data-testid="mismatches">
          {result.mismatches.map((m) => (
            <li key={m.field}>
              {m.field}: asked {show(m.wanted)}, device says {show(m.got)}
            </li>
          ))}
        </ul>
      )}
      {result.restartRequired ? (
        <p class="restart-required" data-testid="restart-required">
          Takes effect after a restart. <RestartButton miner={miner} />
        </p>
      ) : null}
    </div>
  );
}

const COMMANDS = ['pause', 'resume', 'identify'] as const;

export function DeviceSettingsPanel({ miner }: { miner: ListedMiner }) {
  const [open, setOpen] = useState(false);
  const [reading, setReading] = useState<SettingsReading | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [result, setResult] = useState<ApplyResult | null>(null);
  const [note, setNote] = useState<FieldError | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    setLoadError(null);
    api.deviceSettings(miner.id, controller.signal).then(
      (next) => setReading(next),
      (failure: unknown) => {
        if (!controller.signal.aborted) setLoadError(failureOf(failure).message);
      },
    );
    return () => controller.abort();
  }, [open, miner.id, generation]);

  const command = async (name: (typeof COMMANDS)[number]) => {
    setNote(null);
    try {
      const answer = await api.command(miner.id, name);
      setNote({ field: null, message: `${name}: ${answer.detail}` });
      setGeneration((g) => g + 1);
    } catch (failure) {
      setNote({ field: null, message: `${name} failed: ${failureOf(failure).message}` });
    }
  };

  const caps = reading?.capabilities;
  return (
    <details
      class="panel device-settings"
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>Device settings</summary>
      {reading === null || caps === undefined ? (
        <p class={loadError === null ? 'muted' : 'error'} role={loadError === null ? undefined : 'alert'}>
          {loadError ?? 'Reading the device…'}
        </p>
      ) : (
        <>
          <div class="control-row">
            <span data-testid="paused">
              {reading.settings.paused === null ? '' : reading.settings.paused ? 'Paused' : 'Hashing'}
            </span>
            {COMMANDS.filter((c) => caps.commands[c]).map((c) => (
              <button key={c} type="button" data-action={c} onClick={() => void command(c)}>
                {c === 'pause' ? 'Pause' : c === 'resume' ? 'Resume' : 'Identify'}
              </button>
            ))}
            <button type="button" class="link" onClick={() => setGeneration((g) => g + 1)}>
              Read again
            </button>
          </div>
          {note === null ? null : (
            <p class="muted" data-testid="command-note">
              {note.message}
            </p>
          )}
          {loadError === null ? null : <p class="error">{loadError}</p>}
          <SettingsFormView
            key={generation}
            miner={miner}
            reading={reading}
            onApplied={(applied) => {
              setResult(applied);
              setReading({ ...reading, settings: applied.readBack });
            }}
          />
          {result === null ? null : <Outcome miner={miner} result={result} />}
        </>
      )}
    </details>
  );
}
