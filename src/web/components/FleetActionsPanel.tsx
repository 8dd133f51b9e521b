/**
 * One command over many miners: restart, pause, resume, a settings change or a saved profile,
 * aimed at the miners selected in the table, a tag, or the whole fleet, rolled out a canary and
 * then batches at a time. After a confirmation it runs on the server; its progress comes over the
 * live stream, failures listed first and the rest counted, so 10,000 miners stay one short list.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { type ActionProgress, LIST_ORDER, rowsToShow } from '../actionProgress.js';
import { api, isApiFailure } from '../api.js';
import {
  describeSettings,
  EMPTY_FLEET_SETTINGS,
  type FleetSettingsForm,
  fleetSettingsOf,
} from '../fleetSettingsForm.js';
import { formatAgo } from '../format.js';
import { filterChoices } from '../minerQuery.js';
import type { FieldError } from '../settingsForm.js';
import { store, useStore } from '../store.js';
import type { ActionRequest, ActionSummary, ActionTarget, ListedMiner, Profile } from '../types.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { FleetSettingsFields } from './FleetSettingsFields.js';

type Choice = 'restart' | 'pause' | 'resume' | 'settings' | 'profile';
type TargetChoice = 'selected' | 'tag' | 'all';

const CHOICES: readonly (readonly [Choice, string])[] = [
  ['restart', 'Restart'],
  ['pause', 'Pause hashing'],
  ['resume', 'Resume hashing'],
  ['settings', 'Change settings'],
  ['profile', 'Apply a profile'],
];

/** Rows of one action's progress listed at most; the counts tell the rest. */
const ROWS_SHOWN = 50;
/** Recent actions listed. */
const RECENT_SHOWN = 10;

interface Planned {
  readonly request: ActionRequest;
  readonly description: string;
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

export function ActionProgressView(props: { progress: ActionProgress; names: ReadonlyMap<string, string> }) {
  const { progress, names } = props;
  const { rows, hidden } = useMemo(() => rowsToShow(progress, ROWS_SHOWN), [progress]);
  return (
    <div class="action-progress" data-action-id={progress.id} data-state={progress.state}>
      <p>
        {progress.action ?? 'Action'} <span class="muted">{progress.id}</span>:{' '}
        <strong data-testid="action-state">{progress.state}</strong>
      </p>
      {progress.halted ? (
        <p class="halted text-bad" role="alert" data-testid="halted">
          Halted: {progress.haltReason ?? 'a miner failed'}. Miners not yet started were skipped.
        </p>
      ) : null}
      <p class="action-counts">
        {LIST_ORDER.map((state) => (
          <span key={state} data-count={state}>
            {progress.counts[state]} {state}
          </span>
        ))}
      </p>
      <ul class="progress-list">
        {rows.map(([minerId, step]) => (
          <li key={minerId} data-miner-id={minerId} data-state={step.state}>
            <a href={`#/miners/${encodeURIComponent(minerId)}`}>{names.get(minerId) ?? minerId}</a>{' '}
            <span class={step.state === 'failed' ? 'text-bad' : 'muted'}>
              {step.state}
              {step.batch === null ? '' : step.batch === 0 ? ' (canary)' : ` (batch ${step.batch})`}
            </span>
            {step.error === null ? null : <span class="text-bad"> {step.error}</span>}
          </li>
        ))}
      </ul>
      {hidden > 0 ? <p class="muted">and {hidden} more, counted above</p> : null}
    </div>
  );
}

function RecentActions(props: {
  actions: readonly ActionSummary[];
  now: number;
  onShow: (id: string) => void;
}) {
  if (props.actions.length === 0) return <p class="muted">No fleet actions yet.</p>;
  return (
    <table class="recent-actions" aria-label="Recent fleet actions">
      <thead>
        <tr>
          <th>Action</th>
          <th>State</th>
          <th class="num">Verified</th>
          <th class="num">Failed</th>
          <th class="num">Skipped</th>
          <th>Started</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {props.actions.slice(0, RECENT_SHOWN).map((a) => (
          <tr key={a.id} data-action-id={a.id}>
            <td>{a.action}</td>
            <td class={a.halted ? 'text-bad' : ''}>{a.state}</td>
            <td class="num">{a.counts.verified}</td>
            <td class="num">{a.counts.failed}</td>
            <td class="num">{a.counts.skipped}</td>
            <td>{formatAgo(a.createdAt, props.now)}</td>
            <td>
              <button type="button" class="link" onClick={() => props.onShow(a.id)}>
                Show
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function wholeNumber(raw: string, min: number): number | null {
  const value = Number(raw);
  return raw.trim() !== '' && Number.isInteger(value) && value >= min ? value : null;
}

export function FleetActionsPanel({ now }: { now: number }) {
  const state = useStore();
  const { miners, selection, actions: progress, actionDraft } = state;
  const [choice, setChoice] = useState<Choice>('restart');
  const [targetChoice, setTargetChoice] = useState<TargetChoice>('selected');
  const [tag, setTag] = useState('');
  const [canary, setCanary] = useState('1');
  const [batchSize, setBatchSize] = useState('5');
  const [haltOnFailure, setHaltOnFailure] = useState(true);
  const [settingsForm, setSettingsForm] = useState<FleetSettingsForm>(EMPTY_FLEET_SETTINGS);
  const [profiles, setProfiles] = useState<readonly Profile[]>([]);
  const [profile, setProfile] = useState('');
  const [error, setError] = useState<FieldError | null>(null);
  const [planned, setPlanned] = useState<Planned | null>(null);
  const [current, setCurrent] = useState<string | null>(null);
  const [recent, setRecent] = useState<readonly ActionSummary[]>([]);

  const tags = useMemo(() => filterChoices(miners).tags, [miners]);
  const names = useMemo(() => new Map(miners.map((m: ListedMiner) => [m.id, m.name])), [miners]);
  const shown = current === null ? undefined : progress[current];
  const finished = shown !== undefined && shown.state !== 'running';

  useEffect(() => {
    const controller = new AbortController();
    api.actions(controller.signal).then(setRecent, () => undefined);
    return () => controller.abort();
  }, [finished, current]);

  useEffect(() => {
    if (choice !== 'profile') return;
    const controller = new AbortController();
    api.profiles(controller.signal).then(
      (list) => {
        setProfiles(list);
        if (list.length > 0 && !list.some((p) => p.name === profile)) setProfile(list[0]!.name);
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [choice, actionDraft]);

  // A profile's "Apply" elsewhere on the page lands here, ready to aim and confirm.
  useEffect(() => {
    if (actionDraft === null) return;
    setChoice('profile');
    setProfile(actionDraft.profile);
    store.update({ actionDraft: null });
    document.getElementById('fleet-actions-title')?.scrollIntoView({ block: 'start' });
  }, [actionDraft]);

  const targetOf = (): { target: ActionTarget; what: string } | FieldError => {
    if (targetChoice === 'all') return { target: { all: true }, what: plural(miners.length, 'miner') };
    if (targetChoice === 'tag') {
      if (tag === '') return { field: null, message: 'Choose a tag' };
      return { target: { tags: [tag] }, what: `the miners tagged ${tag}` };
    }
    // Only miners still watched: one removed since it was ticked would refuse the whole action.
    const ids = [...selection].filter((id) => names.has(id));
    if (ids.length === 0) return { field: null, message: 'Select miners in the table first' };
    return { target: { ids }, what: plural(ids.length, 'selected miner') };
  };

  const plan = (event: Event) => {
    event.preventDefault();
    setError(null);
    const aimed = targetOf();
    if ('message' in aimed) return setError(aimed);
    const c = wholeNumber(canary, 0);
    const b = wholeNumber(batchSize, 1);
    if (c === null) return setError({ field: null, message: 'Canary: a whole number, 0 or more' });
    if (b === null) return setError({ field: null, message: 'Batch size: a whole number, 1 or more' });
    const rollout = { canary: c, batchSize: b, haltOnFailure };
    const how = `${c === 0 ? 'no canary' : `${plural(c, 'canary miner')} first`}, then ${b} at a time${
      haltOnFailure ? ', halting at the first failure' : ''
    }`;
    let request: ActionRequest;
    let what: string;
    if (choice === 'settings') {
      const settings = fleetSettingsOf(settingsForm);
      if ('message' in settings) return setError(settings);
      request = { action: 'settings', target: aimed.target, settings, rollout };
      what = `Set ${describeSettings(settings)} on`;
    } else if (choice === 'profile') {
      if (profile === '') return setError({ field: null, message: 'Save a profile first' });
      request = { action: 'settings', target: aimed.target, profile, rollout };
      what = `Apply profile ${profile} to`;
    } else {
      request = { action: choice, target: aimed.target, rollout };
      what = `${choice[0]!.toUpperCase()}${choice.slice(1)}`;
    }
    setPlanned({ request, description: `${what} ${aimed.what}: ${how}.` });
  };

  const run = async () => {
    if (planned === null) return;
    const { id } = await api.startAction(planned.request);
    setCurrent(id);
    try {
      store.trackAction(await api.action(id));
    } catch (failure) {
      // The stream still brings its progress; the full list is a nicety.
      if (!isApiFailure(failure)) throw failure;
    }
  };

  const show = async (id: string) => {
    setCurrent(id);
    try {
      store.trackAction(await api.action(id));
    } catch (failure) {
      setError({ field: null, message: isApiFailure(failure) ? failure.message : String(failure) });
    }
  };

  return (
    <section class="panel fleet-actions" aria-labelledby="fleet-actions-title">
      <h2 id="fleet-actions-title">Fleet actions</h2>
      <form class="action-form" onSubmit={plan} noValidate>
        <div class="setting-row">
          <span class="setting-label">Action</span>
          <select
            name="action"
            aria-label="Action"
            value={choice}
            onChange={(e) => setChoice(e.currentTarget.value as Choice)}
          >
            {CHOICES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          {choice === 'profile' ? (
            <select
              name="profile"
              aria-label="Profile"
              value={profile}
              onChange={(e) => setProfile(e.currentTarget.value)}
            >
              {profiles.length === 0 ? <option value="">no profiles saved</option> : null}
              {profiles.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name}
                </option>
              ))}
            </select>
          ) : null}
        </div>
        {choice === 'settings' ? (
          <FleetSettingsFields prefix="action" form={settingsForm} error={null} onChange={setSettingsForm} />
        ) : null}
        <div class="setting-row">
          <span class="setting-label">Miners</span>
          <select
            name="target"
            aria-label="Target"
            value={targetChoice}
            onChange={(e) => setTargetChoice(e.currentTarget.value as TargetChoice)}
          >
            <option value="selected">selected in the table ({selection.size})</option>
            <option value="tag">with a tag</option>
            <option value="all">all ({miners.length})</option>
          </select>
          {targetChoice === 'tag' ? (
            <select name="tag" aria-label="Tag" value={tag} onChange={(e) => setTag(e.currentTarget.value)}>
              <option value="">choose a tag</option>
              {tags.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          ) : null}
        </div>
        <div class="setting-row">
          <span class="setting-label">Rollout</span>
          <label>
            canary{' '}
            <input
              name="canary"
              type="number"
              min={0}
              step={1}
              value={canary}
              onInput={(e) => setCanary(e.currentTarget.value)}
            />
          </label>
          <label>
            then{' '}
            <input
              name="batchSize"
              type="number"
              min={1}
              step={1}
              value={batchSize}
              onInput={(e) => setBatchSize(e.currentTarget.value)}
            />{' '}
            at a time
          </label>
          <label>
            <input
              name="haltOnFailure"
              type="checkbox"
              checked={haltOnFailure}
              onChange={(e) => setHaltOnFailure(e.currentTarget.checked)}
            />{' '}
            halt on failure
          </label>
        </div>
        <button type="submit" data-action="plan-action">
          Run…
        </button>
        {error === null ? null : (
          <p class="error" role="alert" data-field-error="action">
            {error.message}
          </p>
        )}
      </form>
      <ConfirmDialog
        open={planned !== null}
        title="Run this fleet action?"
        confirmLabel="Run"
        busyLabel="Starting…"
        action="confirm-action"
        onClose={() => setPlanned(null)}
        onConfirm={run}
      >
        <p data-testid="action-plan">{planned?.description}</p>
      </ConfirmDialog>
      {shown === undefined ? null : <ActionProgressView progress={shown} names={names} />}
      <h3>Recent actions</h3>
      <RecentActions actions={recent} now={now} onShow={(id) => void show(id)} />
    </section>
  );
}
