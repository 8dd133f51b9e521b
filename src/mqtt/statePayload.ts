/**
 * The retained JSON on `<baseTopic>/<minerId>/state` and `<baseTopic>/fleet/state`. Keys are
 * snake_case with their unit in the name, as Home Assistant templates read them; a value the
 * device does not report is null (Home Assistant shows it as unknown), never 0.
 */
import type { FleetSummary, MinerStatus, MinerView } from '../monitor/types.js';

/** Statuses in which the miner answers its polls. */
const ANSWERING: ReadonlySet<MinerStatus> = new Set(['online', 'degraded', 'not_hashing', 'paused']);

export interface MinerStatePayload {
  readonly name: string;
  readonly status: MinerStatus;
  readonly status_reason: string | null;
  readonly online: boolean;
  readonly hashrate_ghs: number | null;
  readonly expected_hashrate_ghs: number | null;
  readonly temperature_c: number | null;
  readonly max_chip_temperature_c: number | null;
  readonly vr_temperature_c: number | null;
  readonly power_w: number | null;
  /** Joules per terahash. */
  readonly efficiency_jth: number | null;
  readonly fan_rpm: number | null;
  readonly shares_accepted: number | null;
  readonly shares_rejected: number | null;
  /** All-time best, kept by solowatch across device reboots. */
  readonly best_difficulty: number | null;
  readonly session_best_difficulty: number | null;
  readonly uptime_s: number | null;
  /** True while the miner is paused (the pause switch's state): its status is `paused`. */
  readonly paused: boolean;
  readonly firmware: string | null;
  /** ISO time of the last answer. */
  readonly last_seen: string | null;
  readonly error: string | null;
}

/** W / (GH/s / 1000): J/TH, rounded to what a display shows. */
function efficiency(powerW: number | null, hashrateGhs: number | null): number | null {
  if (powerW === null || hashrateGhs === null || hashrateGhs <= 0) return null;
  return Math.round((powerW / (hashrateGhs / 1000)) * 100) / 100;
}

export function minerState(view: MinerView): MinerStatePayload {
  const sample = view.lastSample;
  const status: MinerStatus = view.enabled ? view.status : 'disabled';
  return {
    name: view.name,
    status,
    status_reason: view.statusReason,
    online: ANSWERING.has(status),
    hashrate_ghs: sample?.hashrateGhs ?? null,
    expected_hashrate_ghs: sample?.expectedHashrateGhs ?? null,
    temperature_c: sample?.temperatureC ?? null,
    max_chip_temperature_c: sample?.maxChipTemperatureC ?? null,
    vr_temperature_c: sample?.vrTemperatureC ?? null,
    power_w: sample?.powerW ?? null,
    efficiency_jth: efficiency(sample?.powerW ?? null, sample?.hashrateGhs ?? null),
    fan_rpm: sample?.fanRpm[0] ?? null,
    shares_accepted: sample?.sharesAccepted ?? null,
    shares_rejected: sample?.sharesRejected ?? null,
    best_difficulty: view.bestDifficulty ?? sample?.bestDifficulty ?? null,
    session_best_difficulty: sample?.sessionBestDifficulty ?? null,
    uptime_s: sample?.uptimeS ?? null,
    paused: status === 'paused',
    firmware: sample?.firmware ?? null,
    last_seen: view.lastSeenAt === null ? null : new Date(view.lastSeenAt).toISOString(),
    error: view.lastError,
  };
}

export interface FleetStatePayload {
  readonly miners_total: number;
  readonly miners_online: number;
  readonly miners_degraded: number;
  readonly miners_offline: number;
  readonly hashrate_ghs: number;
  readonly expected_hashrate_ghs: number;
  readonly power_w: number;
  readonly efficiency_jth: number | null;
  readonly best_difficulty: number | null;
  readonly shares_accepted: number;
  readonly shares_rejected: number;
}

export function fleetState(fleet: FleetSummary): FleetStatePayload {
  return {
    miners_total: fleet.miners.total,
    miners_online: fleet.miners.online,
    miners_degraded: fleet.miners.degraded,
    miners_offline: fleet.miners.offline,
    hashrate_ghs: fleet.hashrateGhs,
    expected_hashrate_ghs: fleet.expectedHashrateGhs,
    power_w: fleet.powerW,
    efficiency_jth: fleet.efficiencyJth,
    best_difficulty: fleet.bestDifficulty,
    shares_accepted: fleet.sharesAccepted,
    shares_rejected: fleet.sharesRejected,
  };
}
