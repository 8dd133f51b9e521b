/**
 * Every cgminer-family capture in test/fixtures/devices, replayed as a device on 127.0.0.1: the
 * registry detects it from its address alone, the driver reads a sample, and each field is
 * compared with the value written here by hand from the capture and the firmware's meaning.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CgminerClient } from '../../../src/miners/cgminer/CgminerClient.js';
import { readWhatsminerIdentity } from '../../../src/miners/drivers/whatsminerSample.js';
import {
  createDriverRegistry,
  type MinerIdentity,
  MinerResponseError,
  type MinerSample,
} from '../../../src/miners/index.js';
import { judgeTemperatures } from '../../../src/monitor/state/temperatureHealth.js';
import { SteppingClock } from '../helpers.js';
import { type Dialect, listCaptures, loadCapture, type ReplayDevice, replayDevice } from './replay.js';

type Expected = Partial<Record<keyof MinerSample, unknown>>;

interface Case {
  readonly family: string;
  readonly capture: string;
  readonly dialect?: Dialect;
  /** The kind detection must find; absent when the capture has no `version` to detect by. */
  readonly detects?: string;
  /** Commands the capture lacks that a real device has: each is one warning, nothing more. */
  readonly notCaptured?: readonly string[];
  /** Repairs the driver must report (command and what), for captures holding a known defect. */
  readonly repaired?: readonly string[];
  readonly expected: Expected;
}

const CASES: readonly Case[] = [
  {
    family: 'avalon-nano3s',
    capture: 'miner-sentinel-25021401',
    detects: 'cgminer',
    notCaptured: ['pools'],
    expected: {
      kind: 'cgminer',
      // Only "MHS av" was kept from its summary: 6676358.98 MH/s.
      hashrateGhs: 6676.35898,
      expectedHashrateGhs: 6783.65,
      temperatureC: 90, // TAvg
      maxChipTemperatureC: 95, // TMax
      chipTemperaturesC: [95], // MTmax of its one board
      boardTemperaturesC: [65], // OTemp; ITemp[-273] is no sensor
      chipTempLimitC: 100, // TarT 90 + 10 of headroom
      vrTemperatureC: null,
      // PS[0 0 27541 4 0 3756 133]: [6] is the measured wall power; 3756 is the commanded voltage.
      powerW: 133,
      fanRpm: [1520],
      fanPercent: 33,
      sharesAccepted: 2547,
      sharesRejected: 10,
      bestDifficulty: 12031286,
      uptimeS: 10010,
      mac: 'E0:E1:A9:3F:85:23',
      deviceModel: 'Avalon Nano3s',
      firmware: 'cgminer 4.11.1',
      paused: false, // SoftOFF[0]
    },
  },
  {
    family: 'avalon-nano3',
    capture: 'miner-sentinel-16-24071801',
    notCaptured: ['pools', 'version'],
    expected: {
      // No hashrate window in the (completed) summary: the MM string's GHSavg, not GHSspd 2630.98.
      hashrateGhs: 2474.77,
      expectedHashrateGhs: 3203.56,
      temperatureC: 85,
      maxChipTemperatureC: 87,
      chipTemperaturesC: [87],
      boardTemperaturesC: [38, 41], // Temp (inlet), OTemp (outlet)
      chipTempLimitC: 95,
      // PS[0 0 0 3 2792 89 324]: the Nano 3 puts watts in [5] (27.92 V x 3.24 A = 90 W).
      powerW: 89,
      fanRpm: [3030],
      fanPercent: 41,
      uptimeS: 512933,
      deviceModel: 'Avalon nano3',
      paused: false, // SoftOFF[0]
    },
  },
  {
    family: 'avalon-q',
    capture: 'asic-rs-q-25052801',
    detects: 'cgminer',
    expected: {
      // Soft-off: MHS 1m is 0.0 (MHS av 44539601.86 is since boot; 15m still 52.7 TH/s).
      hashrateGhs: 0,
      expectedHashrateGhs: 55032.79,
      temperatureC: null, // TAvg[0] while idle
      maxChipTemperatureC: null,
      chipTemperaturesC: [],
      boardTemperaturesC: [26, 27, 27], // ITemp, HBITemp, HBOTemp
      chipTempLimitC: 75,
      powerW: 146, // PS[0 1222 4 0 0 2245 146]: [6] poutwall; 2245 is the commanded voltage
      fanRpm: [0, 0, 0, 0],
      fanPercent: 0,
      sharesAccepted: 890,
      sharesRejected: 2,
      bestDifficulty: 354914572,
      uptimeS: 37714,
      poolUrl: 'stratum+tcp://pool.example.com:4444',
      poolUser: 'worker1',
      poolDifficulty: 524288,
      blockHeight: 907089,
      networkDifficulty: 126271255279306.98,
      mac: 'AA:BB:CC:DD:EE:FF',
      deviceModel: 'Avalon Q',
      firmware: '25052801_14a19a2',
      paused: true, // SoftOFF[4], SYSTEMSTATU[Work: In Idle, ...]
    },
  },
  {
    family: 'avalon-a1x',
    capture: 'asic-rs-a1246-21072802',
    notCaptured: ['pools', 'version'],
    expected: {
      hashrateGhs: 79656.63, // GHSavg (no window in the completed summary)
      expectedHashrateGhs: 83923.04,
      temperatureC: 65,
      maxChipTemperatureC: 77,
      chipTemperaturesC: [77, 77, 76], // MTmax per board
      boardTemperaturesC: [30], // Temp (inlet)
      chipTempLimitC: null, // this firmware sends no TarT
      // PS[0 1214 1316 242 3189 1320 3504]: 13.16 V x 242 A = 3185 W in [4]; [6] is the target.
      powerW: 3189,
      fanRpm: [5344, 5392, 5349, 5309],
      fanPercent: 72,
      uptimeS: 24684,
      deviceModel: 'AvalonMiner 1246',
      paused: false, // SoftOFF[0], SYSTEMSTATU[Work: In Work, ...]
    },
  },
  {
    family: 'avalon-a1x',
    capture: 'pyasic-a1566-24102401',
    detects: 'cgminer',
    expected: {
      kind: 'cgminer',
      hashrateGhs: 184007, // GHSavg (no window in the completed summary)
      expectedHashrateGhs: 201920.42, // GHSmm
      temperatureC: 70, // TAvg
      maxChipTemperatureC: 78, // TMax
      chipTemperaturesC: [77, 78, 77], // MTmax per board
      boardTemperaturesC: [31], // Temp (inlet)
      chipTempLimitC: null, // no TarT in this firmware's MM string
      vrTemperatureC: null,
      // WALLPOWER[3731] = PS[6], the wall; PS[4] 3526 is watts out (11.87 V x 297 A).
      powerW: 3731,
      fanRpm: [4275, 4282],
      fanPercent: 49,
      // The completed summary holds only Elapsed: no share counts, no best share.
      sharesAccepted: null,
      bestDifficulty: null,
      uptimeS: 975,
      // The alive, stratum-active pool of best priority (pyasic replaced URL and user).
      poolUrl: 'stratum+tcp://stratum.pool.io:3333',
      poolUser: 'pool_username.real_worker',
      poolDifficulty: 262144,
      blockHeight: 882588,
      mac: '12:34:56:78:90:12', // as pyasic replaced it
      deviceModel: 'AvalonMiner 15-194', // version PROD
      firmware: '24102401_25462b2_9ddf522', // version VERSION: the A-series sends no LVERSION
    },
  },
  {
    family: 'antminer-s19',
    capture: 'asic-rs-s19pro-49.0.1.3',
    detects: 'cgminer',
    expected: {
      hashrateGhs: 111878.26, // GHS 30m: bmminer has no 1m/5m/15m; never GHS 5s
      expectedHashrateGhs: 110000, // total_rateideal, rate_unit GH
      chipTemperaturesC: [78, 50, 69, 70, 52, 55, 70, 71, 51, 49, 69, 68], // temp_chip1..3
      temperatureC: 752 / 12,
      maxChipTemperatureC: 78,
      boardTemperaturesC: [73, 45, 64, 65, 47, 50, 65, 66, 46, 44, 64, 63], // temp_pcb1..3
      chipTempLimitC: null,
      powerW: null, // stock bmminer reports no power
      fanRpm: [6000, 5880, 5040, 5040],
      sharesAccepted: 4057,
      sharesRejected: 11,
      bestDifficulty: 12904207043,
      uptimeS: 50474,
      poolUrl: 'stratum+tcp://btc.global.luxor.tech:700',
      poolUser: 'satokierepair.H04YK',
      poolDifficulty: 524288,
      deviceModel: 'Antminer S19 Pro',
      firmware: 'BMMiner 1.0.0 (49.0.1.3)',
    },
  },
  {
    family: 'luxos',
    capture: 'asic-rs-s19kpro-2025.4.8',
    detects: 'cgminer',
    expected: {
      hashrateGhs: 60829.48, // GHS 1m
      expectedHashrateGhs: 61954.2,
      // temp_chipN repeats temp_pcbN (its `temps` labels them board intake/exhaust): no chip reading.
      chipTemperaturesC: [],
      temperatureC: null,
      maxChipTemperatureC: null,
      boardTemperaturesC: [47, 34, 34, 47, 47, 33, 33, 47, 47, 34, 34, 47],
      powerW: 1051, // `power` Watts
      fanRpm: [1920, 1920, 2340, 2340],
      sharesAccepted: 1483,
      sharesRejected: 1,
      bestDifficulty: 32768,
      uptimeS: 3453,
      poolUrl: 'stratum+tcp://ca.stratum.braiins.com:3333',
      poolUser: 'asic-rs.user1',
      poolDifficulty: 32768,
      deviceModel: 'Antminer S19k Pro',
      firmware: 'LUXminer 2025.4.8.220305-57b389c7',
    },
  },
  {
    family: 'braiins',
    capture: 'foreman-apps-bosplus-0.2.0',
    detects: 'cgminer',
    expected: {
      hashrateGhs: 13967.27698800245, // MHS 1m
      expectedHashrateGhs: null,
      chipTemperaturesC: [], // "Chip": 0.0 on every S9 board
      temperatureC: null,
      boardTemperaturesC: [75, 63, 70],
      powerW: null,
      fanRpm: [2820, 3780], // the two empty fan slots read 0 RPM
      fanPercent: 40,
      sharesAccepted: 153,
      sharesRejected: 0,
      bestDifficulty: 65536,
      uptimeS: 3680,
      poolUrl: 'stratum+tcp://stratum.antpool.com:3333',
      poolUser: 'antminer_1',
      poolDifficulty: 65536,
      blockHeight: null, // "Current Block Height": 0
      firmware: 'BOSminer+ 0.2.0-36c56a9363',
    },
  },
  {
    family: 'whatsminer',
    capture: 'asic-rs-v1-20210322',
    dialect: 'btminer',
    detects: 'whatsminer',
    expected: {
      kind: 'whatsminer',
      hashrateGhs: 67439.35249, // MHS 1m, not MHS 5s 70668114.52
      expectedHashrateGhs: 68796, // Factory GHS
      temperatureC: 84.11, // Chip Temp Avg
      maxChipTemperatureC: 92.5, // Chip Temp Max
      chipTemperaturesC: [90, 90.11, 92.5], // per board Chip Temp Max (devs)
      boardTemperaturesC: [70, 69.5, 71.5], // per board Temperature (devs)
      chipTempLimitC: null,
      powerW: 3417, // Power; Power Limit 3500 is a setting
      fanRpm: [6450, 6480], // Fan Speed In, Fan Speed Out
      sharesAccepted: 2338,
      sharesRejected: 0,
      bestDifficulty: 41127493,
      uptimeS: 10154,
      poolUrl: 'stratum+tcp://btc.example.pool:3333',
      poolUser: 'asic-rs.test',
      poolDifficulty: 65536,
      blockHeight: 920127,
      mac: 'C4:08:28:00:A4:19',
      firmware: '20210322.22.REL', // get_version fw_ver
      hostname: null,
    },
  },
  {
    family: 'whatsminer',
    capture: 'asic-rs-v2-20230803',
    dialect: 'btminer',
    detects: 'whatsminer',
    expected: {
      kind: 'whatsminer',
      hashrateGhs: 125000, // only MHS av in this summary
      expectedHashrateGhs: 126000,
      temperatureC: 72.5,
      maxChipTemperatureC: 81,
      chipTemperaturesC: [80, 81, 81],
      boardTemperaturesC: [65, 66, 67, 28.5], // devs Temperature, then Env Temp (inlet air)
      powerW: 3200, // Power; Power Limit 3300 is a setting
      fanRpm: [5400, 5280],
      sharesAccepted: 5412,
      sharesRejected: null,
      bestDifficulty: 82000000,
      uptimeS: 25000,
      poolUrl: 'stratum+tcp://btc.example.pool:3333',
      mac: 'D4:01:02:03:04:05', // get_miner_info
      hostname: 'WhatsMiner',
      firmware: '20230803.11.REL',
    },
  },
  {
    family: 'antminer-s19',
    capture: 'derived-leading-comma',
    detects: 'cgminer',
    repaired: ['stats: repaired leading comma'],
    expected: {
      hashrateGhs: 111878.26,
      chipTemperaturesC: [78, 50, 69, 70, 52, 55, 70, 71, 51, 49, 69, 68],
      boardTemperaturesC: [73, 45, 64, 65, 47, 50, 65, 66, 46, 44, 64, 63],
      fanRpm: [6000, 5880, 5040, 5040],
      expectedHashrateGhs: 110000,
    },
  },
  {
    family: 'whatsminer',
    capture: 'derived-btminer-defects',
    dialect: 'btminer',
    detects: 'whatsminer',
    repaired: ['summary: repaired raw control character', 'devs: repaired missing comma'],
    expected: {
      hashrateGhs: 67439.35249,
      chipTemperaturesC: [90, 90.11, 92.5],
      boardTemperaturesC: [70, 69.5, 71.5],
      powerW: 3417,
      firmware: '20210322.22.REL',
    },
  },
];

const devices: ReplayDevice[] = [];
afterAll(async () => {
  await Promise.all(devices.map((device) => device.close()));
});

function registry() {
  const clock = new SteppingClock();
  return createDriverRegistry({
    clock,
    http: { timeoutMs: 1000 },
    cgminer: { timeoutMs: 1000 },
  });
}

describe.each(CASES)('real replies: $family/$capture', (c) => {
  it('reads every field as the firmware means it', async () => {
    const device = await replayDevice(loadCapture(c.family, c.capture), c.dialect);
    devices.push(device);
    const r = registry();
    try {
      const endpoint = { host: '127.0.0.1', port: device.port };
      if (c.detects !== undefined) {
        const found = await r.detect(endpoint);
        expect(found.driver.kind).toBe(c.detects);
      }
      const driver = r.get(c.detects === 'whatsminer' ? 'whatsminer' : 'cgminer');
      const sample = await driver?.readSample(endpoint, { maxAttempts: 1 });
      for (const [field, value] of Object.entries(c.expected)) {
        const actual = sample?.[field as keyof MinerSample];
        if (typeof value === 'number' && !Number.isInteger(value))
          expect(actual, field).toBeCloseTo(value, 6);
        else expect(actual, field).toEqual(value);
      }
      // Every capture is of a device working as designed: none of its sensors is past its limit
      // (the device's own, else its model's, else the default global).
      const verdict = judgeTemperatures(sample!, { chipC: 70, vrC: 90 }, false, 3);
      expect(
        verdict.readings.filter((r) => r.hot),
        'hot sensors',
      ).toEqual([]);
      const at = `cgminer 127.0.0.1:${device.port}`;
      expect([...(sample?.warnings ?? [])].sort()).toEqual(
        [
          ...(c.notCaptured ?? []).map(
            (command) => `${at} ${command}: the miner answered error 14 "Invalid command"`,
          ),
          ...(c.repaired ?? []).map((repair) => `${at} ${repair} in the answer`),
        ].sort(),
      );
    } finally {
      await r.close();
    }
  });
});

/**
 * Captures that kept only what tells the device apart (`version`, `devdetails`): no `summary`, so
 * no sample; the identity read from them is checked instead.
 */
interface IdentityCase {
  readonly family: string;
  readonly capture: string;
  readonly expected: Partial<MinerIdentity>;
}

const IDENTITY_ONLY: readonly IdentityCase[] = [
  {
    family: 'avalon-a1x',
    capture: 'pyasic-43-a1166pro-75',
    // The A-series names its firmware in VERSION (no LVERSION) and its model in PROD.
    expected: {
      kind: 'cgminer',
      firmware: '21022601_4ec6bb0_5f74eef',
      deviceModel: 'AvalonMiner 1166Pro-75',
      mac: 'B4:A2:EB:34:53:E4',
    },
  },
  {
    family: 'avalon-a1x',
    capture: 'pyasic-43-a1246-81',
    expected: {
      kind: 'cgminer',
      firmware: '21030201_4ec6bb0_09b1765',
      deviceModel: 'AvalonMiner 1246-81',
      mac: 'B4:A2:EB:34:5D:4B',
    },
  },
  {
    family: 'braiins',
    capture: 'asic-rs-bos-22.08',
    // VERSION holds only API and BOSer: no model, no MAC (Braiins OS 22+ gives those over gRPC).
    expected: {
      kind: 'cgminer',
      firmware: 'BOSer boser-openwrt 0.1.0-11012d53',
      deviceModel: null,
      mac: null,
    },
  },
  {
    family: 'braiins',
    capture: 'asic-rs-bos-24.09',
    expected: {
      kind: 'cgminer',
      firmware: 'BOSer boser-buildroot 0.1.0-75912fc7',
      deviceModel: null,
      mac: null,
    },
  },
  {
    family: 'braiins',
    capture: 'asic-rs-bos-25.05.1',
    expected: {
      kind: 'cgminer',
      firmware: 'BOSer boser-buildroot 0.1.0-45f356ea',
      deviceModel: null,
      mac: null,
    },
  },
];

describe.each(IDENTITY_ONLY)('real replies, identity only: $family/$capture', (c) => {
  it('is detected from its address alone and named by its version reply', async () => {
    const device = await replayDevice(loadCapture(c.family, c.capture));
    devices.push(device);
    const r = registry();
    try {
      const endpoint = { host: '127.0.0.1', port: device.port };
      const found = await r.detect(endpoint);
      expect(found.driver.kind).toBe('cgminer');
      expect(await found.driver.readIdentity(endpoint)).toMatchObject(c.expected);
    } finally {
      await r.close();
    }
  });
});

describe('real replies, identity only: whatsminer/asic-rs-devdetails-m30splus-ve40', () => {
  it('names the model btminer gives in devdetails as the machine is sold', async () => {
    const device = await replayDevice(
      loadCapture('whatsminer', 'asic-rs-devdetails-m30splus-ve40'),
      'btminer',
    );
    devices.push(device);
    const client = new CgminerClient({ timeoutMs: 1000 });
    try {
      const replies = await client.commands({ host: '127.0.0.1', port: device.port }, ['devdetails'], {
        join: false,
        maxAttempts: 1,
      });
      const identity = readWhatsminerIdentity(replies);
      // "M30S+_VE40" on each of its three SM boards: model M30S+, board variant VE40.
      expect(identity.deviceModel).toBe('Whatsminer M30S+ VE40');
      expect(identity).toMatchObject({ kind: 'whatsminer', mac: null, hostname: null, firmware: null });
    } finally {
      await client.close();
    }
  });
});

describe('the corpus', () => {
  it('has a replay case for every capture folder', () => {
    const covered = new Set(
      [...CASES, ...IDENTITY_ONLY, { family: 'whatsminer', capture: 'asic-rs-devdetails-m30splus-ve40' }].map(
        (c) => `${c.family}/${c.capture}`,
      ),
    );
    expect(listCaptures().filter(([family, capture]) => !covered.has(`${family}/${capture}`))).toEqual([]);
  });
});

describe('a reply that cannot be repaired', () => {
  it('is one failed poll naming the device, the command and what was wrong', async () => {
    const capture = loadCapture('antminer-s19', 'asic-rs-s19pro-49.0.1.3');
    const summary = capture.replies.get('summary') ?? '';
    // The reply cut mid-number and closed with its NUL: no repair can say what the rest was.
    const cut = { ...capture, replies: new Map([...capture.replies, ['summary', summary.slice(0, 200)]]) };
    const device = await replayDevice(cut);
    devices.push(device);
    const r = registry();
    try {
      const error = await r
        .get('cgminer')
        ?.readSample({ host: '127.0.0.1', port: device.port }, { maxAttempts: 1 })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(MinerResponseError);
      expect((error as Error).message).toMatch(
        new RegExp(
          `^cgminer 127\\.0\\.0\\.1:${device.port} summary: the answer is not JSON even after repair \\(.+; it starts "\\{`,
        ),
      );
      // The next poll of the same device is unaffected.
      device.asked.length = 0;
      const identity = await r.get('cgminer')?.readIdentity({ host: '127.0.0.1', port: device.port });
      expect(identity?.deviceModel).toBe('Antminer S19 Pro');
    } finally {
      await r.close();
    }
  });
});
