/**
 * Antminer firmwares on the cgminer API, written from real replies (test/fixtures/devices):
 * stock bmminer on an S19 Pro (49.0.1.3), LuxOS on an S19k Pro (LUXminer 2025.4.8) and
 * Braiins OS+ on an S9 (BOSminer+ 0.2.0). Each keeps its hardware in its own place: bmminer and
 * LuxOS in `stats` (per board temp_chipN/temp_pcbN, fans, total_rateideal), LuxOS also in
 * `power`, `temps` and `fans`, bosminer only in `temps` and `fans`.
 */
import type { CgminerContext, Section } from './cgminerReplies.js';
import { statusItem, summary } from './cgminerReplies.js';
import { round } from './model.js';

export type AntminerFirmware = 'bmminer' | 'luxos' | 'bosminer';

type Item = Record<string, string | number | boolean>;

const BOARDS = [1, 2, 3] as const;

/** A board's temperatures: the model's chip temperature for board n, the board's spread. */
function board(c: CgminerContext, n: number): { chips: number[]; pcb: number[] } {
  const t = c.s.chipTempsC[n - 1] ?? c.s.chipTempC;
  const chips = [t, t - 28, t - 9, t - 8].map(Math.round);
  return { chips, pcb: chips.map((v) => v - 5) };
}

/** `summary` with the hashrate windows this firmware writes, in its unit. */
export function antminerSummary(c: CgminerContext, firmware: AntminerFirmware): Section {
  const base = summary(c);
  const item = { ...(base.items?.[0] ?? {}) };
  for (const key of Object.keys(item)) if (/^[MG]HS /.test(key)) delete item[key];
  const s = c.s;
  const gh = {
    '5s': s.hashrateGh,
    '1m': s.hashrate1mGh,
    '5m': s.hashrate10mGh,
    '15m': s.hashrate10mGh,
    '30m': s.hashrate1hGh,
    av: s.hashrate1hGh,
  };
  const windows: readonly (keyof typeof gh)[] =
    firmware === 'bmminer' ? ['5s', '30m', 'av'] : ['5s', '1m', '5m', '15m', '30m', 'av'];
  const mhs = firmware === 'bosminer';
  for (const w of windows) item[`${mhs ? 'MHS' : 'GHS'} ${w}`] = round(mhs ? gh[w] * 1000 : gh[w], 2);
  return { ...base, items: [item] };
}

export function antminerVersion(c: CgminerContext, firmware: AntminerFirmware): Section {
  const items: Item[] =
    firmware === 'bmminer'
      ? [
          {
            BMMiner: '1.0.0',
            API: '3.1',
            Miner: '49.0.1.3',
            CompileTime: 'Tue Dec 6 2022',
            Type: 'Antminer S19 Pro',
          },
        ]
      : firmware === 'luxos'
        ? [
            {
              LUXminer: '2025.4.8.220305-57b389c7',
              API: '3.7',
              Miner: '2025.4.8.220305',
              Type: 'Antminer S19k Pro',
            },
          ]
        : [{ 'BOSminer+': '0.2.0-36c56a9363', API: '3.7' }];
  return { status: statusItem(c, 'S', 22, `${DESCRIPTIONS[firmware]} versions`), name: 'VERSION', items };
}

const DESCRIPTIONS: Readonly<Record<AntminerFirmware, string>> = {
  bmminer: 'CGMiner',
  luxos: 'LUXminer',
  bosminer: 'BOSminer+',
};

/** bmminer/LuxOS `stats`: a banner item, then the boards. LuxOS repeats the PCB sensors as chips. */
export function antminerStats(c: CgminerContext, firmware: AntminerFirmware): Section {
  const s = c.s;
  const version = antminerVersion(c, firmware).items?.[0] ?? {};
  const boards: Item = {};
  for (const n of BOARDS) {
    const t = board(c, n);
    const chips = firmware === 'luxos' ? t.pcb : t.chips;
    boards[`chain_rate${n}`] = round(s.hashrateGh / 3, 2).toFixed(2);
    boards[`temp_chip${n}`] = chips.join('-');
    boards[`temp_pcb${n}`] = t.pcb.join('-');
    boards[`temp_pic${n}`] = t.pcb.map((v) => v - 10).join('-');
    boards[`temp2_${n}`] = Math.max(...chips);
    boards[`temp${n}`] = Math.max(...t.pcb);
  }
  const fan = s.fanRpm;
  return {
    status: statusItem(c, 'S', 70, `${DESCRIPTIONS[firmware]} stats`),
    name: 'STATS',
    items: [
      { ...version },
      {
        STATS: 0,
        ID: 'BTM_SOC0',
        Elapsed: s.uptimeSeconds,
        'GHS 5s': round(s.hashrateGh, 2),
        'GHS av': round(s.hashrate1hGh, 2),
        miner_count: 3,
        frequency: c.m.frequencyMhz,
        fan_num: 4,
        fan1: fan,
        fan2: fan - 120,
        fan3: fan - 960,
        fan4: fan - 960,
        temp_num: 3,
        ...boards,
        temp_chip4: '0-0-0-0',
        temp_pcb4: '0-0-0-0',
        total_rateideal: round(s.expectedHashrateGh, 2),
        rate_unit: 'GH',
        total_freqavg: c.m.frequencyMhz,
      },
    ],
  };
}

/** LuxOS `power`: the firmware's watts; PSU false means computed, not read from the supply. */
export function luxPower(c: CgminerContext): Section {
  return {
    status: statusItem(c, 'S', 311, 'Power usage'),
    name: 'POWER',
    items: [{ PSU: false, Watts: Math.round(c.s.powerW) }],
  };
}

/** bosminer `temps`: per board "Board" (PCB) and "Chip" (0.0 on an S9, which has no chip sensor). */
export function bosTemps(c: CgminerContext): Section {
  return {
    status: statusItem(c, 'S', 201, '3 Temp(s)'),
    name: 'TEMPS',
    items: BOARDS.map((n) => ({ TEMP: n - 1, ID: n + 5, Board: Math.max(...board(c, n).pcb), Chip: 0 })),
  };
}

/** `fans` (bosminer, LuxOS): four slots; an S9 has two fans and its empty slots read 0 RPM. */
export function fansOf(c: CgminerContext, firmware: AntminerFirmware): Section {
  const s = c.s;
  const rpm =
    firmware === 'bosminer'
      ? [s.fanRpm, s.fanRpm + 960, 0, 0]
      : [s.fanRpm, s.fanRpm, s.fanRpm + 420, s.fanRpm + 420];
  return {
    status: statusItem(c, 'S', 202, '4 Fan(s)'),
    name: 'FANS',
    items: rpm.map((r, i) => ({ FAN: i, ID: i, RPM: r, Speed: s.fanPercent })),
  };
}
