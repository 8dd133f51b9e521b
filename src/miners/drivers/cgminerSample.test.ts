import { describe, expect, it } from 'vitest';
import type { CgminerReply, JoinedReplies } from '../cgminer/CgminerClient.js';
import { readStatus } from '../cgminer/envelope.js';
import { MinerResponseError } from '../errors.js';
import {
  ANTMINER_VERSION,
  AVALON_ESTATS,
  AVALON_VERSION,
  COIN,
  DEVS,
  POOLS,
  SUMMARY_GHS,
  SUMMARY_MHS,
} from '../fixtures/cgminerReplies.js';
import { readCgminerSample } from './cgminerSample.js';

function replies(map: Record<string, object | MinerResponseError>): JoinedReplies {
  return new Map(
    Object.entries(map).map(([command, data]): [string, CgminerReply | MinerResponseError] =>
      data instanceof MinerResponseError
        ? [command, data]
        : [
            command,
            {
              command,
              data: data as Record<string, unknown>,
              status: readStatus(data, command),
              warnings: [],
            },
          ],
    ),
  );
}

describe('cgminer replies to a sample', () => {
  it('reads MHS in GH/s, the alive pool, device temperatures and the network difficulty', () => {
    const sample = readCgminerSample(
      replies({ summary: SUMMARY_MHS, pools: POOLS, devs: DEVS, coin: COIN, version: ANTMINER_VERSION }),
      5,
    );
    // The 1-minute window, never the noisy 5-second one (1080.0123).
    expect(sample.hashrateGhs).toBeCloseTo(1075.0001, 6);
    expect(sample.sharesAccepted).toBe(21694);
    expect(sample.sharesRejected).toBe(7);
    expect(sample.uptimeS).toBe(86412);
    expect(sample.bestDifficulty).toBe(2561038295);
    expect(sample.poolUrl).toBe('stratum+tcp://solo.ckpool.org:3333');
    expect(sample.poolUser).toBe('bc1qavalon.nano');
    expect(sample.poolDifficulty).toBe(4096);
    expect(sample.blockHeight).toBe(900123);
    expect(sample.chipTemperaturesC).toEqual([61, 65]);
    expect(sample.maxChipTemperatureC).toBe(65);
    expect(sample.temperatureC).toBe(63);
    expect(sample.networkDifficulty).toBe(1.2627e14);
    expect(sample.deviceModel).toBe('Antminer S19');
    expect(sample.firmware).toBe('cgminer 4.11.1');
    expect(sample.kind).toBe('cgminer');
    expect(sample.timestamp).toBe(5);
    expect(sample.raw.summary).toHaveProperty('Hardware Errors', 12);
  });

  it('reads GHS forks and difficulty strings', () => {
    const sample = readCgminerSample(replies({ summary: SUMMARY_GHS }), 1);
    expect(sample.hashrateGhs).toBe(13500.5);
    expect(sample.bestDifficulty).toBe(1.5e6);
    expect(sample.poolUrl).toBeNull();
  });

  it('reads Avalon temperatures, fans and power from estats MM ID0', () => {
    const sample = readCgminerSample(
      replies({ summary: SUMMARY_MHS, estats: AVALON_ESTATS, version: AVALON_VERSION }),
      1,
    );
    expect(sample.maxChipTemperatureC).toBe(87);
    expect(sample.temperatureC).toBe(85);
    expect(sample.fanRpm).toEqual([3030]);
    expect(sample.fanPercent).toBe(41);
    expect(sample.powerW).toBe(89);
    expect(sample.expectedHashrateGhs).toBe(3203.56);
    expect(sample.mac).toBe('E0:E1:E2:E3:E4:E5');
    expect(sample.firmware).toBe('nano3-24071801_42c628d');
    expect(sample.deviceModel).toBe('Avalon Nano3');
    expect((sample.raw.estats as Record<string, unknown>).PS).toEqual([
      '0',
      '0',
      '0',
      '3',
      '2792',
      '89',
      '324',
    ]);
  });

  it('turns a failed optional section into a warning', () => {
    const sample = readCgminerSample(
      replies({
        summary: SUMMARY_MHS,
        estats: new MinerResponseError('cgminer h:1 estats: error 14 "Invalid command"'),
      }),
      1,
    );
    expect(sample.hashrateGhs).not.toBeNull();
    expect(sample.warnings).toEqual(['cgminer h:1 estats: error 14 "Invalid command"']);
  });

  it('refuses a sample without summary', () => {
    const error = new MinerResponseError('summary failed');
    expect(() => readCgminerSample(replies({ summary: error, pools: POOLS }), 1)).toThrow(error);
    expect(() => readCgminerSample(replies({ summary: { STATUS: SUMMARY_MHS.STATUS, id: 1 } }), 1)).toThrow(
      /no SUMMARY/,
    );
  });
});
