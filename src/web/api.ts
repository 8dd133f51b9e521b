/**
 * The dashboard's one door to the server. Every failure becomes an `ApiFailure` carrying the
 * server's own `{ code, message }`, so forms can show exactly what the server said.
 */
import type {
  ActionRequest,
  ActionSummary,
  ActionView,
  AlertRecord,
  ApplyResult,
  BreakerStatsView,
  CommandResult,
  FleetPoint,
  FleetSummary,
  HealthView,
  ListedMiner,
  MinerView,
  Profile,
  ProfileInput,
  RestartStatus,
  ScheduleInput,
  ScheduleView,
  Series,
  SettingsPatch,
  SettingsReading,
  SettingsView,
  UpdateMinerInput,
  WatchdogSettings,
  WatchdogView,
} from './types.js';

export class ApiFailure extends Error {
  override readonly name = 'ApiFailure';
  readonly status: number;
  readonly code: string;
  /** When the server says how long to wait (a miner's breaker is open), in ms. */
  readonly retryAfterMs: number | null;

  constructor(status: number, code: string, message: string, retryAfterMs: number | null = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}

export function isApiFailure(error: unknown): error is ApiFailure {
  return error instanceof ApiFailure;
}

const TOKEN_KEY = 'solowatch.token';

/**
 * Where the API token comes from. On loopback the server hands it out at /api/session; when it
 * listens beyond loopback the user pastes it once and it is kept in this browser only.
 */
let token: string | null = null;
let tokenFromUser = false;

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function setUserToken(value: string | null): void {
  token = value;
  tokenFromUser = value !== null;
  const s = storage();
  if (value === null) s?.removeItem(TOKEN_KEY);
  else s?.setItem(TOKEN_KEY, value);
}

export function hasToken(): boolean {
  return token !== null;
}

/** Asks the server for the session token (loopback only); falls back to a token the user saved. */
export async function loadSession(signal?: AbortSignal): Promise<void> {
  try {
    const response = await fetch(
      url('api/session'),
      withSignal({ headers: { accept: 'application/json' } }, signal),
    );
    if (response.ok) {
      const body = (await response.json()) as { token?: unknown };
      if (typeof body.token === 'string' && body.token !== '') {
        token = body.token;
        tokenFromUser = false;
        return;
      }
    }
  } catch (error) {
    if (signal?.aborted) throw error;
  }
  const saved = storage()?.getItem(TOKEN_KEY) ?? null;
  if (saved !== null && saved !== '') {
    token = saved;
    tokenFromUser = true;
  }
}

/** Relative to the page, so the dashboard also works under a reverse-proxy sub-path. */
function url(path: string): string {
  return new URL(path, document.baseURI).toString();
}

function withSignal(init: RequestInit, signal: AbortSignal | undefined): RequestInit {
  return signal === undefined ? init : { ...init, signal };
}

/** URL of the event stream; EventSource cannot send headers, so a user-given token rides along. */
export function eventsUrl(): string {
  const u = new URL('api/events', document.baseURI);
  if (token !== null && tokenFromUser) u.searchParams.set('token', token);
  return u.toString();
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token !== null && (method !== 'GET' || tokenFromUser)) headers.authorization = `Bearer ${token}`;
  const init: RequestInit = { method, headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(url(path), withSignal(init, signal));
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiFailure(0, 'NETWORK', 'the server did not answer; is solowatch still running?');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: unknown; message?: unknown; retryAfterMs?: unknown } } | null)
      ?.error;
    const code = typeof error?.code === 'string' ? error.code : `HTTP_${response.status}`;
    const message =
      typeof error?.message === 'string' ? error.message : `the server answered ${response.status}`;
    const retryAfterMs = typeof error?.retryAfterMs === 'number' ? error.retryAfterMs : null;
    throw new ApiFailure(response.status, code, message, retryAfterMs);
  }
  return parsed as T;
}

export interface AddMinerForm {
  readonly host: string;
  readonly port?: number;
  readonly kind?: 'auto' | 'axeos' | 'nerdqaxe' | 'cgminer' | 'whatsminer';
  readonly name?: string;
  readonly verify?: boolean;
}

export interface FleetSeries {
  readonly from: number;
  readonly to: number;
  readonly points: readonly FleetPoint[];
}

export interface SeriesRange {
  readonly from: number;
  readonly to: number;
  readonly points: number;
}

function rangeQuery(range: SeriesRange): string {
  const q = new URLSearchParams({
    from: String(Math.floor(range.from)),
    to: String(Math.floor(range.to)),
    points: String(range.points),
  });
  return q.toString();
}

const enc = encodeURIComponent;

export const api = {
  health: (signal?: AbortSignal) => request<HealthView>('GET', 'api/health', undefined, signal),
  miners: async (signal?: AbortSignal) =>
    (await request<{ miners: ListedMiner[] }>('GET', 'api/miners', undefined, signal)).miners,
  miner: (id: string, signal?: AbortSignal) =>
    request<MinerView>('GET', `api/miners/${enc(id)}`, undefined, signal),
  addMiner: (input: AddMinerForm, signal?: AbortSignal) =>
    request<MinerView>('POST', 'api/miners', input, signal),
  updateMiner: (id: string, patch: UpdateMinerInput) =>
    request<MinerView>('PATCH', `api/miners/${enc(id)}`, patch),
  removeMiner: (id: string, dropHistory: boolean) =>
    request<void>('DELETE', `api/miners/${enc(id)}?dropHistory=${dropHistory ? 'true' : 'false'}`),
  restart: (id: string) => request<RestartStatus>('POST', `api/miners/${enc(id)}/restart`),
  series: (id: string, range: SeriesRange, signal?: AbortSignal) =>
    request<Series>('GET', `api/miners/${enc(id)}/metrics?${rangeQuery(range)}`, undefined, signal),
  fleet: (signal?: AbortSignal) => request<FleetSummary>('GET', 'api/fleet', undefined, signal),
  fleetSeries: async (range: SeriesRange, signal?: AbortSignal): Promise<FleetSeries> => {
    const body = await request<FleetPoint[] | FleetSeries>(
      'GET',
      `api/fleet/series?${rangeQuery(range)}`,
      undefined,
      signal,
    );
    return Array.isArray(body) ? { from: range.from, to: range.to, points: body } : body;
  },
  alerts: async (signal?: AbortSignal) =>
    (await request<{ alerts: AlertRecord[] }>('GET', 'api/alerts', undefined, signal)).alerts,
  resilience: (signal?: AbortSignal) =>
    request<Record<string, BreakerStatsView>>('GET', 'api/resilience', undefined, signal),
  resetBreaker: (name: string) => request<unknown>('POST', `api/resilience/breakers/${enc(name)}/reset`),
  settings: (signal?: AbortSignal) => request<SettingsView>('GET', 'api/settings', undefined, signal),
  updateWatchdog: (change: Partial<WatchdogSettings> | { useConfig: true }) =>
    request<WatchdogView>('PATCH', 'api/settings/watchdog', change),
  deviceSettings: (id: string, signal?: AbortSignal) =>
    request<SettingsReading>('GET', `api/miners/${enc(id)}/settings`, undefined, signal),
  changeDeviceSettings: (id: string, patch: SettingsPatch) =>
    request<ApplyResult>('PATCH', `api/miners/${enc(id)}/settings`, patch),
  command: (id: string, command: 'pause' | 'resume' | 'identify') =>
    request<CommandResult>('POST', `api/miners/${enc(id)}/${command}`),
  startAction: (input: ActionRequest) => request<{ id: string }>('POST', 'api/actions', input),
  actions: async (signal?: AbortSignal) =>
    (await request<{ actions: ActionSummary[] }>('GET', 'api/actions', undefined, signal)).actions,
  action: (id: string, signal?: AbortSignal) =>
    request<ActionView>('GET', `api/actions/${enc(id)}`, undefined, signal),
  profiles: async (signal?: AbortSignal) =>
    (await request<{ profiles: Profile[] }>('GET', 'api/profiles', undefined, signal)).profiles,
  createProfile: (input: ProfileInput) => request<Profile>('POST', 'api/profiles', input),
  deleteProfile: (name: string) => request<void>('DELETE', `api/profiles/${enc(name)}`),
  schedules: async (signal?: AbortSignal) =>
    (await request<{ schedules: ScheduleView[] }>('GET', 'api/schedules', undefined, signal)).schedules,
  createSchedule: (input: ScheduleInput) => request<ScheduleView>('POST', 'api/schedules', input),
  replaceSchedule: (name: string, input: ScheduleInput) =>
    request<ScheduleView>('PUT', `api/schedules/${enc(name)}`, input),
  deleteSchedule: (name: string) => request<void>('DELETE', `api/schedules/${enc(name)}`),
};
