/**
 * Saved profiles, kept in one JSON file in the data directory (`profiles.json`, written whole and
 * atomically by JsonFile, mode 0600: a pool profile may hold a pool password, which is stored to
 * be sent and never shown back).
 */

import { checker } from '../../schema/validator.js';
import { type FleetSettings, withoutPasswords } from '../actions/settingsSchema.js';
import { JsonFile } from '../JsonFile.js';
import { type Profile, ProfileBody, type ProfileInput } from './Profile.js';

export type ProfileErrorCode = 'PROFILE_NOT_FOUND' | 'PROFILE_EXISTS';

export class ProfileError extends Error {
  override readonly name = 'ProfileError';
  readonly code: ProfileErrorCode;
  constructor(code: ProfileErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export function isProfileError(error: unknown): error is ProfileError {
  return error instanceof ProfileError;
}

export interface ProfileStoreOptions {
  /** The JSON file; created on the first save. */
  readonly path: string;
  readonly now: () => number;
}

const checkProfile = checker(ProfileBody);

/** A profile as it may be shown: no pool passwords. */
function shown(profile: Profile): Profile {
  return { ...profile, settings: withoutPasswords(profile.settings) };
}

export class ProfileStore {
  readonly #options: ProfileStoreOptions;
  readonly #profiles = new Map<string, Profile>();
  readonly #file: JsonFile;

  constructor(options: ProfileStoreOptions) {
    this.#options = options;
    this.#file = new JsonFile(options.path);
  }

  /** Reads the file; a missing file is no profiles, a broken one an error naming the file and the entry. */
  async load(): Promise<void> {
    const entries = await this.#file.read();
    if (entries === null) return;
    if (!Array.isArray(entries)) throw new Error(`${this.#options.path} must hold a JSON array of profiles`);
    this.#profiles.clear();
    entries.forEach((entry: Profile, index) => {
      const { createdAt, updatedAt, ...input } = entry;
      const checked = checkProfile(input);
      if (!checked.ok || typeof createdAt !== 'number' || typeof updatedAt !== 'number') {
        const why = checked.ok
          ? 'createdAt/updatedAt missing'
          : `${checked.problem.path} ${checked.problem.problem}`;
        throw new Error(`${this.#options.path}: profile [${index}] is invalid: ${why}`);
      }
      this.#profiles.set(entry.name, { ...checked.value, createdAt, updatedAt });
    });
  }

  list(): Profile[] {
    return [...this.#profiles.values()].map(shown);
  }

  get(name: string): Profile | null {
    const profile = this.#profiles.get(name);
    return profile === undefined ? null : shown(profile);
  }

  /** The settings to send, passwords included. */
  settingsOf(name: string): FleetSettings | null {
    return this.#profiles.get(name)?.settings ?? null;
  }

  async create(input: ProfileInput): Promise<Profile> {
    if (this.#profiles.has(input.name)) {
      throw new ProfileError('PROFILE_EXISTS', `a profile named '${input.name}' already exists`);
    }
    const now = this.#options.now();
    const profile: Profile = { ...input, createdAt: now, updatedAt: now };
    this.#profiles.set(input.name, profile);
    await this.#save(() => this.#profiles.delete(input.name));
    return shown(profile);
  }

  /** Replaces a profile's description and settings; a pool without a password keeps the one stored. */
  async replace(name: string, input: Omit<ProfileInput, 'name'>): Promise<Profile> {
    const before = this.#profiles.get(name);
    if (before === undefined) throw new ProfileError('PROFILE_NOT_FOUND', `no profile named '${name}'`);
    const pools = input.settings.pools?.map((pool) => {
      if (pool.password !== undefined) return pool;
      const kept = before.settings.pools?.find((p) => p.url === pool.url && p.user === pool.user)?.password;
      return kept === undefined ? pool : { ...pool, password: kept };
    });
    const settings = pools === undefined ? input.settings : { ...input.settings, pools };
    const profile: Profile = {
      name,
      ...(input.description === undefined ? {} : { description: input.description }),
      settings,
      createdAt: before.createdAt,
      updatedAt: this.#options.now(),
    };
    this.#profiles.set(name, profile);
    await this.#save(() => this.#profiles.set(name, before));
    return shown(profile);
  }

  async remove(name: string): Promise<void> {
    const before = this.#profiles.get(name);
    if (before === undefined) throw new ProfileError('PROFILE_NOT_FOUND', `no profile named '${name}'`);
    this.#profiles.delete(name);
    await this.#save(() => this.#profiles.set(name, before));
  }

  /** Writes the file; when that fails, `undo` takes the change back out of memory before the error goes on. */
  async #save(undo: () => void): Promise<void> {
    try {
      await this.#file.save([...this.#profiles.values()]);
    } catch (error) {
      undo();
      throw error;
    }
  }
}
