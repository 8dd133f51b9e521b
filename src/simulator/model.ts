import type { MiningFault } from './faults.js';
import { bestOfShares, gaussian, poisson, type Random } from './random.js';
import type { SimClock } from './types.js';

/** What a simulated miner is: hardware, settings and the pool it mines on. */
export interface MinerModelOptions {
  clock: SimClock;
  random: Random;
  /** @default 'BM1370' */
  asicModel?: string;
  /** @default 1 */
  asicCount?: number;
  /** @default 2040 (BM1370) */
  smallCoreCount?: number;
  /** @default 525 */
  frequencyMhz?: number;
  /** @default 1150 */
  coreVoltageMv?: number;
  /** Energy per terahash, which sets power from hashrate. @default 15 */
  joulesPerTh?: number;
  /** @default 5000 */
  inputVoltageMv?: number;
  /** @default 25 */
  ambientC?: number;
  /** Chip temperature above ambient at full load once warm. @default 33 */
  temperatureRiseC?: number;
  /** Relative standard deviation of the instant hashrate. @default 0.03 */
  hashrateNoise?: number;
  /** @default 1000 (share difficulty set by the pool) */
  poolDifficulty?: number;
  /** @default 1.2e14 */
  networkDifficulty?: number;
  /** Block height at epoch 1.732e12 ms (Nov 2024); grows one block per 10 minutes. @default 870000 */
  blockHeightBase?: number;
  /** Delay after boot before the first pool job, which brings network data. @default 2000 */
  firstJobDelayMs?: number;
  /** Time between a reboot and the device answering again. @default 0 */
  bootTimeMs?: number;
  /** Uptime when the simulation starts. @default 3600 */
  initialUptimeSeconds?: number;
  /** All-time best difficulty from before the simulation started. @default 0 */
  initialBestDiff?: number;
  /** Fraction of shares the pool rejects. @default 0.002 */
  rejectRatio?: number;
  poolUrl?: string;
  poolPort?: number;
  poolUser?: string;
  mac: string;
  hostname: string;
}

export interface MinerSnapshot {
  readonly nowMs: number;
  readonly up: boolean;
  readonly uptimeSeconds: number;
  /** Milliseconds since the last boot, as esp_timer reports it. */
  readonly sinceBootMs: number;
  readonly expectedHashrateGh: number;
  readonly hashrateGh: number;
  readonly hashrate1mGh: number;
  readonly hashrate10mGh: number;
  readonly hashrate1hGh: number;
  readonly chipTempC: number;
  readonly chipTempsC: readonly number[];
  readonly vrTempC: number;
  readonly powerW: number;
  readonly inputVoltageMv: number;
  readonly currentMa: number;
  readonly coreVoltageActualMv: number;
  readonly fanPercent: number;
  readonly fanRpm: number;
  readonly sharesAccepted: number;
  readonly sharesRejected: number;
  readonly rejectedReasons: readonly { message: string; count: number }[];
  readonly bestDiff: number;
  readonly bestSessionDiff: number;
  readonly poolDifficulty: number;
  readonly jobArrived: boolean;
  readonly networkDifficulty: number;
  readonly blockHeight: number;
  readonly resetReason: string;
  readonly bootCount: number;
  readonly wifiRssi: number;
  readonly freeHeap: number;
}

const DEFAULTS = Object.freeze({
  asicModel: 'BM1370',
  asicCount: 1,
  smallCoreCount: 2040,
  frequencyMhz: 525,
  coreVoltageMv: 1150,
  joulesPerTh: 15,
  inputVoltageMv: 5000,
  ambientC: 25,
  temperatureRiseC: 33,
  hashrateNoise: 0.03,
  poolDifficulty: 1000,
  networkDifficulty: 1.2e14,
  blockHeightBase: 870_000,
  firstJobDelayMs: 2000,
  bootTimeMs: 0,
  initialUptimeSeconds: 3600,
  initialBestDiff: 0,
  rejectRatio: 0.002,
  poolUrl: 'public-pool.io',
  poolPort: 21496,
  poolUser: 'bc1qsimulatedminer000000000000000000000000.worker',
});

export const RESET_REASON_POWER_ON = 'Reset due to power-on event';
export const RESET_REASON_SOFTWARE = 'Software reset via esp_restart';

const REJECT_REASONS = ['Job not found', 'Duplicate share', 'Above target'];
const WARMUP_SECONDS = 120;
const HEIGHT_EPOCH_MS = 1.732e12;

/**
 * The state of one miner, advanced lazily from the clock whenever someone looks: no timers, so
 * thousands of them cost nothing while idle.
 */
export class MinerModel {
  readonly clock: SimClock;
  readonly random: Random;
  readonly asicModel: string;
  readonly asicCount: number;
  readonly smallCoreCount: number;
  /** Writable: the control endpoints change it. */
  frequencyMhz: number;
  /** Writable: the control endpoints change it. */
  coreVoltageMv: number;
  readonly poolDifficulty: number;
  /** Writable: the control endpoints change it. */
  poolUrl: string;
  /** Writable: the control endpoints change it. */
  poolPort: number;
  /** Writable: the control endpoints change it. */
  poolUser: string;
  readonly mac: string;
  /** Writable: the control endpoints change it. */
  hostname: string;
  readonly #o: typeof DEFAULTS;
  #bootAt: number;
  #lastAdvance: number;
  #pendingRebootAt: number | null = null;
  #bootCount = 0;
  #resetReason = RESET_REASON_POWER_ON;
  #accepted = 0;
  #rejected = 0;
  #reasons = new Map<string, number>();
  #bestSession = 0;
  #bestEver: number;
  #last: MinerSnapshot | null = null;
  #miningFault: MiningFault | null = null;
  #paused = false;
  /** Every control command the device received (writes, pause, identify...), for tests to check. */
  readonly commandsSeen: { readonly command: string; readonly detail: string }[] = [];

  constructor(options: MinerModelOptions) {
    const o = { ...DEFAULTS } as { -readonly [K in keyof typeof DEFAULTS]: (typeof DEFAULTS)[K] };
    for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
      const value = options[key];
      if (value === undefined) continue;
      if (
        typeof DEFAULTS[key] === 'number' &&
        !(typeof value === 'number' && Number.isFinite(value) && value >= 0)
      ) {
        throw new RangeError(`Expected \`${key}\` to be a non-negative number, got ${String(value)}`);
      }
      (o as Record<string, unknown>)[key] = value;
    }
    if (!(o.poolDifficulty > 0)) throw new RangeError('Expected `poolDifficulty` to be positive');
    this.#o = o;
    this.clock = options.clock;
    this.random = options.random;
    this.asicModel = o.asicModel;
    this.asicCount = o.asicCount;
    this.smallCoreCount = o.smallCoreCount;
    this.frequencyMhz = o.frequencyMhz;
    this.coreVoltageMv = o.coreVoltageMv;
    this.poolDifficulty = o.poolDifficulty;
    this.poolUrl = o.poolUrl;
    this.poolPort = o.poolPort;
    this.poolUser = o.poolUser;
    this.mac = options.mac;
    this.hostname = options.hostname;
    const now = this.clock.now();
    this.#bootAt = now - o.initialUptimeSeconds * 1000;
    this.#lastAdvance = this.#bootAt + o.firstJobDelayMs;
    this.#bestEver = o.initialBestDiff;
  }

  /** frequency x small cores x chips / 1000, in GH/s, as AxeOS computes it. */
  get expectedHashrateGh(): number {
    return (this.frequencyMhz * this.smallCoreCount * this.asicCount) / 1000;
  }

  /** Share rate in shares per second at the expected hashrate: H / (D x 2^32). */
  get sharesPerSecond(): number {
    return (this.expectedHashrateGh * 1e9) / (this.poolDifficulty * 2 ** 32);
  }

  get bootCount(): number {
    return this.#bootCount;
  }

  /** The mining fault it shows now (see MiningFault); a reboot clears it. */
  get miningFault(): MiningFault | null {
    return this.#miningFault;
  }

  /** Starts (or ends, with null) a mining fault from now on. */
  setMiningFault(fault: MiningFault | null): void {
    this.#advance(this.clock.now());
    this.#miningFault = fault;
  }

  /** True while hashing is paused (AxeOS pause, Avalon soft off): no hashrate, no shares. */
  get paused(): boolean {
    return this.#paused;
  }

  setPaused(paused: boolean): void {
    this.#advance(this.clock.now());
    this.#paused = paused;
  }

  /** True while the device answers (not between a reboot and the end of its boot). */
  isUp(): boolean {
    this.#applyDueReboot(this.clock.now());
    return this.clock.now() >= this.#bootAt;
  }

  /** Schedules a software reboot `delayMs` from now (the firmware answers first). */
  scheduleReboot(delayMs: number): number {
    const at = this.clock.now() + delayMs;
    this.#pendingRebootAt = this.#pendingRebootAt === null ? at : Math.min(this.#pendingRebootAt, at);
    return at;
  }

  /** A reboot was asked for and has not happened yet. */
  get rebootPending(): boolean {
    this.#applyDueReboot(this.clock.now());
    return this.#pendingRebootAt !== null;
  }

  /** Carries out a scheduled reboot now, even if the clock has not reached it (a real timer fired). */
  completePendingReboot(): void {
    if (this.#pendingRebootAt === null) return;
    this.rebootNow();
  }

  /** Reboots at once: session counters start again, uptime from zero, resetReason updated. */
  rebootNow(reason = RESET_REASON_SOFTWARE): void {
    this.#advance(this.clock.now());
    this.#reboot(this.clock.now(), reason);
  }

  #applyDueReboot(now: number): void {
    if (this.#pendingRebootAt !== null && now >= this.#pendingRebootAt) {
      const at = this.#pendingRebootAt;
      this.#advance(at);
      this.#reboot(at, RESET_REASON_SOFTWARE);
    }
  }

  #reboot(at: number, reason: string): void {
    this.#pendingRebootAt = null;
    this.#bootCount += 1;
    this.#resetReason = reason;
    this.#bootAt = at + this.#o.bootTimeMs;
    this.#lastAdvance = this.#bootAt + this.#o.firstJobDelayMs;
    this.#accepted = 0;
    this.#rejected = 0;
    this.#reasons.clear();
    this.#bestSession = 0;
    this.#miningFault = null;
  }

  /** Adds the shares found since the last look, as a Poisson process at the share rate. */
  #advance(now: number): void {
    if (now <= this.#lastAdvance) return;
    const seconds = (now - this.#lastAdvance) / 1000;
    this.#lastAdvance = now;
    if (this.#miningFault === 'zombie' || this.#paused) return;
    const found = poisson(this.random, this.sharesPerSecond * seconds);
    if (found === 0) return;
    const rejected = poisson(this.random, found * this.#o.rejectRatio);
    const accepted = Math.max(0, found - rejected);
    if (this.#miningFault !== 'stuck_share_counter') this.#accepted += accepted;
    if (rejected > 0) {
      this.#rejected += rejected;
      const reason = REJECT_REASONS[Math.floor(this.random() * REJECT_REASONS.length)] ?? 'Job not found';
      this.#reasons.set(reason, (this.#reasons.get(reason) ?? 0) + rejected);
    }
    const best = bestOfShares(this.random, this.poolDifficulty, found);
    if (best > this.#bestSession) this.#bestSession = best;
    if (best > this.#bestEver) this.#bestEver = best;
  }

  /** What the device last served (the last `snapshot()`), for tests that compare with it. */
  get lastSnapshot(): MinerSnapshot | null {
    return this.#last;
  }

  /** The device as it is now; draws fresh noise for the instant readings. */
  snapshot(): MinerSnapshot {
    const now = this.clock.now();
    this.#applyDueReboot(now);
    this.#advance(now);
    const o = this.#o;
    const up = now >= this.#bootAt;
    const sinceBootMs = Math.max(0, now - this.#bootAt);
    const uptimeSeconds = Math.floor(sinceBootMs / 1000);
    const expected = this.#paused ? 0 : this.expectedHashrateGh;
    const noisy = (sd: number) => Math.max(0, expected * (1 + sd * gaussian(this.random)));
    const hashrateGh = noisy(o.hashrateNoise);
    const load = expected > 0 ? hashrateGh / expected : 0;
    const warm = 1 - Math.exp(-uptimeSeconds / WARMUP_SECONDS);
    const chipTempsC = Array.from({ length: Math.max(1, this.asicCount) }, () =>
      round(o.ambientC + o.temperatureRiseC * load * warm + 0.8 * gaussian(this.random), 2),
    );
    const chipTempC = round(chipTempsC.reduce((a, b) => a + b, 0) / chipTempsC.length, 2);
    const powerW = round((hashrateGh * o.joulesPerTh) / 1000 + 1.5, 3);
    const inputVoltageMv = round(o.inputVoltageMv + 20 * gaussian(this.random), 1);
    const fanPercent = Math.min(100, Math.max(25, Math.round(35 + (chipTempC - 50) * 3)));
    const jobArrived = up && sinceBootMs >= o.firstJobDelayMs;
    this.#last = {
      nowMs: now,
      up,
      uptimeSeconds,
      sinceBootMs,
      expectedHashrateGh: expected,
      hashrateGh,
      hashrate1mGh: noisy(o.hashrateNoise / 3),
      hashrate10mGh: noisy(o.hashrateNoise / 6),
      hashrate1hGh: noisy(o.hashrateNoise / 12),
      chipTempC,
      chipTempsC,
      vrTempC: round(o.ambientC + 0.9 * o.temperatureRiseC * load * warm + 0.5 * gaussian(this.random), 2),
      powerW,
      inputVoltageMv,
      currentMa: round((powerW / (inputVoltageMv / 1000)) * 1000, 1),
      coreVoltageActualMv: Math.round(this.coreVoltageMv - 8 + 4 * gaussian(this.random)),
      fanPercent,
      fanRpm: fanPercent * 60 + Math.round(30 * gaussian(this.random)),
      sharesAccepted: this.#accepted,
      sharesRejected: this.#rejected,
      rejectedReasons: [...this.#reasons].map(([message, count]) => ({ message, count })),
      bestDiff: Math.floor(this.#bestEver),
      bestSessionDiff: Math.floor(this.#bestSession),
      poolDifficulty: this.poolDifficulty,
      jobArrived,
      networkDifficulty: o.networkDifficulty,
      blockHeight: o.blockHeightBase + Math.max(0, Math.floor((now - HEIGHT_EPOCH_MS) / 600_000)),
      resetReason: this.#resetReason,
      bootCount: this.#bootCount,
      wifiRssi: Math.round(-55 + 3 * gaussian(this.random)),
      freeHeap: 180_000 + Math.round(8000 * this.random()),
    };
    return this.#last;
  }
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Chips the fleet uses: core counts and stock settings of the Bitaxe family. */
export const ASIC_PRESETS: Readonly<
  Record<
    string,
    {
      smallCoreCount: number;
      frequencyMhz: number;
      coreVoltageMv: number;
      deviceModel: string;
      boardVersion: string;
      joulesPerTh: number;
    }
  >
> = {
  BM1397: {
    smallCoreCount: 672,
    frequencyMhz: 425,
    coreVoltageMv: 1400,
    deviceModel: 'Max',
    boardVersion: '102',
    joulesPerTh: 22,
  },
  BM1366: {
    smallCoreCount: 894,
    frequencyMhz: 485,
    coreVoltageMv: 1200,
    deviceModel: 'Ultra',
    boardVersion: '204',
    joulesPerTh: 24,
  },
  BM1368: {
    smallCoreCount: 1276,
    frequencyMhz: 490,
    coreVoltageMv: 1166,
    deviceModel: 'Supra',
    boardVersion: '401',
    joulesPerTh: 17,
  },
  BM1370: {
    smallCoreCount: 2040,
    frequencyMhz: 525,
    coreVoltageMv: 1150,
    deviceModel: 'Gamma',
    boardVersion: '601',
    joulesPerTh: 15,
  },
};
