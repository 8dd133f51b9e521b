/**
 * Whatsminer (MicroBT btminer API on TCP 4028), read-only. btminer has no `version` command, so
 * cgminer's probe cannot see it; it is recognised by its `summary`, which carries keys no other
 * cgminer fork sends (Factory GHS, Power_RT, Chip Temp Avg, Fan Speed In). Restarting needs the
 * API's token login with the device's admin password, which solowatch does not hold: `restart`
 * says so instead of sending anything.
 */
import type { CgminerEndpoint, CgminerReply } from '../cgminer/CgminerClient.js';
import { MinerResponseError, NotAMinerError } from '../errors.js';
import type { CallOptions, MinerEndpoint, RestartResult } from '../MinerDriver.js';
import type { MinerIdentity, MinerKind, MinerSample } from '../MinerSample.js';
import { isRecord } from '../parse/FieldReader.js';
import { CGMINER_PORT } from './cgminer.js';
import { items } from './cgminerSample.js';
import {
  type DriverContext,
  type Probe,
  portOf,
  type Recognition,
  type RecognizingDriver,
} from './DriverContext.js';
import {
  readWhatsminerIdentity,
  readWhatsminerSample,
  WHATSMINER_COMMANDS,
  WHATSMINER_SUMMARY_KEYS,
} from './whatsminerSample.js';

export class WhatsminerDriver implements RecognizingDriver {
  readonly kind: MinerKind = 'whatsminer';
  readonly defaultPort = CGMINER_PORT;
  readonly probe: Probe;
  readonly #context: DriverContext;

  constructor(context: DriverContext) {
    this.#context = context;
    this.probe = {
      name: 'btminer:summary',
      ports: (endpoint) => [portOf(endpoint, CGMINER_PORT)],
      ask: (endpoint, options) =>
        context.cgminer.command(this.#target(endpoint), 'summary', undefined, options ?? {}),
    };
  }

  #target(endpoint: MinerEndpoint): CgminerEndpoint {
    return { host: endpoint.host, port: portOf(endpoint, CGMINER_PORT) };
  }

  recognize(answer: unknown): Recognition | null {
    if (!isRecord(answer) || !isRecord(answer.data)) return null;
    const reply = answer as unknown as CgminerReply;
    const summary = items(reply, 'SUMMARY')[0];
    if (summary === undefined || !WHATSMINER_SUMMARY_KEYS.some((key) => key in summary)) return null;
    return { identity: readWhatsminerIdentity(new Map([['summary', reply]])), score: 1 };
  }

  async detect(endpoint: MinerEndpoint, options?: CallOptions): Promise<MinerIdentity | null> {
    try {
      return this.recognize(await this.probe.ask(endpoint, options ?? {}))?.identity ?? null;
    } catch (error) {
      if (error instanceof MinerResponseError) return null;
      throw error;
    }
  }

  async readSample(endpoint: MinerEndpoint, options?: CallOptions): Promise<MinerSample> {
    const replies = await this.#context.cgminer.commands(this.#target(endpoint), WHATSMINER_COMMANDS, {
      ...options,
      join: false,
    });
    return readWhatsminerSample(replies, this.#context.clock.now());
  }

  async readIdentity(endpoint: MinerEndpoint, options?: CallOptions): Promise<MinerIdentity> {
    const replies = await this.#context.cgminer.commands(
      this.#target(endpoint),
      ['summary', 'devdetails', 'get_version', 'get_miner_info'],
      { ...options, join: false },
    );
    const summary = replies.get('summary');
    if (summary === undefined || summary instanceof MinerResponseError || !this.recognize(summary)) {
      const at = `${endpoint.host}:${portOf(endpoint, CGMINER_PORT)}`;
      throw new NotAMinerError(`${at} does not answer as a Whatsminer (btminer summary)`, { target: at });
    }
    return readWhatsminerIdentity(replies);
  }

  async restart(): Promise<RestartResult> {
    return {
      accepted: false,
      detail:
        'a Whatsminer restarts only through the btminer API token login with its admin password, ' +
        'which solowatch does not hold; restart it from its web page or the WhatsMinerTool',
    };
  }
}

export function createWhatsminerDriver(context: DriverContext): WhatsminerDriver {
  return new WhatsminerDriver(context);
}
