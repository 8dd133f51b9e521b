/**
 * The watchdog's settings as the operator last chose them. The config file gives the start; a
 * change made on the dashboard (PATCH /api/settings/watchdog) is applied at once and kept in the
 * data directory (`watchdog.json`), so it survives a restart and wins over the config file until
 * it is cleared again ("use the config file"), which deletes that file. One place holds the
 * choice; the monitor is told through `apply` and judges the next input with it.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { resolveWatchdogSettings, type WatchdogSettings } from './state/settings.js';

export type WatchdogSource = 'config' | 'dashboard';

export interface WatchdogView {
  readonly settings: WatchdogSettings;
  /** Where the settings in force come from. */
  readonly source: WatchdogSource;
  /** What the config file says, shown so the dashboard can offer to go back to it. */
  readonly fromConfig: WatchdogSettings;
}

export interface WatchdogSwitchDeps {
  readonly fromConfig: WatchdogSettings;
  /** The file that keeps a dashboard choice, e.g. `<dataDir>/watchdog.json`. */
  readonly file: string;
  /** Hands the settings in force to the monitor. */
  readonly apply: (settings: WatchdogSettings) => void;
}

export class WatchdogSwitch {
  readonly #deps: WatchdogSwitchDeps;
  #view: WatchdogView;

  private constructor(deps: WatchdogSwitchDeps, view: WatchdogView) {
    this.#deps = deps;
    this.#view = view;
  }

  /**
   * Reads a kept dashboard choice, if any, and applies what is in force. A kept file that is not
   * valid stops the start with an error naming the file and the problem: silently falling back
   * would restart (or stop restarting) miners against the operator's last word.
   */
  static async open(deps: WatchdogSwitchDeps): Promise<WatchdogSwitch> {
    const kept = await readKept(deps.file);
    const view: WatchdogView =
      kept === null
        ? { settings: deps.fromConfig, source: 'config', fromConfig: deps.fromConfig }
        : { settings: kept, source: 'dashboard', fromConfig: deps.fromConfig };
    deps.apply(view.settings);
    return new WatchdogSwitch(deps, view);
  }

  view(): WatchdogView {
    return this.#view;
  }

  /** Applies a change over the settings in force and keeps it; throws RangeError naming a bad option. */
  async update(patch: Partial<WatchdogSettings>): Promise<WatchdogView> {
    const settings = resolveWatchdogSettings({ ...this.#view.settings, ...patch });
    const temporary = `${this.#deps.file}.tmp`;
    // Written whole, then renamed: a crash leaves the old choice or the new one, never half.
    await writeFile(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, this.#deps.file);
    return this.#set({ settings, source: 'dashboard', fromConfig: this.#deps.fromConfig });
  }

  /** Forgets the dashboard's choice: the config file's settings are in force again. */
  async useConfig(): Promise<WatchdogView> {
    await rm(this.#deps.file, { force: true });
    const { fromConfig } = this.#deps;
    return this.#set({ settings: fromConfig, source: 'config', fromConfig });
  }

  #set(view: WatchdogView): WatchdogView {
    this.#view = view;
    this.#deps.apply(view.settings);
    return view;
  }
}

async function readKept(file: string): Promise<WatchdogSettings | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new RangeError('expected an object like {"enabled": true}');
    }
    return resolveWatchdogSettings(parsed as Partial<WatchdogSettings>);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RangeError(
      `${file}: the watchdog settings kept from the dashboard are not valid (${reason}); fix or delete the file`,
    );
  }
}
