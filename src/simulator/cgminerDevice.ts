import { createServer, type Socket } from 'node:net';
import type { Json } from './axeosInfo.js';
import { DEFAULT_OVERSIZED_BYTES, inflateJson, scrambleTypes, truncateJson } from './bodyFaults.js';
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
  /** 'cgminer' (Antminer-like, "MHS av"), 'ghs' (forks reporting "GHS av"), 'avalon' (Nano 3, estats MM ID0). @default 'cgminer' */
  variant?: CgminerVariant;
  /** Answer `a+b` with "Invalid command", as some Antminer firmwares do. @default false */
  rejectJoinedCommands?: boolean;
  /** Give this client privileged (W:) access. @default true for avalon, false otherwise */
  allowPrivileged?: boolean;
  /** cgminer version. @default '4.11.1' */
  firmware?: string;
}

const REPORTS: Readonly<Record<string, (c: CgminerContext) => Section>> = {
  summary,
  pools,
  devs,
  edevs: devs,
  version,
  stats,
  estats: stats,
  coin,
};

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
  const defaults =
    variant === 'avalon'
      ? {
          asicModel: 'A3197S',
          asicCount: 10,
          smallCoreCount: 1000,
          frequencyMhz: 400,
          joulesPerTh: 28,
          initialUptimeSeconds: 7200,
        }
      : {};
  const p = prepare(
    { ...defaults, ...options },
    variant === 'avalon' ? 'avalon' : 'cgminer',
    variant === 'avalon' ? 'avalon' : 'antminer',
  );
  const { model, faults } = p;
  const cgVersion = options.firmware ?? '4.11.1';
  const description = `cgminer ${cgVersion}`;
  const allowPrivileged = options.allowPrivileged ?? variant === 'avalon';
  const server = createServer();
  const runtime = new DeviceRuntime(server, p.host, p.port);
  let requests = 0;

  const context = (): CgminerContext => ({
    m: model,
    s: model.snapshot(),
    variant,
    description,
    version: cgVersion,
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
    if (command.includes('+')) {
      if (options.rejectJoinedCommands)
        return { reply: sectionJson({ status: statusItem(c, 'E', 14, 'Invalid command') }) };
      const out: Record<string, Json> = {};
      for (const name of new Set(command.split('+').filter(Boolean))) {
        const report = REPORTS[name];
        const section = report ? report(c) : { status: statusItem(c, 'E', 14, 'Invalid command') };
        // api.c's head_join opens each command's section as an array: "summary":[{...}]
        out[name] = [sectionJson(section)];
      }
      out.id = 1;
      return { reply: out };
    }
    const report = REPORTS[command];
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
    if (command === 'ascset') {
      const [, opt = ''] = parameter.split(',');
      if (variant === 'avalon' && opt === 'reboot') {
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
      const report = REPORTS[command];
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
    kind: variant === 'avalon' ? 'avalon' : 'cgminer',
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
