/**
 * The control endpoints of ESP-Miner firmware (AxeOS and NerdQAxe), as each release has them
 * (read from ESP-Miner's http_server.c and nvs_config.c per tag):
 * - PATCH /api/system: frequency, coreVoltage, stratumURL/Port/User from v2.0; hostname,
 *   stratumPassword, autofanspeed and fanspeed from v2.2; fallbackStratum* from v2.4; temptarget
 *   from v2.7; from v2.11 the manual duty is `manualFanSpeed` and every value is range-checked
 *   (a bad one answers 400 "Wrong API input" and nothing is stored; temptarget 35-66).
 * - POST /api/system/identify from v2.12; POST /api/system/pause and /resume from v2.14.
 * Before v2.11 unknown keys are ignored, as the firmware does.
 */
import type { Json } from './axeosInfo.js';
import type { HttpReply, HttpRequestInfo } from './httpDevice.js';
import type { MinerModel } from './model.js';

/** Settings the device keeps besides those the model holds (frequency, voltage, pool, hostname). */
export class EspMinerControlState {
  autoFan = true;
  manualFanPercent = 100;
  tempTargetC = 60;
  fallbackUrl = 'solo.ckpool.org';
  fallbackPort = 3333;
  fallbackUser: string;
  /** Write-only on the device; kept here so tests can check what arrived. */
  primaryPassword = 'x';
  fallbackPassword = 'x';
  /** Identify toggles: a second request within its 30 s turns it off again (v2.14 http_server.c). */
  identifying = false;

  constructor(model: MinerModel) {
    this.fallbackUser = model.poolUser;
  }
}

export interface EspMinerFeatures {
  /** ESP-Miner minor version (2.x) whose behaviour to play; NerdQAxe plays 10. */
  readonly minor: number;
  readonly identify: boolean;
  readonly pause: boolean;
  /** The key of the manual duty. */
  readonly manualFanKey: 'fanspeed' | 'manualFanSpeed';
  /** The key of the auto-fan target temperature, or null before it existed. */
  readonly targetKey: 'temptarget' | 'pidTargetTemp' | null;
  /** Refuse out-of-range values with 400 (v2.11+'s table-driven check). */
  readonly validates: boolean;
}

export function axeosFeatures(minor: number): EspMinerFeatures {
  return {
    minor,
    identify: minor >= 12,
    pause: minor >= 14,
    manualFanKey: minor >= 11 ? 'manualFanSpeed' : 'fanspeed',
    targetKey: minor >= 7 ? 'temptarget' : null,
    validates: minor >= 11,
  };
}

/**
 * NerdQAxe (ESP-Miner-NerdQAxePlus): AxeOS v2.4-style PATCH keys with `manualFanSpeed` and its
 * PID target `pidTargetTemp`; no identify or pause endpoints.
 */
export const NERDQAXE_FEATURES: EspMinerFeatures = Object.freeze({
  minor: 10,
  identify: false,
  pause: false,
  manualFanKey: 'manualFanSpeed',
  targetKey: 'pidTargetTemp',
  validates: false,
});

type Setter = (value: Json) => boolean;

function setters(
  model: MinerModel,
  state: EspMinerControlState,
  f: EspMinerFeatures,
): Record<string, Setter> {
  const num =
    (min: number, max: number, set: (n: number) => void): Setter =>
    (v) => {
      if (typeof v !== 'number' || (f.validates && (v < min || v > max))) return false;
      set(v);
      return true;
    };
  const str =
    (max: number, set: (s: string) => void): Setter =>
    (v) => {
      if (typeof v !== 'string' || (f.validates && v.length > max)) return false;
      set(v);
      return true;
    };
  const table: Record<string, Setter> = {
    frequency: num(1, 65535, (n) => {
      model.frequencyMhz = n;
    }),
    coreVoltage: num(1, 65535, (n) => {
      model.coreVoltageMv = Math.round(n);
    }),
    stratumURL: str(128, (s) => {
      model.poolUrl = s;
    }),
    stratumPort: num(0, 65535, (n) => {
      model.poolPort = Math.round(n);
    }),
    stratumUser: str(128, (s) => {
      model.poolUser = s;
    }),
  };
  if (f.minor >= 2) {
    Object.assign(table, {
      hostname: str(32, (s) => {
        model.hostname = s;
      }),
      stratumPassword: str(128, (s) => {
        state.primaryPassword = s;
      }),
      autofanspeed: (v: Json) => {
        if (typeof v !== 'number' && typeof v !== 'boolean') return false;
        state.autoFan = v === true || v === 1;
        return true;
      },
      [f.manualFanKey]: num(0, 100, (n) => {
        state.manualFanPercent = Math.round(n);
      }),
    });
  }
  if (f.minor >= 4) {
    Object.assign(table, {
      fallbackStratumURL: str(128, (s) => {
        state.fallbackUrl = s;
      }),
      fallbackStratumPort: num(0, 65535, (n) => {
        state.fallbackPort = Math.round(n);
      }),
      fallbackStratumUser: str(128, (s) => {
        state.fallbackUser = s;
      }),
      fallbackStratumPassword: str(128, (s) => {
        state.fallbackPassword = s;
      }),
    });
  }
  if (f.targetKey !== null) {
    table[f.targetKey] = num(35, 66, (n) => {
      state.tempTargetC = Math.round(n);
    });
  }
  return table;
}

/** PATCH /api/system: checks every known key first, then stores them all or none (v2.11+). */
function patch(model: MinerModel, state: EspMinerControlState, f: EspMinerFeatures, body: string): HttpReply {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { status: 400, text: 'Invalid JSON' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { status: 400, text: 'Invalid JSON' };
  }
  const table = setters(model, state, f);
  const entries = Object.entries(parsed as Record<string, Json>).filter(([key]) => key in table);
  // A dry run on copies decides validity before anything is stored, as check_settings_and_update does.
  const probe = new EspMinerControlState(model);
  const dry = setters(dryModel(model), probe, f);
  if (!entries.every(([key, value]) => (dry[key] as Setter)(value))) {
    return { status: 400, text: 'Wrong API input' };
  }
  model.commandsSeen.push({ command: 'PATCH /api/system', detail: body });
  for (const [key, value] of entries) (table[key] as Setter)(value);
  return { status: 200, text: '', contentType: 'application/json' };
}

/** A stand-in with the model's writable fields, so a dry run stores nothing real. */
function dryModel(model: MinerModel): MinerModel {
  return {
    frequencyMhz: model.frequencyMhz,
    coreVoltageMv: model.coreVoltageMv,
    poolUrl: model.poolUrl,
    poolPort: model.poolPort,
    poolUser: model.poolUser,
    hostname: model.hostname,
    commandsSeen: [],
  } as unknown as MinerModel;
}

/** Answers the control requests the release knows; null for everything else. */
export function espMinerControlRoute(
  model: MinerModel,
  state: EspMinerControlState,
  f: EspMinerFeatures,
  req: HttpRequestInfo,
): HttpReply | null {
  const { method, path } = req;
  if (method === 'PATCH' && path === '/api/system') return patch(model, state, f, req.body);
  if (method === 'POST' && path === '/api/system/identify' && f.identify) {
    model.commandsSeen.push({ command: 'identify', detail: '' });
    state.identifying = !state.identifying;
    const message = state.identifying
      ? 'The device says "Hi!" for 30 seconds.'
      : 'The device no longer says "Hi!".';
    return { status: 200, json: { message } };
  }
  if (method === 'POST' && (path === '/api/system/pause' || path === '/api/system/resume') && f.pause) {
    const pause = path.endsWith('pause');
    model.commandsSeen.push({ command: pause ? 'pause' : 'resume', detail: '' });
    model.setPaused(pause);
    return { status: 200, json: { message: pause ? 'Mining paused' : 'Mining resumed' } };
  }
  return null;
}

/**
 * Shows the control state in GET /api/system/info: only keys the release already writes are
 * changed (plus `miningPaused`, which v2.14's system_api_json.c adds).
 */
export function overlayControlState(
  info: Record<string, Json>,
  model: MinerModel,
  state: EspMinerControlState,
  f: EspMinerFeatures,
): Record<string, Json> {
  const set = (key: string, value: Json) => {
    if (key in info) info[key] = typeof info[key] === 'boolean' ? value === 1 || value === true : value;
  };
  set('autofanspeed', state.autoFan ? 1 : 0);
  set('manualFanSpeed', state.manualFanPercent);
  if (!state.autoFan) {
    set('fanspeed', state.manualFanPercent);
    set('fanSpeed', state.manualFanPercent);
  }
  set('temptarget', state.tempTargetC);
  set('pidTargetTemp', state.tempTargetC);
  set('fallbackStratumURL', state.fallbackUrl);
  set('fallbackStratumPort', state.fallbackPort);
  set('fallbackStratumUser', state.fallbackUser);
  const pools = info.pools;
  if (Array.isArray(pools) && pools[1] !== null && typeof pools[1] === 'object' && !Array.isArray(pools[1])) {
    pools[1] = {
      ...pools[1],
      stratumURL: state.fallbackUrl,
      stratumPort: state.fallbackPort,
      stratumUser: state.fallbackUser,
    };
  }
  if (f.pause) info.miningPaused = model.paused;
  return info;
}
