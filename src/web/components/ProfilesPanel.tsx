/**
 * Saved settings profiles: listed, created (a name and some of frequency, voltage, fan, pools),
 * deleted, and applied to a selection or a tag through the fleet actions panel, so a profile runs
 * with the same target, rollout, confirmation and progress as any other action. Pool passwords
 * are write-only: sent when saving, never shown back.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, isApiFailure } from '../api.js';
import {
  describeSettings,
  EMPTY_FLEET_SETTINGS,
  type FleetSettingsForm,
  fleetSettingsOf,
} from '../fleetSettingsForm.js';
import type { FieldError } from '../settingsForm.js';
import { store } from '../store.js';
import type { Profile } from '../types.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { FleetSettingsFields } from './FleetSettingsFields.js';

export function ProfilesPanel() {
  const [profiles, setProfiles] = useState<readonly Profile[] | null>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [form, setForm] = useState<FleetSettingsForm>(EMPTY_FLEET_SETTINGS);
  const [error, setError] = useState<FieldError | null>(null);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    api.profiles(controller.signal).then(setProfiles, (failure: unknown) => {
      if (!controller.signal.aborted) setError({ field: null, message: String(failure) });
    });
    return () => controller.abort();
  }, [generation]);

  const create = async (event: Event) => {
    event.preventDefault();
    const settings = fleetSettingsOf(form);
    if ('message' in settings) return setError(settings);
    if (name.trim() === '') return setError({ field: null, message: 'Name: give the profile a name' });
    setBusy(true);
    setError(null);
    try {
      await api.createProfile({
        name: name.trim(),
        settings,
        ...(description.trim() === '' ? {} : { description: description.trim() }),
      });
      setName('');
      setDescription('');
      setForm(EMPTY_FLEET_SETTINGS);
      setGeneration((g) => g + 1);
    } catch (failure) {
      setError({ field: null, message: isApiFailure(failure) ? failure.message : String(failure) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel profiles" aria-labelledby="profiles-title">
      <h2 id="profiles-title">Profiles</h2>
      {profiles === null ? (
        <p class="muted">Loading…</p>
      ) : profiles.length === 0 ? (
        <p class="muted">No profiles saved.</p>
      ) : (
        <ul class="profile-list">
          {profiles.map((p) => (
            <li key={p.name} data-profile={p.name}>
              <strong>{p.name}</strong> <span class="muted">{p.description ?? ''}</span>{' '}
              <span>{describeSettings(p.settings)}</span>{' '}
              <button
                type="button"
                data-action="apply-profile"
                onClick={() => store.update({ actionDraft: { profile: p.name } })}
              >
                Apply…
              </button>{' '}
              <button
                type="button"
                class="danger"
                data-action="delete-profile"
                onClick={() => setDeleting(p.name)}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <details class="new-profile">
        <summary>New profile</summary>
        <form onSubmit={create} noValidate>
          <div class="setting-row">
            <span class="setting-label">Name</span>
            <input
              name="profile-name"
              aria-label="Profile name"
              placeholder="night-pool"
              maxLength={64}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
            <input
              name="profile-description"
              aria-label="Description"
              placeholder="what it is for (optional)"
              maxLength={500}
              value={description}
              onInput={(e) => setDescription(e.currentTarget.value)}
            />
          </div>
          <FleetSettingsFields prefix="profile" form={form} error={error} onChange={setForm} />
          <button type="submit" disabled={busy} data-action="save-profile">
            {busy ? 'Saving…' : 'Save profile'}
          </button>
        </form>
      </details>
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete profile ${deleting ?? ''}?`}
        confirmLabel="Delete"
        busyLabel="Deleting…"
        action="confirm-delete-profile"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (deleting !== null) await api.deleteProfile(deleting);
          setGeneration((g) => g + 1);
        }}
      >
        <p>Schedules that apply it will fail at their next run until it is saved again.</p>
      </ConfirmDialog>
    </section>
  );
}
