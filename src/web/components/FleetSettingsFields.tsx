/** The inputs for settings sent to many miners at once: a fleet action's or a profile's. */
import type { FleetSettingsForm } from '../fleetSettingsForm.js';
import type { FieldError } from '../settingsForm.js';

export function FleetSettingsFields(props: {
  /** Prefixes the inputs' names, so two forms on one page stay apart. */
  prefix: string;
  form: FleetSettingsForm;
  error: FieldError | null;
  onChange: (form: FleetSettingsForm) => void;
}) {
  const { form, prefix, error } = props;
  const set = (patch: Partial<FleetSettingsForm>) => props.onChange({ ...form, ...patch });
  const setPool = (index: number, patch: Partial<FleetSettingsForm['pools'][number]>) =>
    set({ pools: form.pools.map((p, i) => (i === index ? { ...p, ...patch } : p)) });
  return (
    <div class="fleet-settings">
      <p class="muted">Leave a field blank to leave it as each miner has it.</p>
      <div class="setting-row">
        <span class="setting-label">Frequency</span>
        <input
          name={`${prefix}-frequencyMhz`}
          aria-label="Frequency MHz"
          type="number"
          value={form.frequencyMhz}
          onInput={(e) => set({ frequencyMhz: e.currentTarget.value })}
        />{' '}
        MHz
      </div>
      <div class="setting-row">
        <span class="setting-label">Core voltage</span>
        <input
          name={`${prefix}-coreVoltageMv`}
          aria-label="Core voltage mV"
          type="number"
          value={form.coreVoltageMv}
          onInput={(e) => set({ coreVoltageMv: e.currentTarget.value })}
        />{' '}
        mV
      </div>
      <div class="setting-row">
        <span class="setting-label">Fan</span>
        <select
          name={`${prefix}-fan`}
          aria-label="Fan"
          value={form.fan}
          onChange={(e) => set({ fan: e.currentTarget.value as FleetSettingsForm['fan'] })}
        >
          <option value="keep">as it is</option>
          <option value="auto">auto</option>
          <option value="manual">manual</option>
        </select>
        {form.fan === 'auto' ? (
          <span>
            {' '}
            target{' '}
            <input
              name={`${prefix}-targetTempC`}
              aria-label="Fan target °C"
              type="number"
              value={form.targetTempC}
              onInput={(e) => set({ targetTempC: e.currentTarget.value })}
            />{' '}
            °C
          </span>
        ) : form.fan === 'manual' ? (
          <span>
            {' '}
            <input
              name={`${prefix}-fanPercent`}
              aria-label="Fan %"
              type="number"
              value={form.fanPercent}
              onInput={(e) => set({ fanPercent: e.currentTarget.value })}
            />{' '}
            %
          </span>
        ) : null}
      </div>
      {form.pools.map((pool, i) => (
        <div class="pool-row" key={`pool-${String(i)}`}>
          <input
            name={`${prefix}-pool-${i}-url`}
            aria-label={`Pool ${i + 1} URL`}
            placeholder={i === 0 ? 'pool: stratum+tcp://host:port' : 'fallback pool'}
            value={pool.url}
            onInput={(e) => setPool(i, { url: e.currentTarget.value })}
          />
          <input
            name={`${prefix}-pool-${i}-user`}
            aria-label={`Pool ${i + 1} user`}
            placeholder="user"
            value={pool.user}
            onInput={(e) => setPool(i, { user: e.currentTarget.value })}
          />
          <input
            name={`${prefix}-pool-${i}-password`}
            aria-label={`Pool ${i + 1} password`}
            type="password"
            autocomplete="off"
            placeholder="password (write-only)"
            value={pool.password}
            onInput={(e) => setPool(i, { password: e.currentTarget.value })}
          />
        </div>
      ))}
      {error === null ? null : (
        <p class="error" role="alert" data-field-error={error.field ?? 'form'}>
          {error.message}
        </p>
      )}
    </div>
  );
}
