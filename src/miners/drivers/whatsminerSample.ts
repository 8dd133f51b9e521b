/**
 * Whatsminer (MicroBT btminer API, TCP 4028) replies to a MinerSample. btminer answers cgminer's
 * `summary`, `devs`, `pools` and `devdetails` with extra keys of its own, and in API v1.4+/v2
 * `get_version` and `get_miner_info` with a top-level envelope whose Msg is an object.
 * - power: `Power` (the supply's measured output); `Power Limit` is a setting, never read as power;
 * - chips: `Chip Temp Avg`/`Chip Temp Max` (summary), per board `Chip Temp Max` (devs);
 * - boards: per board `Temperature` (devs), `Env Temp` (the inlet air, API v2);
 * - fans: `Fan Speed In`/`Fan Speed Out` (RPM);
 * - expected hashrate: `Factory GHS` (the board's factory rating), else `Target MHS`.
 */
import { steadyHashrateGhs } from '../cgminer/hashrateWindows.js';
import { MinerResponseError } from '../errors.js';
import type { MinerIdentity, MinerSample } from '../MinerSample.js';
import { FieldReader, isRecord } from '../parse/FieldReader.js';
import { normalizeMac } from '../parse/units.js';
import { activePool, items, numberOf, type ReplyOrError, readSharesAndPool } from './cgminerSample.js';
import { sensor } from './hardwareReading.js';

export const WHATSMINER_COMMANDS = [
  'summary',
  'devs',
  'pools',
  'devdetails',
  'get_version',
  'get_miner_info',
] as const;

/** Keys only btminer puts in `summary`: how a Whatsminer is told from other cgminer forks. */
export const WHATSMINER_SUMMARY_KEYS = ['Factory GHS', 'Power_RT', 'Chip Temp Avg', 'Fan Speed In'] as const;

/** The object in Msg of a btminer `get_*` reply, or an empty one. */
function message(reply: ReplyOrError): Record<string, unknown> {
  if (reply === undefined || reply instanceof MinerResponseError) return {};
  return isRecord(reply.data.Msg) ? reply.data.Msg : {};
}

/** btminer quotes its firmware version inside the string: "'20210322.22.REL'". */
function unquote(value: string | null): string | null {
  if (value === null) return null;
  const bare = value.replace(/^'+|'+$/g, '').trim();
  return bare === '' ? null : bare;
}

/**
 * btminer's `devdetails` Model joins the model and its board variant with "_" ("M30S+_VE40");
 * the machine is sold and labelled "WhatsMiner M30S+ VE40". The sample names maker and model as
 * every other family's does ("Antminer S19 Pro", "Avalon Nano3s").
 */
function whatsminerModel(model: string | null): string | null {
  return model === null ? null : `Whatsminer ${model.replace(/_/g, ' ')}`;
}

export function readWhatsminerIdentity(replies: ReadonlyMap<string, ReplyOrError>): MinerIdentity {
  const summary = items(replies.get('summary'), 'SUMMARY')[0] ?? {};
  const version = message(replies.get('get_version'));
  const info = message(replies.get('get_miner_info'));
  const details = items(replies.get('devdetails'), 'DEVDETAILS')[0] ?? {};
  const text = (value: unknown): string | null =>
    typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  return {
    kind: 'whatsminer',
    mac: normalizeMac(info.mac) ?? normalizeMac(summary.MAC),
    hostname: text(info.hostname),
    firmware: unquote(text(version.fw_ver) ?? text(summary['Firmware Version'])),
    asicModel: null,
    deviceModel: whatsminerModel(text(details.Model)),
  };
}

export function readWhatsminerSample(
  replies: ReadonlyMap<string, ReplyOrError>,
  timestamp: number,
): MinerSample {
  const summaryReply = replies.get('summary');
  const warnings: string[] = [];
  for (const [name, reply] of replies) {
    if (reply instanceof MinerResponseError) {
      // get_version/get_miner_info/devdetails are missing on older btminer: not worth a warning.
      if (name === 'devs' || name === 'pools') warnings.push(reply.message);
    } else if (reply !== undefined) warnings.push(...reply.warnings);
  }
  if (summaryReply === undefined || summaryReply instanceof MinerResponseError) {
    throw summaryReply ?? new MinerResponseError('whatsminer: no summary in the answer', { status: 'shape' });
  }
  const summaryItem = items(summaryReply, 'SUMMARY')[0];
  if (summaryItem === undefined) {
    throw new MinerResponseError('whatsminer summary: the answer has no SUMMARY section', {
      status: 'shape',
    });
  }
  const s = new FieldReader(summaryItem, 'SUMMARY.', warnings);
  const boards = items(replies.get('devs'), 'DEVS');
  const pool = new FieldReader(activePool(items(replies.get('pools'), 'POOLS')) ?? {}, 'POOLS.', warnings);
  const identity = readWhatsminerIdentity(replies);
  const perBoardChipMax = boards.map((b) => numberOf(b['Chip Temp Max'])).filter(sensor);
  const boardTemps = boards.map((b) => numberOf(b.Temperature)).filter(sensor);
  const inlet = s.number('Env Temp');
  const chipMax = s.number('Chip Temp Max');
  const factory = s.number('Factory GHS');
  const target = s.number('Target MHS');
  const fans = [s.number('Fan Speed In'), s.number('Fan Speed Out')].filter(
    (rpm): rpm is number => rpm !== null && rpm >= 0,
  );
  const power = s.number('Power');
  s.consume('Power Limit', 'Firmware Version', 'MAC', 'Temperature', 'Chip Temp Min', 'Target Freq');

  return {
    timestamp,
    kind: 'whatsminer',
    hashrateGhs: steadyHashrateGhs(s),
    expectedHashrateGhs: sensor(factory) ? factory : sensor(target) ? target / 1000 : null,
    temperatureC: s.number('Chip Temp Avg'),
    maxChipTemperatureC: chipMax ?? (perBoardChipMax.length > 0 ? Math.max(...perBoardChipMax) : null),
    chipTemperaturesC: perBoardChipMax,
    vrTemperatureC: null,
    boardTemperaturesC: sensor(inlet) ? [...boardTemps, inlet] : boardTemps,
    chipTempLimitC: null,
    vrTempLimitC: null,
    powerW: sensor(power) ? power : null,
    inputVoltageV: null,
    currentA: null,
    fanRpm: fans,
    fanPercent: null,
    ...readSharesAndPool(s, pool),
    firmware: identity.firmware,
    asicModel: identity.asicModel,
    deviceModel: identity.deviceModel,
    hostname: identity.hostname,
    mac: identity.mac,
    networkDifficulty: null,
    resetReason: null,
    backfilled: false,
    raw: { summary: s.unread() },
    warnings,
  };
}
