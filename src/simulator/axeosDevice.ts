import {
  type AxeosSettings,
  buildAxeosInfo,
  type Json,
  STATISTICS_COLUMNS,
  statisticsColumn,
} from './axeosInfo.js';
import { axeosRelease } from './axeosReleases.js';
import { type CommonDeviceOptions, prepare } from './common.js';
import {
  axeosFeatures,
  EspMinerControlState,
  espMinerControlRoute,
  overlayControlState,
} from './espMinerControl.js';
import { exposeHttpDevice, HttpDevice, type HttpReply, type HttpRequestInfo } from './httpDevice.js';
import { ASIC_PRESETS, type MinerModel, type MinerSnapshot, round } from './model.js';
import { hashString, seededRandom } from './random.js';
import { scheduleReboot } from './restartFlow.js';
import type { SimulatedDevice } from './types.js';

export interface AxeosDeviceOptions extends CommonDeviceOptions, AxeosSettings {
  /** Release to play: 2.0, 2.2, 2.4, 2.6, 2.8, 2.9, 2.10 ... 2.15 (a `v` and `.0` are fine). @default '2.15' */
  firmware?: string;
  /** Sockets the web server accepts at once, as the firmware's limit. @default 20 */
  maxConnections?: number;
}

const STATS_LIMIT = 720;

/** The frequency and voltage menus of /api/system/asic, per chip (ESP-Miner device_config.h, v2.15). */
const ASIC_MENUS: Readonly<Record<string, { frequency: readonly number[]; voltage: readonly number[] }>> = {
  BM1397: {
    frequency: [400, 425, 450, 475, 485, 500, 525, 550, 575, 600],
    voltage: [1100, 1150, 1200, 1250, 1300, 1350, 1400, 1450, 1500],
  },
  BM1366: {
    frequency: [400, 425, 450, 475, 485, 500, 525, 550, 575],
    voltage: [1100, 1150, 1200, 1250, 1300],
  },
  BM1368: {
    frequency: [400, 425, 450, 475, 485, 490, 500, 525, 550, 575],
    voltage: [1100, 1150, 1166, 1200, 1250, 1300],
  },
  BM1370: { frequency: [400, 490, 525, 550, 600, 625], voltage: [1000, 1060, 1100, 1150, 1200, 1250] },
};

/** GET /api/system/statistics: samples rebuilt from the clock, ms-since-boot timestamps last. */
function statistics(model: MinerModel, s: MinerSnapshot, frequencyS: number, columns: string[]): Json {
  const labels = [...columns.filter((c) => STATISTICS_COLUMNS.includes(c)), 'timestamp'];
  const rows: Json[] = [];
  if (frequencyS > 0) {
    const periodMs = frequencyS * 1000;
    const last = Math.floor(s.sinceBootMs / periodMs);
    for (let k = Math.max(1, last - STATS_LIMIT + 1); k <= last; k += 1) {
      const r = seededRandom(hashString(`${model.mac}:${model.bootCount}:${k}`));
      rows.push([
        ...labels.slice(0, -1).map((c) => round(statisticsColumn(c, s) * (1 + 0.01 * (r() - 0.5)), 2)),
        k * periodMs,
      ]);
    }
  }
  return { currentTimestamp: s.sinceBootMs, labels, statistics: rows };
}

/** Starts one AxeOS (Bitaxe) device answering on HTTP as the chosen release does. */
export async function startAxeosDevice(options: AxeosDeviceOptions = {}): Promise<SimulatedDevice> {
  const release = axeosRelease(options.firmware ?? '2.15');
  const p = prepare(options, 'axeos', 'bitaxe');
  const { model } = p;
  const preset = ASIC_PRESETS[model.asicModel];
  const settings: AxeosSettings = {
    boardVersion: options.boardVersion ?? preset?.boardVersion ?? '601',
    deviceModel: options.deviceModel ?? preset?.deviceModel ?? 'Gamma',
    ipv4: p.host,
    statsFrequencySeconds: options.statsFrequencySeconds ?? 120,
    ...(options.powerFault ? { powerFault: options.powerFault } : {}),
    ...(options.hardwareFault ? { hardwareFault: options.hardwareFault } : {}),
  };
  const features = axeosFeatures(Number(release.release.split('.')[1]));
  const control = new EspMinerControlState(model);
  let device: HttpDevice | undefined;
  const route = (req: HttpRequestInfo): HttpReply | null => {
    const { method, path } = req;
    if (method === 'GET' && path === '/api/system/info') {
      const info = buildAxeosInfo(model, model.snapshot(), release, settings);
      return { status: 200, json: overlayControlState(info, model, control, features) };
    }
    const controlReply = espMinerControlRoute(model, control, features, req);
    if (controlReply !== null) return controlReply;
    if (method === 'GET' && path === '/api/system/asic' && release.hasAsicPage) {
      return {
        status: 200,
        json: {
          ASICModel: model.asicModel,
          deviceModel: settings.deviceModel ?? 'Gamma',
          swarmColor: 'green',
          asicCount: model.asicCount,
          hashDomains: 4,
          defaultFrequency: preset?.frequencyMhz ?? 525,
          frequencyOptions: [...(ASIC_MENUS[model.asicModel] ?? ASIC_MENUS.BM1370!).frequency],
          defaultVoltage: preset?.coreVoltageMv ?? 1150,
          voltageOptions: [...(ASIC_MENUS[model.asicModel] ?? ASIC_MENUS.BM1370!).voltage],
        },
      };
    }
    if (method === 'GET' && path === '/api/system/statistics' && release.hasStatistics) {
      const columns = (req.query.get('columns') ?? STATISTICS_COLUMNS.join(',')).split(',').filter(Boolean);
      return {
        status: 200,
        json: statistics(model, model.snapshot(), settings.statsFrequencySeconds ?? 0, columns),
      };
    }
    if (
      method === 'GET' &&
      path === '/api/system/wifi/scan' &&
      release.keys.some((k) => k.key === 'networks')
    ) {
      return { status: 200, json: { networks: [{ ssid: 'miners', rssi: -55, authmode: 3 }] } };
    }
    if (method === 'POST' && path === '/api/system/restart') {
      return {
        status: 200,
        json: { message: 'System will restart shortly.' },
        afterSend: () => device && scheduleReboot(model, device.runtime, p.restartDelayMs),
      };
    }
    return null;
  };
  device = new HttpDevice({
    host: p.host,
    port: p.port,
    model,
    faults: p.faults,
    route,
    unknownPath: release.unknownPath,
    closeEveryConnection: false,
    maxConnections: options.maxConnections ?? 20,
    responseDelayMs: p.responseDelayMs,
    authorization: p.authorization,
  });
  return exposeHttpDevice(device, p, 'axeos', release.version);
}
