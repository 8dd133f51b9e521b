/**
 * The HTTP half of the ESP-Miner family (AxeOS, NerdQAxe): one GET /api/system/info per sample,
 * POST /api/system/restart, and recognition from the info object. The kinds differ only in their
 * spec: how they tell themselves apart and how a few fields read.
 */
import { isHttpStatusError } from '../../resilience/index.js';
import type { DriverControl } from '../control/DriverControl.js';
import { EspMinerControl } from '../control/espMinerControl.js';
import { MinerResponseError, NotAMinerError } from '../errors.js';
import { failedBeforeSending } from '../http/transportError.js';
import type { CallOptions, HistoryPoint, MinerEndpoint, RestartResult } from '../MinerDriver.js';
import type { MinerIdentity, MinerKind, MinerSample } from '../MinerSample.js';
import { type FieldReader, isRecord } from '../parse/FieldReader.js';
import { normalizeMac } from '../parse/units.js';
import {
  type DriverContext,
  httpOrigin,
  type Probe,
  type ProbeOptions,
  portOf,
  type Recognition,
  type RecognizingDriver,
  requestOptions,
} from './DriverContext.js';
import { readEspMinerSample, type SampleOverrides } from './espMinerSample.js';

export const INFO_PATH = '/api/system/info';
export const RESTART_PATH = '/api/system/restart';
export const ASIC_PATH = '/api/system/asic';

export interface EspMinerSpec {
  readonly kind: MinerKind;
  /** How sure this kind is that `info` is its own: 0 = not mine. */
  readonly score: (info: Record<string, unknown>) => number;
  readonly extra: (reader: FieldReader) => SampleOverrides;
  readonly readHistory?: (
    context: DriverContext,
    endpoint: MinerEndpoint,
    origin: string,
    options: CallOptions | undefined,
  ) => Promise<HistoryPoint[]>;
}

/** The probe both ESP-Miner kinds share: GET /api/system/info on the given port, or 80. */
export function espMinerProbe(context: DriverContext): Probe {
  return {
    name: 'http:/api/system/info',
    // 4028 is cgminer's API port: an HTTP request there only costs time.
    ports: (endpoint) => (endpoint.port === 4028 ? [] : [portOf(endpoint, 80)]),
    ask: (endpoint, options) =>
      context.http.getJson(
        `${httpOrigin(endpoint.host, portOf(endpoint, 80))}${INFO_PATH}`,
        requestOptions(options, endpoint),
      ),
  };
}

export function hasAsicModel(info: unknown): info is Record<string, unknown> {
  return isRecord(info) && typeof info.ASICModel === 'string';
}

export class EspMinerDriver implements RecognizingDriver {
  readonly kind: MinerKind;
  readonly defaultPort = 80;
  readonly probe: Probe;
  readonly #spec: EspMinerSpec;
  readonly #context: DriverContext;
  readonly readHistory?: (endpoint: MinerEndpoint, options?: CallOptions) => Promise<HistoryPoint[]>;
  readonly control: DriverControl;

  constructor(spec: EspMinerSpec, context: DriverContext) {
    this.kind = spec.kind;
    this.control = new EspMinerControl(spec.kind, context);
    this.#spec = spec;
    this.#context = context;
    this.probe = espMinerProbe(context);
    const history = spec.readHistory;
    if (history !== undefined) {
      this.readHistory = (endpoint, options) => history(context, endpoint, this.#origin(endpoint), options);
    }
  }

  #origin(endpoint: MinerEndpoint): string {
    return httpOrigin(endpoint.host, portOf(endpoint, this.defaultPort));
  }

  recognize(answer: unknown): Recognition | null {
    if (!hasAsicModel(answer)) return null;
    const score = this.#spec.score(answer);
    return score > 0 ? { identity: this.#identityOf(answer), score } : null;
  }

  #identityOf(info: Record<string, unknown>): MinerIdentity {
    const text = (key: string): string | null =>
      typeof info[key] === 'string' ? (info[key] as string) : null;
    return {
      kind: this.kind,
      mac: normalizeMac(info.macAddr),
      hostname: text('hostname'),
      firmware: text('axeOSVersion') ?? text('version'),
      asicModel: text('ASICModel'),
      deviceModel: text('deviceModel'),
    };
  }

  async #info(endpoint: MinerEndpoint, options: ProbeOptions | undefined): Promise<Record<string, unknown>> {
    const url = `${this.#origin(endpoint)}${INFO_PATH}`;
    const info = await this.#context.http.getJson(url, requestOptions(options, endpoint));
    if (!isRecord(info)) {
      throw new MinerResponseError(
        `GET ${url}: expected a JSON object, got ${Array.isArray(info) ? 'an array' : typeof info}`,
        {
          target: url,
          status: 'shape',
        },
      );
    }
    return info;
  }

  async detect(endpoint: MinerEndpoint, options?: CallOptions): Promise<MinerIdentity | null> {
    try {
      return this.recognize(await this.#info(endpoint, options))?.identity ?? null;
    } catch (error) {
      // Answers that are not this device's are "not this kind"; only silence is an error, and a
      // 401, which says "log in first", not "not an ESP-Miner".
      if (
        error instanceof MinerResponseError ||
        (isHttpStatusError(error) && error.status < 500 && error.status !== 401)
      )
        return null;
      throw error;
    }
  }

  async readSample(endpoint: MinerEndpoint, options?: CallOptions): Promise<MinerSample> {
    const info = await this.#info(endpoint, options);
    if (!hasAsicModel(info)) {
      throw new NotAMinerError(`${this.#origin(endpoint)}${INFO_PATH} has no ASICModel: not an ESP-Miner`, {
        target: this.#origin(endpoint),
      });
    }
    return readEspMinerSample(info, this.kind, this.#context.clock.now(), this.#spec.extra);
  }

  /** The info identity; AxeOS names its board model only in /api/system/asic, asked once here. */
  async readIdentity(endpoint: MinerEndpoint, options?: CallOptions): Promise<MinerIdentity> {
    const identity = await this.detect(endpoint, options);
    if (identity === null) {
      throw new NotAMinerError(`${this.#origin(endpoint)} does not answer as ${this.kind}`, {
        target: this.#origin(endpoint),
      });
    }
    if (identity.deviceModel !== null) return identity;
    try {
      // Asked once: releases before v2.7 (and NerdQAxe before it copied the page) answer 302 to
      // the captive portal, which says "no such page", not "unwell".
      const asic = await this.#context.http.getJson(`${this.#origin(endpoint)}${ASIC_PATH}`, {
        ...requestOptions(options, endpoint),
        maxAttempts: 1,
      });
      const model = isRecord(asic) && typeof asic.deviceModel === 'string' ? asic.deviceModel : null;
      return model === null ? identity : { ...identity, deviceModel: model };
    } catch (error) {
      if (options?.signal?.aborted) throw error;
      // Older releases have no /api/system/asic; the identity stands without a board model.
      return identity;
    }
  }

  /**
   * Sends POST /api/system/restart once. The device answers and reboots about a second later,
   * often cutting the connection first: an error after the request went out counts as accepted,
   * as the firmware's own swarm page does.
   */
  async restart(endpoint: MinerEndpoint, options?: CallOptions): Promise<RestartResult> {
    const url = `${this.#origin(endpoint)}${RESTART_PATH}`;
    try {
      const response = await this.#context.http.request('POST', url, {
        ...requestOptions(options, endpoint),
        maxAttempts: 1,
      });
      return { accepted: true, detail: restartMessage(response.text()) };
    } catch (error) {
      if (isHttpStatusError(error) || failedBeforeSending(error) || isAbort(error, options)) throw error;
      if (!isTransportError(error)) throw error;
      return {
        accepted: true,
        detail: 'The connection dropped after the restart was sent; the device is rebooting.',
      };
    }
  }
}

function isAbort(error: unknown, options: CallOptions | undefined): boolean {
  return options?.signal?.aborted === true && error === options.signal.reason;
}

function isTransportError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'MINER_CONNECTION' || code === 'MINER_TIMEOUT';
}

/** AxeOS answers {"message": "..."}; NerdQAxe a plain-text line. */
function restartMessage(body: string): string {
  const text = body.trim();
  try {
    const parsed: unknown = JSON.parse(text);
    if (isRecord(parsed) && typeof parsed.message === 'string') return parsed.message;
  } catch {
    // Plain text is the NerdQAxe form.
  }
  return text === '' ? 'Restart accepted.' : text.slice(0, 200);
}
