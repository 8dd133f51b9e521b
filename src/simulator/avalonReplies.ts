/**
 * The Avalon generations' "MM ID0" strings, written from real replies (test/fixtures/devices:
 * Nano 3s 25021401, Avalon Q 25052801, A1246 21072802, A1566 24102401) and Canaan's driver (PS[]
 * layout: err, -, vout, iout, -, voutcmd, poutwall on the 2025 MM firmware; the A1246 puts output
 * watts in PS[4] and its power target in PS[6]; the A15 output watts in PS[4] and the wall power
 * in PS[6], repeated as WALLPOWER). The Nano 3 string stays in cgminerReplies.ts.
 */
import type { CgminerContext, Section } from './cgminerReplies.js';
import { statusItem } from './cgminerReplies.js';
import { round } from './model.js';

export type AvalonGeneration = 'nano3s' | 'q' | 'a1246' | 'a15';

type Token = [string, string | number];

const join = (tokens: readonly Token[]): string => tokens.map(([k, v]) => `${k}[${v}]`).join(' ');

/** The duty in use: the one `fan-spd` fixed, else the firmware's own. */
const fanPercent = (c: CgminerContext): number => c.avalon?.fanPercent(c.s.fanPercent) ?? c.s.fanPercent;
const workMode = (c: CgminerContext): number => c.avalon?.workMode ?? 0;
/** Soft off shows as SoftOFF[4] and an idle work state, as the Avalon Q capture does. */
const softOff = (c: CgminerContext): number => (c.m.paused ? 4 : 0);
const workState = (c: CgminerContext): string => (c.m.paused ? 'In Idle' : 'In Work');

/** Chip temperatures as the firmware prints them: whole degrees. */
function chips(c: CgminerContext): { max: number; avg: number; all: number[] } {
  const all = c.s.chipTempsC.map((t) => Math.round(t));
  return { max: Math.max(...all), avg: Math.round(c.s.chipTempC), all };
}

function nano3s(c: CgminerContext): string {
  const s = c.s;
  const t = chips(c);
  const watts = Math.round(s.powerW);
  return join([
    ['Ver', 'Nano3s-25021401_56abae7'],
    ['LVer', '25021401_56abae7'],
    ['BVer', '25021401_56abae7'],
    ['FW', 'Release'],
    ['DNA', '02010000bd448216'],
    ['SYSTEMSTATU', `Work: ${workState(c)}, Hash Board: 1`],
    ['Elapsed', s.uptimeSeconds],
    ['HW', 0],
    ['DH', '2.374%'],
    ['ITemp', -273],
    ['OTemp', Math.round(s.chipTempC - 25)],
    ['TMax', t.max],
    ['TAvg', t.avg],
    ['TarT', 90],
    ['Fan1', s.fanRpm],
    ['FanR', `${fanPercent(c)}%`],
    ['PS', `0 0 ${27500 + Math.round(s.powerW)} 4 0 3756 ${watts}`],
    ['GHSspd', round(s.hashrateGh, 2)],
    ['GHSmm', round(s.expectedHashrateGh, 2)],
    ['GHSavg', round(s.hashrate1hGh, 2)],
    ['Freq', round(c.m.frequencyMhz, 2)],
    ['MGHS', round(s.hashrate1hGh, 2)],
    ['MTmax', t.max],
    ['MTavg', t.avg],
    ['TA', c.m.asicCount],
    ['Core', 'A3197S'],
    ['PVT_T0', t.all.join(' ')],
    ['SoftOFF', softOff(c)],
    ['WORKMODE', workMode(c)],
    ['WORKLEVEL', 0],
    ['MPO', watts + 3],
  ]);
}

function avalonQ(c: CgminerContext): string {
  const s = c.s;
  const t = chips(c);
  const wall = Math.round(s.powerW);
  const out = Math.round(s.powerW * 0.93);
  const fan = s.fanRpm;
  return `'STATS':{${join([
    ['Ver', 'Q-25052801_14a19a2'],
    ['LVer', '25052801_14a19a2'],
    ['BVer', '25052801_14a19a2'],
    ['HashMcu0Ver', 'Q_hb_v1.1'],
    ['FanMcuVer', 'Q_fb_v1.2'],
    ['CPU', 'K230'],
    ['FW', 'Release'],
    ['STATE', 1],
    ['SYSTEMSTATU', `Work: ${workState(c)}, Hash Board: 1`],
    ['Elapsed', s.uptimeSeconds],
    ['DH', '2.449%'],
    ['ITemp', 26],
    ['HBITemp', Math.round(s.chipTempC - 30)],
    ['HBOTemp', Math.round(s.chipTempC - 22)],
    ['TMax', t.max],
    ['TAvg', t.avg],
    ['TarT', 75],
    ['Fan1', fan],
    ['Fan2', fan + 20],
    ['Fan3', fan - 30],
    ['Fan4', fan + 10],
    ['FanR', `${fanPercent(c)}%`],
    ['PS', `0 1216 2411 ${Math.round(out / 24.11)} ${out} 2412 ${wall}`],
    ['GHSspd', round(s.hashrateGh, 2)],
    ['GHSmm', round(s.expectedHashrateGh, 2)],
    ['GHSavg', round(s.hashrate1hGh, 2)],
    ['Freq', round(c.m.frequencyMhz, 2)],
    ['MGHS', round(s.hashrate1hGh, 2)],
    ['TA', c.m.asicCount],
    ['Core', 'A3197S'],
    ['SoftOFF', softOff(c)],
    ['WORKMODE', workMode(c)],
    ['WORKLEVEL', 0],
    ['MPO', 800],
  ])}}`;
}

function a1246(c: CgminerContext): string {
  const s = c.s;
  const boards = [0, 1, 2];
  const t = chips(c);
  const boardMax = boards.map((b) => t.max - b);
  const boardAvg = boards.map((b) => t.avg - b);
  const watts = Math.round(s.powerW);
  const fan = s.fanRpm;
  const perBoard = (gh: number) => boards.map(() => round(gh / 3, 2)).join(' ');
  return join([
    ['Ver', '1246-83-21072802_4ec6bb0_211fc46'],
    ['DNA', '02010000cbd2fd6d'],
    ['SYSTEMSTATU', `Work: ${workState(c)}, Hash Board: 3 `],
    ['Elapsed', s.uptimeSeconds],
    ['HW', 2735],
    ['DH', '2.732%'],
    ['Temp', 30],
    ['TMax', t.max],
    ['TAvg', t.avg],
    ['Fan1', fan],
    ['Fan2', fan + 48],
    ['Fan3', fan + 5],
    ['Fan4', fan - 35],
    ['FanR', `${fanPercent(c)}%`],
    ['Vo', 329],
    ['PS', `0 1214 1316 ${Math.round(watts / 13.16)} ${watts} 1320 3504`],
    ['GHSspd', round(s.hashrateGh, 2)],
    ['GHSmm', round(s.expectedHashrateGh, 2)],
    ['GHSavg', round(s.hashrate1hGh, 2)],
    ['Freq', round(c.m.frequencyMhz, 2)],
    ['MGHS', perBoard(s.hashrate1hGh)],
    ['MTmax', boardMax.join(' ')],
    ['MTavg', boardAvg.join(' ')],
    ['TA', 360],
    ['Core', 'A3201'],
    ['SoftOFF', softOff(c)],
  ]);
}

/** The A1566 (15-194) capture's shape: three boards, two fans, the wall power twice. */
function a15(c: CgminerContext): string {
  const s = c.s;
  const boards = [0, 1, 2];
  const t = chips(c);
  const wall = Math.round(s.powerW);
  const out = Math.round(s.powerW * 0.945);
  const fan = s.fanRpm;
  const perBoard = (gh: number) => boards.map(() => round(gh / 3, 2)).join(' ');
  return join([
    ['Ver', '15-194-24102401_25462b2_9ddf522'],
    ['DNA', '020100008c699117'],
    ['SYSTEMSTATU', `Work: ${workState(c)}, Hash Board: 3 `],
    ['Elapsed', s.uptimeSeconds],
    ['HW', 0],
    ['DH', '1.299%'],
    ['Temp', 31],
    ['TMax', t.max],
    ['TAvg', t.avg],
    ['Fan1', fan],
    ['Fan2', fan + 7],
    ['FanR', `${fanPercent(c)}%`],
    ['Vo', 296],
    ['PS', `0 1209 1187 ${Math.round(out / 11.87)} ${out} 1188 ${wall}`],
    ['WALLPOWER', wall],
    ['GHSspd', round(s.hashrateGh, 2)],
    ['GHSmm', round(s.expectedHashrateGh, 2)],
    ['GHSavg', round(s.hashrate1hGh, 2)],
    ['Freq', round(c.m.frequencyMhz, 2)],
    ['MGHS', perBoard(s.hashrate1hGh)],
    ['MTmax', boards.map((b) => t.max - b).join(' ')],
    ['MTavg', boards.map((b) => t.avg - b).join(' ')],
    ['TA', 480],
    ['Core', 'A3197S'],
    ['SoftOFF', softOff(c)],
    ['MPO', 3515],
    ['WORKMODE', workMode(c)],
  ]);
}

/** The MM string of a generation that keeps it under "MM ID0". */
const MM_ID0: Readonly<Record<Exclude<AvalonGeneration, 'q'>, (c: CgminerContext) => string>> = {
  nano3s,
  a1246,
  a15,
};

/** `stats`/`estats` of an Avalon generation: its MM string under the key that generation uses. */
export function avalonStats(c: CgminerContext, generation: AvalonGeneration): Section {
  const s = c.s;
  const mm =
    generation === 'q'
      ? { 'MM ID0:Summary': avalonQ(c) }
      : { 'MM ID0': MM_ID0[generation](c), 'MM Count': 1 };
  return {
    status: statusItem(c, 'S', 70, 'CGMiner stats'),
    name: 'STATS',
    items: [
      {
        STATS: 0,
        ID: generation === 'a1246' || generation === 'a15' ? 'AVA100' : 'AVALON0',
        Elapsed: s.uptimeSeconds,
        Calls: 0,
        Wait: 0,
        Max: 0,
        Min: 99999999,
        ...mm,
      },
    ],
  };
}

const VERSIONS: Readonly<Record<AvalonGeneration, Record<string, string>>> = {
  nano3s: { PROD: 'Avalon Nano3s', MODEL: 'Nano3s', LVERSION: '25021401_56abae7', SWTYPE: 'MM319' },
  q: { PROD: 'Avalon Q', MODEL: 'Q', HWTYPE: 'Q_MM1v1_X1', LVERSION: '25052801_14a19a2', SWTYPE: 'MM319' },
  // The A-series sends its firmware as VERSION, with no LVERSION (A1246-81 and A1566 replies).
  a1246: {
    PROD: 'AvalonMiner 1246-83',
    MODEL: '1246-83',
    HWTYPE: 'MM3v2_X3',
    SWTYPE: 'MM314',
    VERSION: '21072802_4ec6bb0_211fc46',
  },
  a15: {
    PROD: 'AvalonMiner 15-194',
    MODEL: '15-194',
    HWTYPE: 'MM4v2_X3',
    SWTYPE: 'MM319',
    VERSION: '24102401_25462b2_9ddf522',
  },
};

export function avalonVersion(c: CgminerContext, generation: AvalonGeneration): Section {
  return {
    status: statusItem(c, 'S', 22, 'CGMiner versions'),
    name: 'VERSION',
    items: [
      {
        CGMiner: c.version,
        API: '3.7',
        ...VERSIONS[generation],
        MAC: c.m.mac.replace(/:/g, '').toLowerCase(),
      },
    ],
  };
}
