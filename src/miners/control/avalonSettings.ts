/**
 * What an Avalon (Canaan's cgminer fork) lets us set through `ascset`, and how its `estats` MM
 * string reads back. From Canaan's `driver-avalon.c` (its `device_cmds` table and the
 * `set_avalon_device_workmode` handler) and community captures of the Nano 3s and Avalon Q:
 * - work mode: `ascset|0,workmode,set,<n>`; the firmware refuses a mode above its `maxmode` with
 *   `error:1 not support set workmode max_mode[<n>]`, a malformed request with `error:2 parameter
 *   error`, and while calibrating with `current mode <n> is caling Don't permit switch mode`. The
 *   handler passes the mode to the hash board at once; nothing in the driver asks for a reboot.
 *   Read back from `WORKMODE[<n>]`.
 * - fan: `ascset|0,fan-spd,<n>`, -1 for automatic or a duty of 15-100 %. Read back from `FanR[<n>%]`,
 *   the duty in use; the firmware does not say whether its fan is automatic.
 * - soft off is read by avalonPaused (avalonReading.ts), as the poll reads it.
 * cgminer wraps a handler's refusal as STATUS E `ASC 0 set failed: <text>` (code 120).
 */
import { type EstatsValue, estatsNumber } from '../cgminer/estats.js';
import type { FanCapability, WorkModeOption } from './settings.js';

/** The duty range `fan-spd` takes ("valid range 15-100 for stable pwm"). */
export const AVALON_FAN_PERCENT = Object.freeze({ min: 15, max: 100 });
/** `fan-spd`'s value for "regulate it yourself". */
export const AVALON_FAN_AUTO = -1;

export const AVALON_FAN_CAPABILITY: FanCapability = Object.freeze({
  auto: true,
  targetTempC: null,
  manualPercent: { ...AVALON_FAN_PERCENT, options: [], default: null, optionsOnly: false },
});

const named = (...names: string[]): WorkModeOption[] => names.map((name, value) => ({ value, name }));

/**
 * Work-mode menus by the `version` MODEL, as Canaan's apps name them: the Nano 3s Low / Medium /
 * High, the Avalon Q and Mini 3 Eco / Standard / Super.
 */
const MENUS: Readonly<Record<string, readonly WorkModeOption[]>> = {
  Nano3s: named('Low', 'Medium', 'High'),
  Q: named('Eco', 'Standard', 'Super'),
  Mini3: named('Eco', 'Standard', 'Super'),
};

/**
 * Models whose names are not confirmed (the A-series reports WORKMODE[1] on an A1566) get three
 * unnamed modes; a mode above the device's own `maxmode` is refused by the firmware and shown so.
 */
const UNNAMED: readonly WorkModeOption[] = [0, 1, 2].map((value) => ({ value, name: null }));

/**
 * The work modes this Avalon offers: only where its MM string reports `WORKMODE`, so the change can
 * be read back. The Nano 3 (24071801) reports `WORKLEVEL` alone: not offered.
 */
export function avalonWorkModes(
  model: string,
  module: Readonly<Record<string, EstatsValue>> | undefined,
): readonly WorkModeOption[] | null {
  if (module === undefined || estatsNumber(module.WORKMODE) === null) return null;
  return MENUS[model] ?? UNNAMED;
}

export function avalonWorkMode(module: Readonly<Record<string, EstatsValue>> | undefined): number | null {
  return module === undefined ? null : estatsNumber(module.WORKMODE);
}

/**
 * True when an `ascset` answer that cgminer passed as info or a warning is in fact a refusal: an
 * older build answers "doesn't support set" as a warning, and the handlers' own words for a
 * refusal start with `error:` or name the problem.
 */
export function isAscsetRefusal(message: string): boolean {
  return /doesn't support|set failed|error|not support|invalid|unknown|don't permit|missing/i.test(message);
}
