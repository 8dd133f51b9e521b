import { createServer, type Socket } from 'node:net';
import {
  type AntminerFirmware,
  antminerStats,
  antminerSummary,
  antminerVersion,
  bosTemps,
  fansOf,
  luxPower,
} from './antminerReplies.js';
import { type AvalonGeneration, avalonStats, avalonVersion } from './avalonReplies.js';
import { AvalonSettings } from './avalonSettings.js';
import type { Json } from './axeosInfo.js';
import { DEFAULT_OVERSIZED_BYTES, inflateJson, scrambleTypes, truncateJson } from './bodyFaults.js';
import {
  btminerDevdetails,
  btminerDevs,
  btminerGetMinerInfo,
  btminerGetVersion,
  btminerInvalid,
  btminerPools,
  btminerSummary,
} from './btminerReplies.js';
import { avalonSoftPower, CgminerPools } from './cgminerPools.js';
import {
  type CgminerContext,
  type CgminerVariant,
  coin,
  devs,
  pools,
  type Section,
  sectionJson,
  sectionText,
  stats,
  statusItem,
  summary,
  version,
} from './cgminerReplies.js';
import { type CommonDeviceOptions, prepare } from './common.js';
import type { FaultKind, FaultPlan } from './faults.js';
import { rebootNow, scheduleReboot } from './restartFlow.js';
import { DeviceRuntime, RESET_DELAY_MS } from './runtime.js';
import type { SimulatedDevice } from './types.js';

export interface CgminerDeviceOptions extends CommonDeviceOptions {
  /**
   * 'cgminer' (Antminer-like, "MHS av"), 'ghs' (forks reporting "GHS av"), 'avalon' (Nano 3,
   * estats MM ID0), and the firmwares of the real replies in test/fixtures/devices:
   * 'avalon-nano3s', 'avalon-q' ("MM ID0:Summary"), 'avalon-a1246', 'avalon-a15', 'antminer' (stock bmminer,
   * S19 Pro), 'luxos' (S19k Pro), 'braiins' (BOSminer+ on an S9), 'whatsminer' (btminer API).
   * @default 'cgminer'
   */
  variant?: CgminerVariant;
  /** Answer `a+b` with "Invalid command", as some Antminer firmwares do. @default false */
  rejectJoinedCommands?: boolean;
  /** Give this client privileged (W:) access. @default true for avalon, false otherwise */
  allowPrivileged?: boolean;
  /** cgminer version. @default '4.11.1' */
  firmware?: string;
}

type Reports = Readonly<Record<string, (c: CgminerContext) => Section>>;

const REPORTS: Reports = {
  summary,
  pools,
  devs,
  edevs: devs,
  version,
  stats,
  estats: stats,
  coin,
};

function avalonReports(generation: AvalonGeneration): Reports {
  const mm = (c: CgminerContext) => avalonStats(c, generation);
  return { ...REPORTS, version: (c) => avalonVersion(c, generation), stats: mm, estats: mm };
}

function antminerReports(firmware: AntminerFirmware): Reports {
  const common: Reports = {
    summary: (c) => antminerSummary(c, firmware),
    pools,
    devs,
    version: (c) => antminerVersion(c, firmware),
  };
  if (firmware === 'bosminer') return { ...common, temps: bosTemps, fans: (c) => fansOf(c, firmware) };
  const boards = (c: CgminerContext) => antminerStats(c, firmware);
  if (firmware === 'bmminer') return { ...common, stats: boards };
  return { ...common, stats: boards, power: luxPower, fans: (c) => fansOf(c, firmware) };
}

/** The report commands each variant answers; anything else is "Invalid command". */
const VARIANT_REPORTS: Readonly<Record<CgminerVariant, Reports>> = {
  cgminer: REPORTS,
  ghs: REPORTS,
  avalon: REPORTS,
  'avalon-nano3s': avalonReports('nano3s'),
  'avalon-q': avalonReports('q'),
  'avalon-a1246': avalonReports('a1246'),
  'avalon-a15': avalonReports('a15'),
  antminer: antminerReports('bmminer'),
  luxos: antminerReports('luxos'),
  braiins: antminerReports('bosminer'),
  whatsminer: {
    summary: btminerSummary,
    devs: btminerDevs,
    pools: btminerPools,
    devdetails: btminerDevdetails,
  },
};

/** btminer answers these with its envelope at the top level and an object in Msg. */
const BTMINER_GETS: Readonly<Record<string, (c: CgminerContext) => Json>> = {
  get_version: btminerGetVersion,
  get_miner_info: btminerGetMinerInfo,
};

/** The model's shape per variant: boards, chips and efficiency of the device it plays. */
const VARIANT_DEFAULTS: Partial<Record<CgminerVariant, Record<string, number | string>>> = {
  avalon: { asicModel: 'A3197S', asicCount: 10, smallCoreCount: 1000, frequencyMhz: 400, joulesPerTh: 28 },
  'avalon-nano3s': {
    asicModel: 'A3197S',
    asicCount: 12,
    smallCoreCount: 1216,
    frequencyMhz: 465,
    joulesPerTh: 19.6,
    temperatureRiseC: 55,
  },
  'avalon-q': {
    asicModel: 'A3197S',
    asicCount: 160,
    smallCoreCount: 1215,
    frequencyMhz: 283,
    joulesPerTh: 19,
  },
  'avalon-a1246': {
    asicModel: 'A3201',
    asicCount: 3,
    smallCoreCount: 55_725,
    frequencyMhz: 502,
    joulesPerTh: 38,
  },
  'avalon-a15': {
    asicModel: 'A3197S',
    asicCount: 3,
    smallCoreCount: 194_527,
    frequencyMhz: 346,
    joulesPerTh: 19,
  },
  antminer: {
    asicModel: 'BM1398',
    asicCount: 3,
    smallCoreCount: 69_841,
    frequencyMhz: 525,
    joulesPerTh: 29.5,
  },
  luxos: { asicModel: 'BM1366', asicCount: 3, smallCoreCount: 71_211, frequencyMhz: 290, joulesPerTh: 17 },
  braiins: { asicModel: 'BM1387', asicCount: 3, smallCoreCount: 6923, frequencyMhz: 650, joulesPerTh: 98 },
  whatsminer: { asicModel: 'K1', asicCount: 3, smallCoreCount: 36_691, frequencyMhz: 625, joulesPerTh: 50 },
};

/** The STATUS Description each firmware writes. */
function descriptionOf(variant: CgminerVariant, cgVersion: string): string {
  if (variant === 'luxos') return 'LUXminer 2025.4.8.220305-57b389c7';
  if (variant === 'braiins') return 'BOSminer+ 0.2.0-36c56a9363';
  if (variant === 'antminer') return 'cgminer 1.0.0';
  if (variant === 'whatsminer') return 'cgminer 4.9.2';
  return `cgminer ${cgVersion}`;
}

const isAvalon = (variant: CgminerVariant): boolean => variant.startsWith('avalon');

/**
 * Each Avalon's work mode at start and its `maxmode`, as its capture reports WORKMODE: the Nano 3
 * (WORKLEVEL only) and the A1246 have none; the A15's top mode is not known, 1 is assumed.
 */
function avalonSettingsOf(variant: CgminerVariant): AvalonSettings | undefined {
  if (variant === 'avalon-nano3s') return new AvalonSettings(2, 2);
  if (variant === 'avalon-q') return new AvalonSettings(0, 2);
  if (variant === 'avalon-a15') return new AvalonSettings(1, 1);
  return isAvalon(variant) ? new AvalonSettings(null, 0) : undefined;
}

const JSON_GRACE_MS = 50;

const PRIVILEGED = new Set([
  'restart',
  'quit',
  'ascset',
  'pgaset',
  'switchpool',
  'enablepool',
  'disablepool',
  'addpool',
  'removepool',
  'save',
  'zero',
  'privileged',
  'hotplug',
]);

/** Starts one cgminer API device: TCP, one command per connection, JSON or text, NUL-terminated. */
export async function startCgminerDevice(options: CgminerDeviceOptions = {}): Promise<SimulatedDevice> {
  const variant = options.variant ?? 'cgminer';
  const defaults = {
    ...VARIANT_DEFAULTS[variant],
    ...(variant === 'avalon' ? { initialUptimeSeconds: 7200 } : {}),
  };
  const deviceKind = isAvalon(variant) ? 'avalon' : variant === 'whatsminer' ? 'whatsminer' : 'cgminer';
  const p = prepare(
    { ...defaults, ...options },
    deviceKind,
    isAvalon(variant) ? 'avalon' : variant === 'whatsminer' ? 'whatsminer' : 'antminer',
  );
  const { model, faults } = p;
  const cgVersion = options.firmware ?? '4.11.1';
  const description = descriptionOf(variant, cgVersion);
  const poolList = new CgminerPools(model);
  const variantReports = VARIANT_REPORTS[variant];
  // The pool list the privileged commands change; btminer keeps its own pools reply.
  const reports: Reports =
    variant === 'whatsminer' ? variantReports : { ...variantReports, pools: (c) => poolList.section(c) };
  const btminer = variant === 'whatsminer';
  // Stock bmminer refuses `a+b` (pyasic asks an S19 one command at a time); so does btminer.
  const rejectJoined = options.rejectJoinedCommands ?? variant === 'antminer';
  const allowPrivileged = options.allowPrivileged ?? isAvalon(variant);
  const server = createServer();
  const runtime = new DeviceRuntime(server, p.host, p.port);
  let requests = 0;
  const avalon = avalonSettingsOf(variant);

  const context = (): CgminerContext => ({
    m: model,
    s: model.snapshot(),
    variant,
    description,
    version: cgVersion,
    ...(avalon === undefined ? {} : { avalon }),
  });

  /** The reply object for one command; also says whether a reboot follows. */
  const answer = (
    command: string,
    parameter: string,
    fault: FaultKind | null,
  ): { reply: Json; section?: Section; reboot?: boolean } => {
    const c = context();
    if (fault === 'statusError' || fault === 'http503')
      return { reply: sectionJson({ status: statusItem(c, 'E', 10, 'No ASCs') }) };
    if (fault === 'statusFatal' || fault === 'http500')
      return { reply: sectionJson({ status: statusItem(c, 'F', 45, 'Internal error') }) };
    if (btminer) {
      const report = reports[command];
      const get = BTMINER_GETS[command];
      if (report) return { reply: sectionJson(report(c)) };
      return { reply: get ? get(c) : btminerInvalid(c) };
    }
    if (command.includes('+')) {
      if (rejectJoined) return { reply: sectionJson({ status: statusItem(c, 'E', 14, 'Invalid command') }) };
      const out: Record<string, Json> = {};
      for (const name of new Set(command.split('+').filter(Boolean))) {
        const report = reports[name];
        const section = report ? report(c) : { status: statusItem(c, 'E', 14, 'Invalid command') };
        // api.c's head_join opens each command's section as an array: "summary":[{...}]
        out[name] = [sectionJson(section)];
      }
      out.id = 1;
      return { reply: out };
    }
    const report = reports[command];
    if (report) {
      const section = report(c);
      return { reply: sectionJson(section), section };
    }
    if (PRIVILEGED.has(command) && !allowPrivileged) {
      return {
        reply: sectionJson({ status: statusItem(c, 'E', 45, `Access denied to '${command}' command`) }),
      };
    }
    if (command === 'restart') return { reply: { STATUS: 'RESTART', id: 1 }, reboot: true };
    if (command === 'quit') return { reply: { STATUS: 'BYE', id: 1 } };
    if (command === 'privileged')
      return { reply: sectionJson({ status: statusItem(c, 'S', 46, 'Privileged access OK') }) };
    const poolReply = poolList.command(c, command, parameter);
    if (poolReply !== null) return { reply: sectionJson(poolReply) };
    if (command === 'ascset') {
      const [, opt = '', ...args] = parameter.split(',');
      const soft = isAvalon(variant) ? avalonSoftPower(c, model, opt, parameter) : null;
      if (soft !== null) return { reply: sectionJson(soft) };
      const set = avalon?.answer(c, opt, args, parameter) ?? null;
      if (set !== null) return { reply: sectionJson(set) };
      if (isAvalon(variant) && opt === 'reboot') {
        return {
          reply: sectionJson({ status: statusItem(c, 'I', 118, 'ASC 0 set info: success') }),
          reboot: true,
        };
      }
      return { reply: sectionJson({ status: statusItem(c, 'W', 121, "ASC 0 doesn't support set") }) };
    }
    return { reply: sectionJson({ status: statusItem(c, 'E', 14, 'Invalid command') }) };
  };

  const serialize = (reply: Json, fault: FaultKind | null): string => {
    let json = reply;
    if (fault === 'wrongTypes' && json && typeof json === 'object' && !Array.isArray(json)) {
      json = Object.fromEntries(
        Object.entries(json).map(([k, v]) => [k, Array.isArray(v) ? v.map(scrambleTypes) : v]),
      );
    }
    let body = JSON.stringify(json);
    if (fault === 'joinedSections') body = body.replaceAll('},{', '}{');
    if (fault === 'trailingComma') body = body.replace(/([^{[,])}/g, '$1,}');
    if (fault === 'infNan') {
      let i = 0;
      body = body.replace(
        /("(?:Utility|Work Utility|Device Hardware%|Temperature|MHS 5s|GHS 5s|When)":)-?[\d.e+]+/g,
        (_m, key: string) => `${key}${i++ % 2 === 0 ? 'inf' : 'nan'}`,
      );
    }
    if (fault === 'malformed') body = truncateJson(body);
    if (fault === 'oversized')
      body = inflateJson(body, faults.plan.oversizedBytes ?? DEFAULT_OVERSIZED_BYTES);
    return fault === 'missingNul' ? body : `${body}\u0000`;
  };

  const handle = (socket: Socket, raw: string, fault: FaultKind | null): void => {
    requests += 1;
    const text = raw.replaceAll('\u0000', '').trim();
    let command = '';
    let parameter = '';
    let jsonMode = text.startsWith('{');
    let out: string;
    let reboot = false;
    if (jsonMode) {
      try {
        const parsed = JSON.parse(text) as { command?: unknown; parameter?: unknown };
        command = typeof parsed.command === 'string' ? parsed.command : '';
        parameter = parsed.parameter === undefined ? '' : String(parsed.parameter);
      } catch {
        jsonMode = false;
      }
    } else {
      [command = '', parameter = ''] = text.split('|');
    }
    if (text.startsWith('{') && !jsonMode) {
      out = serialize(sectionJson({ status: statusItem(context(), 'E', 23, 'Invalid JSON') }), fault);
    } else if (jsonMode) {
      const result = answer(command, parameter, fault);
      reboot = result.reboot === true;
      out = serialize(result.reply, fault);
    } else {
      const c = context();
      const report = reports[command];
      const section = report ? report(c) : { status: statusItem(c, 'E', 14, 'Invalid command') };
      out = fault === 'missingNul' ? sectionText(section) : `${sectionText(section)}\u0000`;
    }
    send(socket, out, fault, reboot);
  };

  const send = (socket: Socket, out: string, fault: FaultKind | null, reboot: boolean): void => {
    const bytes = Buffer.from(out);
    if (fault === 'reset' || fault === 'restart') {
      socket.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => {
        if (fault === 'restart') rebootNow(model, runtime);
        else runtime.setTimer(() => socket.resetAndDestroy(), RESET_DELAY_MS);
      });
      return;
    }
    if (fault === 'slow') {
      const chunk = Math.max(1, faults.plan.slowChunkBytes ?? 16);
      const delayMs = faults.plan.slowDelayMs ?? 50;
      let offset = 0;
      const step = () => {
        if (socket.destroyed || runtime.closed) return;
        const piece = bytes.subarray(offset, offset + chunk);
        offset += chunk;
        if (offset >= bytes.length) socket.end(piece);
        else {
          socket.write(piece);
          runtime.setTimer(step, delayMs);
        }
      };
      step();
      return;
    }
    socket.end(bytes);
    if (reboot) scheduleReboot(model, runtime, p.restartDelayMs);
  };

  server.on('connection', (socket: Socket) => {
    if (!model.isUp()) {
      socket.resetAndDestroy();
      return;
    }
    const fault = faults.next();
    if (fault === 'refuse') {
      requests += 1;
      socket.resetAndDestroy();
      return;
    }
    let buffer = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      if (fault === 'hang') {
        requests += 1;
        return;
      }
      handle(socket, buffer, fault);
    };
    socket.setEncoding('utf8');
    // cgminer answers what its one recv() got. A JSON request split over packets gets a short
    // grace to complete; after it, what arrived is answered as it is (bad JSON included).
    let graceSet = false;
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const trimmed = buffer.replaceAll('\u0000', '').trim();
      if (!trimmed.startsWith('{') || isCompleteJson(trimmed)) finish();
      else if (!graceSet) {
        graceSet = true;
        runtime.setTimer(finish, JSON_GRACE_MS);
      }
    });
    socket.on('end', finish);
  });

  const port = await runtime.listen();
  if (faults.plan.offline) runtime.setOffline(true);
  const close = () => runtime.close();
  return {
    id: p.id,
    kind: deviceKind,
    host: p.host,
    port,
    mac: model.mac,
    hostname: model.hostname,
    firmware: description,
    model,
    get requestCount() {
      return requests;
    },
    setFaults(plan: FaultPlan | null) {
      faults.set(plan);
      model.setMiningFault(plan?.mining ?? null);
      runtime.setOffline(plan?.offline === true);
    },
    restart: () => rebootNow(model, runtime),
    close,
    [Symbol.asyncDispose]: close,
  };
}

function isCompleteJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
