/**
 * The schedules: when each runs next (in its own time zone and the browser's), what it does to
 * which miners, and how its last run went. Those made here (or over the API) are edited and
 * deleted here; the config file's are shown read-only, with why. A problem the server names
 * (a zone it does not know, a profile not saved) is shown beside its field.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, isApiFailure } from '../api.js';
import { DASH, formatAgo } from '../format.js';
import { filterChoices } from '../minerQuery.js';
import {
  emptyScheduleForm,
  FORM_WEEKDAYS,
  fieldOfProblem,
  formOf,
  type ScheduleField,
  type ScheduleFieldError,
  type ScheduleForm,
  scheduleInputOf,
} from '../scheduleForm.js';
import { useStore } from '../store.js';
import type { ActionTarget, Profile, ScheduleView } from '../types.js';
import { ConfirmDialog } from './ConfirmDialog.js';

const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

function targetText(target: ActionTarget): string {
  if (target.all) return 'all miners';
  const parts: string[] = [];
  if (target.tags !== undefined && target.tags.length > 0) parts.push(`tagged ${target.tags.join(' or ')}`);
  if (target.ids !== undefined && target.ids.length > 0) parts.push(`${target.ids.length} named miners`);
  return parts.join(' and ') || DASH;
}

function when(at: number | null, zone: string): string {
  if (at === null) return DASH;
  return new Date(at).toLocaleString(undefined, { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' });
}

function zones(): readonly string[] {
  const intl = Intl as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? [];
}

function FieldProblem({ error, field }: { error: ScheduleFieldError | null; field: ScheduleField | null }) {
  if (error === null || error.field !== field) return null;
  return (
    <span class="error" role="alert" data-field-error={field ?? 'form'}>
      {error.message}
    </span>
  );
}

export function SchedulesPanel({ now }: { now: number }) {
  const { miners, selection } = useStore();
  const [schedules, setSchedules] = useState<readonly ScheduleView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [profiles, setProfiles] = useState<readonly Profile[]>([]);
  const [form, setForm] = useState<ScheduleForm>(() => emptyScheduleForm(BROWSER_ZONE));
  /** The schedule being edited, or null while making a new one. */
  const [editing, setEditing] = useState<string | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [error, setError] = useState<ScheduleFieldError | null>(null);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const tags = useMemo(() => filterChoices(miners).tags, [miners]);

  useEffect(() => {
    const controller = new AbortController();
    api.schedules(controller.signal).then(setSchedules, (failure: unknown) => {
      if (!controller.signal.aborted) setLoadError(isApiFailure(failure) ? failure.message : String(failure));
    });
    return () => controller.abort();
  }, [generation]);

  useEffect(() => {
    if (!formOpen) return;
    const controller = new AbortController();
    api.profiles(controller.signal).then(setProfiles, () => undefined);
    return () => controller.abort();
  }, [formOpen]);

  const set = (patch: Partial<ScheduleForm>) => setForm((f) => ({ ...f, ...patch }));
  const startNew = () => {
    setEditing(null);
    setForm(emptyScheduleForm(BROWSER_ZONE));
    setError(null);
    setFormOpen(true);
  };
  const startEdit = (schedule: ScheduleView) => {
    setEditing(schedule.name);
    setForm(formOf(schedule));
    setError(null);
    setFormOpen(true);
  };

  const save = async (event: Event) => {
    event.preventDefault();
    const input = scheduleInputOf(form, [...selection]);
    if ('message' in input) return setError(input);
    setBusy(true);
    setError(null);
    try {
      if (editing === null) await api.createSchedule(input);
      else await api.replaceSchedule(editing, input);
      setFormOpen(false);
      setEditing(null);
      setForm(emptyScheduleForm(BROWSER_ZONE));
      setGeneration((g) => g + 1);
    } catch (failure) {
      const message = isApiFailure(failure) ? failure.message : String(failure);
      const taken = isApiFailure(failure) && failure.code === 'SCHEDULE_EXISTS';
      setError({ field: taken ? 'name' : fieldOfProblem(message), message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel schedules" aria-labelledby="schedules-title">
      <h2 id="schedules-title">Schedules</h2>
      {schedules === null ? (
        <p class={loadError === null ? 'muted' : 'error'}>{loadError ?? 'Loading…'}</p>
      ) : schedules.length === 0 ? (
        <p class="muted">No schedules yet.</p>
      ) : (
        <table class="schedule-list" aria-label="Schedules">
          <thead>
            <tr>
              <th>Name</th>
              <th>At</th>
              <th>Does</th>
              <th>To</th>
              <th>Next run</th>
              <th>Last run</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {schedules.map((s) => (
              <tr key={s.name} data-schedule={s.name} data-source={s.source}>
                <td>{s.name}</td>
                <td>
                  {s.at} {s.days === undefined ? 'every day' : s.days.join(', ')}{' '}
                  <span class="muted">{s.timeZone}</span>
                </td>
                <td>{s.action === 'settings' ? `apply profile ${s.profile ?? DASH}` : s.action}</td>
                <td>{targetText(s.target)}</td>
                <td data-testid="next-run">
                  {when(s.nextRunAt, s.timeZone)}{' '}
                  <span class="muted">
                    {s.nextRunAt === null ? '' : `(${when(s.nextRunAt, BROWSER_ZONE)} here)`}
                  </span>
                </td>
                <td>
                  {s.lastRun === null
                    ? 'never'
                    : `${formatAgo(s.lastRun.at, now)}${s.lastRun.error === null ? '' : `: ${s.lastRun.error}`}`}
                </td>
                <td>
                  {s.source === 'config' ? (
                    <span class="muted" data-testid="read-only">
                      from the config file: edit it there
                    </span>
                  ) : (
                    <>
                      <button type="button" data-action="edit-schedule" onClick={() => startEdit(s)}>
                        Edit
                      </button>{' '}
                      <button
                        type="button"
                        class="danger"
                        data-action="delete-schedule"
                        onClick={() => setDeleting(s.name)}
                      >
                        Delete
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {formOpen ? null : (
        <button type="button" data-action="new-schedule" onClick={startNew}>
          New schedule
        </button>
      )}
      {formOpen ? (
        <form class="schedule-form" onSubmit={save} noValidate aria-label="Schedule">
          <h3>{editing === null ? 'New schedule' : `Edit schedule ${editing}`}</h3>
          <div class="setting-row">
            <span class="setting-label">Name</span>
            <input
              name="schedule-name"
              aria-label="Schedule name"
              placeholder="cheap-power-ends"
              maxLength={64}
              value={form.name}
              onInput={(e) => set({ name: e.currentTarget.value })}
            />
            <FieldProblem error={error} field="name" />
          </div>
          <div class="setting-row">
            <span class="setting-label">At</span>
            <input
              name="schedule-at"
              aria-label="Time"
              type="time"
              value={form.at}
              onInput={(e) => set({ at: e.currentTarget.value })}
            />
            <FieldProblem error={error} field="at" />
          </div>
          <div class="setting-row">
            <span class="setting-label">Days</span>
            {FORM_WEEKDAYS.map((day) => (
              <label key={day}>
                <input
                  type="checkbox"
                  name={`schedule-day-${day}`}
                  checked={form.days.includes(day)}
                  onChange={(e) =>
                    set({
                      days: e.currentTarget.checked
                        ? FORM_WEEKDAYS.filter((d) => d === day || form.days.includes(d))
                        : form.days.filter((d) => d !== day),
                    })
                  }
                />{' '}
                {day}
              </label>
            ))}
            <FieldProblem error={error} field="days" />
          </div>
          <div class="setting-row">
            <span class="setting-label">Time zone</span>
            <input
              name="schedule-timeZone"
              aria-label="Time zone"
              list="schedule-zones"
              value={form.timeZone}
              onInput={(e) => set({ timeZone: e.currentTarget.value })}
            />
            <datalist id="schedule-zones">
              {zones().map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
            <FieldProblem error={error} field="timeZone" />
          </div>
          <div class="setting-row">
            <span class="setting-label">Does</span>
            <select
              name="schedule-action"
              aria-label="Action"
              value={form.action}
              onChange={(e) => set({ action: e.currentTarget.value as ScheduleForm['action'] })}
            >
              <option value="pause">pause</option>
              <option value="resume">resume</option>
              <option value="settings">apply a profile</option>
            </select>
            {form.action === 'settings' ? (
              <select
                name="schedule-profile"
                aria-label="Profile"
                value={form.profile}
                onChange={(e) => set({ profile: e.currentTarget.value })}
              >
                <option value="">choose a profile…</option>
                {profiles.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.name}
                  </option>
                ))}
              </select>
            ) : null}
            <FieldProblem error={error} field="action" />
            <FieldProblem error={error} field="profile" />
          </div>
          <div class="setting-row">
            <span class="setting-label">To</span>
            <select
              name="schedule-target"
              aria-label="Target"
              value={form.target}
              onChange={(e) => set({ target: e.currentTarget.value as ScheduleForm['target'] })}
            >
              <option value="tag">miners with a tag</option>
              <option value="selected">the miners selected in the table</option>
              <option value="all">all miners</option>
            </select>
            {form.target === 'tag' ? (
              <>
                <input
                  name="schedule-tag"
                  aria-label="Tag"
                  list="schedule-tags"
                  value={form.tag}
                  onInput={(e) => set({ tag: e.currentTarget.value })}
                />
                <datalist id="schedule-tags">
                  {tags.map((tag) => (
                    <option key={tag} value={tag} />
                  ))}
                </datalist>
              </>
            ) : form.target === 'selected' ? (
              <span class="muted">
                {selection.size > 0
                  ? `${selection.size} selected`
                  : form.ids.length > 0
                    ? `the ${form.ids.length} it names now`
                    : 'none selected'}
              </span>
            ) : null}
            <FieldProblem error={error} field="target" />
          </div>
          <FieldProblem error={error} field={null} />
          <button type="submit" disabled={busy} data-action="save-schedule">
            {busy ? 'Saving…' : 'Save schedule'}
          </button>{' '}
          <button type="button" onClick={() => setFormOpen(false)}>
            Cancel
          </button>
        </form>
      ) : null}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete schedule ${deleting ?? ''}?`}
        confirmLabel="Delete"
        busyLabel="Deleting…"
        action="confirm-delete-schedule"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (deleting !== null) await api.deleteSchedule(deleting);
          setGeneration((g) => g + 1);
        }}
      >
        <p>It will not run again. Actions it already started go on.</p>
      </ConfirmDialog>
    </section>
  );
}
