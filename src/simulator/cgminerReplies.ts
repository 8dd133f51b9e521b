import type { AvalonSettings } from './avalonSettings.js';
import type { Json } from './axeosInfo.js';
import type { MinerModel, MinerSnapshot } from './model.js';
import { round } from './model.js';

/** Which cgminer build the device plays. */
export type CgminerVariant =
  | 'cgminer'
  | 'ghs'
  | 'avalon'
  | 'avalon-nano3s'
  | 'avalon-q'
  | 'avalon-a1246'
  | 'avalon-a15'
  | 'antminer'
  | 'luxos'
  | 'braiins'
  | 'whatsminer';

export interface CgminerContext {
  readonly m: MinerModel;
  readonly s: MinerSnapshot;
  readonly variant: CgminerVariant;
  readonly description: string;
  readonly version: string;
  /** An Avalon's `ascset` settings (work mode, fan duty); undefined on other variants. */
  readonly avalon?: AvalonSettings;
}

type Item = Record<string, Json>;
export interface Section {
  readonly status: Item;
  /** Section name and items; absent for status-only replies. */
  readonly name?: string;
  readonly items?: Item[];
}

export const API_VERSION = '3.7';

export function statusItem(
  c: CgminerContext,
  status: 'S' | 'I' | 'W' | 'E' | 'F',
  code: number,
  msg: string,
): Item {
  return {
    STATUS: status,
    When: Math.floor(c.s.nowMs / 1000),
    Code: code,
    Msg: msg,
    Description: c.description,
  };
}

/** Hashrates in the unit the build uses: MH/s as cgminer and Antminer, GH/s as some forks. */
function rates(c: CgminerContext, mhs: Record<string, number>): Item {
  const ghs = c.variant === 'ghs';
  const out: Item = {};
  for (const [window, value] of Object.entries(mhs))
    out[`${ghs ? 'GHS' : 'MHS'} ${window}`] = round(ghs ? value / 1000 : value, 2);
  return out;
}

function common(c: CgminerContext): Item {
  const s = c.s;
  const mh = s.hashrateGh * 1000;
  return {
    Elapsed: s.uptimeSeconds,
    ...rates(c, {
      av: s.hashrate1hGh * 1000,
      '5s': mh,
      '1m': s.hashrate1mGh * 1000,
      '5m': s.hashrate10mGh * 1000,
      '15m': s.hashrate10mGh * 1000,
    }),
    Accepted: s.sharesAccepted,
    Rejected: s.sharesRejected,
    'Hardware Errors': Math.floor(s.uptimeSeconds / 3600),
    Utility: round((s.sharesAccepted / Math.max(1, s.uptimeSeconds)) * 60, 2),
  };
}

export function summary(c: CgminerContext): Section {
  const s = c.s;
  const diffAccepted = s.sharesAccepted * s.poolDifficulty;
  return {
    status: statusItem(c, 'S', 11, 'Summary'),
    name: 'SUMMARY',
    items: [
      {
        ...common(c),
        'Found Blocks': 0,
        Getworks: Math.floor(s.uptimeSeconds / 30),
        Discarded: 0,
        Stale: 0,
        'Get Failures': 0,
        'Local Work': Math.floor(s.uptimeSeconds * 14),
        'Remote Failures': 0,
        'Network Blocks': Math.floor(s.uptimeSeconds / 600),
        'Total MH': round(s.expectedHashrateGh * 1000 * s.uptimeSeconds, 0),
        'Work Utility': round((diffAccepted / Math.max(1, s.uptimeSeconds)) * 60, 2),
        'Difficulty Accepted': diffAccepted,
        'Difficulty Rejected': s.sharesRejected * s.poolDifficulty,
        'Difficulty Stale': 0,
        'Best Share': s.bestSessionDiff,
        'Device Hardware%': 0,
        'Device Rejected%': round(
          (100 * s.sharesRejected) / Math.max(1, s.sharesAccepted + s.sharesRejected),
          4,
        ),
        'Pool Rejected%': round(
          (100 * s.sharesRejected) / Math.max(1, s.sharesAccepted + s.sharesRejected),
          4,
        ),
        'Pool Stale%': 0,
        'Last getwork': Math.floor(s.nowMs / 1000),
      },
    ],
  };
}

export function pools(c: CgminerContext): Section {
  const { m, s } = c;
  return {
    status: statusItem(c, 'S', 7, '1 Pool(s)'),
    name: 'POOLS',
    items: [
      {
        POOL: 0,
        URL: `stratum+tcp://${m.poolUrl}:${m.poolPort}`,
        Status: 'Alive',
        Priority: 0,
        Quota: 1,
        'Long Poll': 'N',
        Getworks: Math.floor(s.uptimeSeconds / 30),
        Accepted: s.sharesAccepted,
        Rejected: s.sharesRejected,
        Works: Math.floor(s.uptimeSeconds * 14),
        Discarded: 0,
        Stale: 0,
        'Get Failures': 0,
        'Remote Failures': 0,
        User: m.poolUser,
        'Last Share Time': s.sharesAccepted > 0 ? Math.floor(s.nowMs / 1000) - 3 : 0,
        'Diff1 Shares': s.sharesAccepted * s.poolDifficulty,
        'Proxy Type': '',
        Proxy: '',
        'Difficulty Accepted': s.sharesAccepted * s.poolDifficulty,
        'Difficulty Rejected': s.sharesRejected * s.poolDifficulty,
        'Difficulty Stale': 0,
        'Last Share Difficulty': s.poolDifficulty,
        'Work Difficulty': s.poolDifficulty,
        'Has Stratum': true,
        'Stratum Active': true,
        'Stratum URL': m.poolUrl,
        'Stratum Difficulty': s.poolDifficulty,
        'Has GBT': false,
        'Best Share': s.bestSessionDiff,
        'Pool Rejected%': 0,
        'Pool Stale%': 0,
        'Bad Work': 0,
        'Current Block Height': s.jobArrived ? s.blockHeight : 0,
        'Current Block Version': 536870912,
      },
    ],
  };
}

export function devs(c: CgminerContext): Section {
  const s = c.s;
  return {
    status: statusItem(c, 'S', 9, `${c.m.asicCount} ASC(s)`),
    name: 'DEVS',
    items: c.s.chipTempsC.map((temperature, i) => ({
      ASC: i,
      Name: c.variant === 'avalon' ? 'AVA' : 'BTM',
      ID: i,
      Enabled: 'Y',
      Status: 'Alive',
      Temperature: temperature,
      ...common(c),
      'Last Share Pool': 0,
      'Last Share Time': Math.floor(s.nowMs / 1000) - 3,
      'Total MH': round(s.expectedHashrateGh * 1000 * s.uptimeSeconds, 0),
      'Diff1 Work': s.sharesAccepted * s.poolDifficulty,
      'Difficulty Accepted': s.sharesAccepted * s.poolDifficulty,
      'Difficulty Rejected': s.sharesRejected * s.poolDifficulty,
      'Last Share Difficulty': s.poolDifficulty,
      'Last Valid Work': Math.floor(s.nowMs / 1000) - 1,
      'Device Hardware%': 0,
      'Device Rejected%': 0,
      'Device Elapsed': s.uptimeSeconds,
    })),
  };
}

export function version(c: CgminerContext): Section {
  const item: Item = { CGMiner: c.version, API: API_VERSION };
  if (c.variant === 'avalon') {
    Object.assign(item, {
      PROD: 'Avalon Nano3',
      MODEL: 'Nano3',
      HWTYPE: 'N_MM1v1_X1',
      SWTYPE: 'MM319',
      LVERSION: 'nano3-24071801_42c628d',
      MAC: c.m.mac.replace(/:/g, '').toLowerCase(),
    });
  } else if (c.variant === 'cgminer') {
    item.Type = 'Antminer S19';
  }
  return { status: statusItem(c, 'S', 22, 'CGMiner versions'), name: 'VERSION', items: [item] };
}

/** Avalon's MM ID0: one string of Key[value] tokens, multi-values space separated. */
export function avalonMmId0(c: CgminerContext): string {
  const s = c.s;
  const tmax = Math.round(Math.max(...s.chipTempsC));
  const tavg = Math.round(s.chipTempC);
  const ghs = round(s.hashrateGh, 2);
  const tokens: [string, string | number][] = [
    ['Ver', 'nano3-24071801_42c628d'],
    ['LVer', '24071801_42c628d'],
    ['BVer', 'N_MM1v1_X1'],
    ['HVer', 'N_MM1v1'],
    ['DNA', '020100003a2bc1d7'],
    ['MEMFREE', 1396544],
    ['NETFAIL', '0 0 0 0 0 0 0 0'],
    ['SSID', 'miners'],
    ['RSSI', s.wifiRssi],
    ['Elapsed', s.uptimeSeconds],
    ['BOOTBY', s.bootCount > 0 ? '0x04.00000000' : '0x01.00000000'],
    ['LW', Math.floor(s.uptimeSeconds * 14)],
    ['MH', 0],
    ['HW', Math.floor(s.uptimeSeconds / 3000)],
    ['DH', '0.000%'],
    ['Temp', 25],
    ['OTemp', 26],
    ['TMax', tmax],
    ['TAvg', tavg],
    ['TarT', 85],
    ['Fan1', s.fanRpm],
    ['FanR', `${c.avalon?.fanPercent(s.fanPercent) ?? s.fanPercent}%`],
    ['PS', `0 0 0 3 ${Math.round(s.powerW * 100)} ${Math.round(s.powerW)} 324`],
    ['GHSspd', round(s.hashrateGh, 2)],
    ['DHspd', '0.000%'],
    ['GHSmm', round(s.expectedHashrateGh, 2)],
    ['GHSavg', ghs],
    ['Freq', round(c.m.frequencyMhz, 2)],
    ['Led', 1],
    ['MGHS', ghs],
    ['MTmax', tmax],
    ['MTavg', tavg],
    ['WORKLEVEL', 1],
    ['SoftOFF', c.m.paused ? 4 : 0],
    ['MPO', 90],
  ];
  return tokens.map(([k, v]) => `${k}[${v}]`).join(' ');
}

/**
 * bmminer's per-board temperatures as an S19 reports them (stock firmware 49.0.1.3): four chip
 * sensors in `temp_chipN` ("in-in-out-out"), four PCB sensors 5 °C cooler in `temp_pcbN`, the
 * board's hottest chip in `temp2_N` and its hottest PCB sensor in `tempN`.
 */
function antminerBoardTemps(chipTempsC: readonly number[]): Item {
  const out: Item = {};
  chipTempsC.forEach((t, i) => {
    const n = i + 1;
    const chips = [t, t - 26, t - 9, t - 8].map(Math.round);
    const pcb = chips.map((v) => v - 5);
    out[`temp_chip${n}`] = chips.join('-');
    out[`temp_pcb${n}`] = pcb.join('-');
    out[`temp2_${n}`] = Math.max(...chips);
    out[`temp${n}`] = Math.max(...pcb);
  });
  return out;
}

export function stats(c: CgminerContext): Section {
  const s = c.s;
  const head: Item = {
    CGMiner: c.version,
    Miner: c.variant === 'avalon' ? '24071801_42c628d' : '1.0.0',
    CompileTime: 'Thu Jul 18 2024',
    Type: c.variant === 'avalon' ? 'Avalon Nano3' : 'Antminer S19',
  };
  const device: Item =
    c.variant === 'avalon'
      ? {
          STATS: 0,
          ID: 'AVALON0',
          Elapsed: s.uptimeSeconds,
          Calls: 0,
          Wait: 0,
          Max: 0,
          Min: 99999999,
          'MM ID0': avalonMmId0(c),
          'MM Count': 1,
          Smart: 1,
        }
      : {
          STATS: 0,
          ID: 'BTM_SOC0',
          Elapsed: s.uptimeSeconds,
          'GHS 5s': round(s.hashrateGh, 2),
          'GHS av': round(s.hashrate1hGh, 2),
          miner_count: c.m.asicCount,
          fan_num: 2,
          fan1: s.fanRpm,
          fan2: s.fanRpm - 40,
          temp_num: c.m.asicCount,
          ...antminerBoardTemps(s.chipTempsC),
          total_rateideal: round(s.expectedHashrateGh, 2),
          total_freqavg: c.m.frequencyMhz,
        };
  return { status: statusItem(c, 'S', 70, 'CGMiner stats'), name: 'STATS', items: [head, device] };
}

export function coin(c: CgminerContext): Section {
  const s = c.s;
  return {
    status: statusItem(c, 'S', 78, 'CGMiner coin'),
    name: 'COIN',
    items: [
      {
        'Hash Method': 'sha256',
        'Current Block Time': s.jobArrived ? round(s.nowMs / 1000 - 120, 6) : 0,
        'Current Block Hash': s.jobArrived
          ? '00000000000000000001c2a4b1e8f0d7b3a6c9e2f5d8a1b4c7e0f3a6d9b2c5e8'
          : '',
        LP: false,
        'Network Difficulty': s.jobArrived ? s.networkDifficulty : 0,
      },
    ],
  };
}

/** A reply as cgminer writes it in JSON mode: `{"STATUS":[...],"SECTION":[...],"id":1}`. */
export function sectionJson(section: Section): Item {
  const out: Item = { STATUS: [section.status] };
  if (section.name && section.items) out[section.name] = section.items;
  out.id = 1;
  return out;
}

/** Text mode: `STATUS=S,When=..,Code=..|SUMMARY,Elapsed=..|`, separators escaped with `\`. */
export function sectionText(section: Section): string {
  const escapeText = (v: Json) => String(v).replace(/[\\|,=]/g, (ch) => `\\${ch}`);
  const fields = (item: Item) => Object.entries(item).map(([k, v]) => `${k}=${escapeText(v)}`);
  let out = `${fields(section.status).join(',')}|`;
  for (const item of section.items ?? []) {
    const first = Object.keys(item)[0] ?? '';
    const singular = section.name?.replace(/S$/, '') ?? '';
    out +=
      first === singular || first === section.name
        ? `${fields(item).join(',')}|`
        : `${section.name},${fields(item).join(',')}|`;
  }
  return out;
}
