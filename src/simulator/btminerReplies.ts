/**
 * A Whatsminer's btminer API, written from real replies (test/fixtures/devices/whatsminer, API
 * v1.4.0 on 20210322.22.REL, and the v2 key set): cgminer's `summary`, `devs`, `pools` with
 * btminer's own keys, `devdetails` with the model per board (the M30S+ VE40 capture),
 * `get_version` and `get_miner_info` with the envelope at the top and an object in Msg, no
 * `version` command, and "invalid cmd" for anything it does not know.
 */
import type { Json } from './axeosInfo.js';
import { type CgminerContext, pools, type Section, statusItem, summary } from './cgminerReplies.js';
import { round } from './model.js';

const FIRMWARE = '20210322.22.REL';
const API = 'whatsminer v1.4.0';
/** btminer's devdetails Model: the model and its board variant joined by "_". */
const MODEL = 'M30S+_VE40';

/** btminer's top-level envelope: {"STATUS":"S","When":..,"Code":131,"Msg":{..},"Description":..}. */
function topLevel(c: CgminerContext, msg: Json): Json {
  return { STATUS: 'S', When: Math.floor(c.s.nowMs / 1000), Code: 131, Msg: msg, Description: API };
}

export function btminerInvalid(c: CgminerContext): Json {
  return { STATUS: 'E', When: Math.floor(c.s.nowMs / 1000), Code: 14, Msg: 'invalid cmd', Description: '' };
}

function boardTemps(c: CgminerContext): { board: number; chipAvg: number; chipMax: number }[] {
  return [0, 1, 2].map((i) => {
    const chip = c.s.chipTempsC[i] ?? c.s.chipTempC;
    return { board: round(chip - 14, 1), chipAvg: round(chip, 2), chipMax: round(chip + 8, 2) };
  });
}

export function btminerSummary(c: CgminerContext): Section {
  const base = summary(c);
  const s = c.s;
  const boards = boardTemps(c);
  const item = {
    ...(base.items?.[0] ?? {}),
    'MHS 1m': round(s.hashrate1mGh * 1000, 2),
    'MHS 5m': round(s.hashrate10mGh * 1000, 2),
    'MHS 15m': round(s.hashrate10mGh * 1000, 2),
    'HS RT': round(s.hashrate10mGh * 1000, 2),
    Temperature: Math.max(...boards.map((b) => b.board)),
    'Fan Speed In': s.fanRpm,
    'Fan Speed Out': s.fanRpm + 30,
    Voltage: 1180,
    Power: Math.round(s.powerW),
    Power_RT: Math.round(s.powerW) + 10,
    'Power Limit': 3500,
    'Power Mode': 'Normal',
    'Chip Temp Min': round(Math.min(...boards.map((b) => b.chipAvg)) - 13, 2),
    'Chip Temp Max': Math.max(...boards.map((b) => b.chipMax)),
    'Chip Temp Avg': round(s.chipTempC, 2),
    'Factory GHS': Math.round(s.expectedHashrateGh),
    'Target MHS': Math.round(s.expectedHashrateGh * 950),
    'Target Freq': c.m.frequencyMhz,
    'Firmware Version': `'${FIRMWARE}'`,
    MAC: c.m.mac.toUpperCase(),
    Uptime: s.uptimeSeconds + 640,
    'Hash Stable': true,
    'Liquid Cooling': false,
  };
  return { ...base, items: [item] };
}

export function btminerDevs(c: CgminerContext): Section {
  const s = c.s;
  const items = boardTemps(c).map((b, i) => ({
    ASC: i,
    Name: 'SM',
    ID: i,
    Slot: i,
    Enabled: 'Y',
    Status: 'Alive',
    Temperature: b.board,
    'Chip Frequency': c.m.frequencyMhz,
    'Fan Speed In': s.fanRpm,
    'Fan Speed Out': s.fanRpm + 30,
    'MHS av': round((s.hashrate1hGh * 1000) / 3, 2),
    'MHS 1m': round((s.hashrate1mGh * 1000) / 3, 2),
    'Chip Temp Min': round(b.chipAvg - 13, 2),
    'Chip Temp Max': b.chipMax,
    'Chip Temp Avg': b.chipAvg,
    'Effective Chips': 105,
    'PCB SN': `H5M14S69129A17K1009${i}`,
  }));
  return { status: statusItem(c, 'S', 9, '3 ASC(s)'), name: 'DEVS', items };
}

export const btminerPools = pools;

/** One item per hash board (btminer calls each "SM"), each naming the machine's model. */
export function btminerDevdetails(c: CgminerContext): Section {
  const items = [0, 1, 2].map((i) => ({
    DEVDETAILS: i,
    Name: 'SM',
    ID: i,
    Driver: 'bitmicro',
    Kernel: '',
    Model: MODEL,
  }));
  return { status: statusItem(c, 'S', 69, 'Device Details'), name: 'DEVDETAILS', items };
}

export function btminerGetVersion(c: CgminerContext): Json {
  return topLevel(c, { api_ver: API, fw_ver: FIRMWARE });
}

export function btminerGetMinerInfo(c: CgminerContext): Json {
  return topLevel(c, { mac: c.m.mac.toUpperCase(), hostname: c.m.hostname, ledstat: 'auto' });
}
