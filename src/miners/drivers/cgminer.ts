/**
 * Devices that speak cgminer's API (Antminer, Avalon, cgminer forks) on TCP 4028. A sample is one
 * joined request when the device allows `+`, else one command at a time.
 */
import { MinerConnectionError } from '../../resilience/index.js';
import type { CgminerEndpoint, CgminerReply } from '../cgminer/CgminerClient.js';
import { CgminerControl, isAvalonVersion } from '../control/cgminerControl.js';
import type { DriverControl } from '../control/DriverControl.js';
import { MinerResponseError, NotAMinerError } from '../errors.js';
import { failedBeforeSending } from '../http/transportError.js';
import type { CallOptions, MinerEndpoint, RestartResult } from '../MinerDriver.js';
import type { MinerIdentity, MinerKind, MinerSample } from '../MinerSample.js';
import { isRecord } from '../parse/FieldReader.js';
import { readCgminerIdentity, readCgminerSample, SAMPLE_COMMANDS } from './cgminerSample.js';
import {
  type DriverContext,
  type Probe,
  type ProbeOptions,
  portOf,
  type Recognition,
  type RecognizingDriver,
} from './DriverContext.js';

export const CGMINER_PORT = 4028;

/** How a device family is restarted; the first strategy that matches the `version` item wins. */
interface RestartStrategy {
  readonly name: string;
  matches(version: Record<string, unknown>): boolean;
  readonly command: string;
  readonly parameter?: string;
}

const RESTART_STRATEGIES: readonly RestartStrategy[] = [
  {
    // Avalon reboots the whole device through its ASC driver (Canaan's documented command);
    // `restart` would only restart the cgminer process.
    name: 'avalon',
    matches: isAvalonVersion,
    command: 'ascset',
    parameter: '0,reboot,0',
  },
  { name: 'cgminer', matches: () => true, command: 'restart' },
];

function commandOptions(options: ProbeOptions | undefined): ProbeOptions {
  return options ?? {};
}

function versionItem(reply: CgminerReply): Record<string, unknown> | null {
  const list = reply.data.VERSION;
  const item = Array.isArray(list) ? list[0] : undefined;
  return isRecord(item) ? item : null;
}

export class CgminerDriver implements RecognizingDriver {
  readonly kind: MinerKind = 'cgminer';
  readonly defaultPort = CGMINER_PORT;
  readonly probe: Probe;
  readonly control: DriverControl;
  readonly #context: DriverContext;

  constructor(context: DriverContext) {
    this.#context = context;
    this.control = new CgminerControl(context.cgminer, context.clock);
    this.probe = {
      name: 'cgminer:version',
      // The given port, or 4028 when none was given: a named port is the user's word.
      ports: (endpoint) => [portOf(endpoint, CGMINER_PORT)],
      ask: (endpoint, options) =>
        context.cgminer.command(this.#target(endpoint), 'version', undefined, options),
    };
  }

  #target(endpoint: MinerEndpoint): CgminerEndpoint {
    return { host: endpoint.host, port: portOf(endpoint, CGMINER_PORT) };
  }

  recognize(answer: unknown): Recognition | null {
    if (!isRecord(answer) || !isRecord(answer.data)) return null;
    const reply = answer as unknown as CgminerReply;
    const item = versionItem(reply);
    if (item === null) return null;
    return { identity: readCgminerIdentity(reply), score: 1 };
  }

  async detect(endpoint: MinerEndpoint, options?: CallOptions): Promise<MinerIdentity | null> {
    try {
      return this.recognize(await this.probe.ask(endpoint, commandOptions(options)))?.identity ?? null;
    } catch (error) {
      if (error instanceof MinerResponseError) return null;
      throw error;
    }
  }

  async readSample(endpoint: MinerEndpoint, options?: CallOptions): Promise<MinerSample> {
    const replies = await this.#context.cgminer.commands(
      this.#target(endpoint),
      SAMPLE_COMMANDS,
      commandOptions(options),
    );
    return readCgminerSample(replies, this.#context.clock.now());
  }

  async readIdentity(endpoint: MinerEndpoint, options?: CallOptions): Promise<MinerIdentity> {
    const identity = await this.detect(endpoint, options);
    if (identity === null) {
      throw new NotAMinerError(
        `${endpoint.host}:${portOf(endpoint, CGMINER_PORT)} does not answer cgminer's version command`,
        {
          target: `${endpoint.host}:${portOf(endpoint, CGMINER_PORT)}`,
        },
      );
    }
    return identity;
  }

  /**
   * Sends the family's restart once (Avalon `ascset|0,reboot,0`, else `restart`, which needs
   * privileged API access: code 45 rejects with MinerAccessDeniedError). A connection that drops
   * after the command went out counts as accepted.
   */
  async restart(endpoint: MinerEndpoint, options?: CallOptions): Promise<RestartResult> {
    const target = this.#target(endpoint);
    const version = await this.#context.cgminer.command(
      target,
      'version',
      undefined,
      commandOptions(options),
    );
    const item = versionItem(version) ?? {};
    const strategy = RESTART_STRATEGIES.find((candidate) => candidate.matches(item)) as RestartStrategy;
    try {
      const reply = await this.#context.cgminer.command(target, strategy.command, strategy.parameter, {
        ...commandOptions(options),
        maxAttempts: 1,
      });
      const accepted = reply.status.status !== 'W';
      return {
        accepted,
        detail: `${strategy.command}${strategy.parameter === undefined ? '' : `|${strategy.parameter}`}: ${reply.status.message}`,
      };
    } catch (error) {
      if (error instanceof MinerConnectionError && !failedBeforeSending(error)) {
        return {
          accepted: true,
          detail: `${strategy.command}: the connection dropped after the command was sent`,
        };
      }
      throw error;
    }
  }
}

export function createCgminerDriver(context: DriverContext): CgminerDriver {
  return new CgminerDriver(context);
}
