/**
 * cgminer's pool list and the privileged commands that change it (API-README: addpool,
 * poolpriority, switchpool, removepool), plus Avalon's soft off / soft on through `ascset`.
 * The device keeps the list; `pools` reports it in priority order.
 */
import type { CgminerContext, Section } from './cgminerReplies.js';
import { pools as poolsSection, statusItem } from './cgminerReplies.js';
import type { MinerModel } from './model.js';

interface Pool {
  readonly id: number;
  readonly url: string;
  readonly user: string;
  readonly password: string;
  priority: number;
}

/** Splits on commas not escaped with a backslash, and unescapes `\,` and `\\`. */
function splitParameter(parameter: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < parameter.length; i += 1) {
    const ch = parameter[i] as string;
    if (ch === '\\' && i + 1 < parameter.length) {
      current += parameter[i + 1];
      i += 1;
    } else if (ch === ',') {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

export class CgminerPools {
  readonly #model: MinerModel;
  #pools: Pool[];
  #nextId = 1;

  constructor(model: MinerModel) {
    this.#model = model;
    this.#pools = [
      {
        id: 0,
        url: `stratum+tcp://${model.poolUrl}:${model.poolPort}`,
        user: model.poolUser,
        password: 'x',
        priority: 0,
      },
    ];
  }

  /** Passwords as the device holds them, for tests that check what arrived. */
  get passwords(): readonly string[] {
    return this.#ordered().map((p) => p.password);
  }

  #ordered(): Pool[] {
    return [...this.#pools].sort((a, b) => a.priority - b.priority);
  }

  /** The `pools` section: the model's template item, once per pool, in priority order. */
  section(c: CgminerContext): Section {
    const base = poolsSection(c);
    const template = base.items?.[0] ?? {};
    const items = this.#ordered().map((pool, i) => ({
      ...template,
      POOL: pool.id,
      URL: pool.url,
      User: pool.user,
      Priority: pool.priority,
      Status: 'Alive',
      'Stratum Active': i === 0,
      'Stratum URL': pool.url.replace(/^[a-z0-9+]+:\/\//i, '').replace(/:\d+$/, ''),
      ...(i === 0 ? {} : { Accepted: 0, Rejected: 0 }),
    }));
    return { ...base, status: statusItem(c, 'S', 7, `${items.length} Pool(s)`), items };
  }

  /** Answers a pool command; null when `command` is not one. */
  command(c: CgminerContext, command: string, parameter: string): Section | null {
    const seen = () => this.#model.commandsSeen.push({ command, detail: parameter });
    switch (command) {
      case 'addpool': {
        const [url = '', user = '', password = ''] = splitParameter(parameter);
        if (url === '' || user === '') return { status: statusItem(c, 'E', 25, 'Missing addpool details') };
        seen();
        const id = this.#nextId;
        this.#nextId += 1;
        const priority = Math.max(...this.#pools.map((p) => p.priority), -1) + 1;
        this.#pools.push({ id, url, user, password, priority });
        return { status: statusItem(c, 'S', 55, `Added pool ${id}: '${url}'`) };
      }
      case 'poolpriority': {
        const ids = parameter.split(',').map(Number);
        if (ids.some((id) => !this.#pools.some((p) => p.id === id))) {
          return { status: statusItem(c, 'E', 71, `Invalid pool id in '${parameter}'`) };
        }
        seen();
        const rest = this.#ordered().filter((p) => !ids.includes(p.id));
        [...ids.map((id) => this.#pools.find((p) => p.id === id) as Pool), ...rest].forEach((p, i) => {
          p.priority = i;
        });
        this.#syncModel();
        return { status: statusItem(c, 'S', 73, `Changed pool priorities`) };
      }
      case 'switchpool': {
        const pool = this.#pools.find((p) => p.id === Number(parameter));
        if (pool === undefined) return { status: statusItem(c, 'E', 26, `Invalid pool id ${parameter}`) };
        seen();
        for (const p of this.#pools) if (p.priority < pool.priority) p.priority += 1;
        pool.priority = 0;
        this.#syncModel();
        return { status: statusItem(c, 'S', 27, `Switching to pool ${pool.id}: '${pool.url}'`) };
      }
      case 'removepool': {
        const pool = this.#pools.find((p) => p.id === Number(parameter));
        if (pool === undefined) return { status: statusItem(c, 'E', 26, `Invalid pool id ${parameter}`) };
        if (pool.priority === 0)
          return { status: statusItem(c, 'E', 67, `Cannot remove active pool ${pool.id}`) };
        seen();
        this.#pools = this.#pools.filter((p) => p !== pool);
        this.#ordered().forEach((p, i) => {
          p.priority = i;
        });
        return { status: statusItem(c, 'S', 68, `Removed pool ${pool.id}: '${pool.url}'`) };
      }
      default:
        return null;
    }
  }

  /** The model mines on the first pool: its share rate and the summary follow it. */
  #syncModel(): void {
    const first = this.#ordered()[0];
    if (first === undefined) return;
    const match = /^(?:[a-z0-9+]+:\/\/)?([^:/]+)(?::(\d+))?/i.exec(first.url);
    this.#model.poolUrl = match?.[1] ?? this.#model.poolUrl;
    this.#model.poolPort = Number(match?.[2] ?? this.#model.poolPort);
    this.#model.poolUser = first.user;
  }
}

/** Avalon's soft off / soft on (`ascset|0,softoff,1:<epoch s>`): hashing stops or starts. */
export function avalonSoftPower(
  c: CgminerContext,
  model: MinerModel,
  option: string,
  parameter: string,
): Section | null {
  if (option !== 'softoff' && option !== 'softon') return null;
  model.commandsSeen.push({ command: `ascset ${option}`, detail: parameter });
  model.setPaused(option === 'softoff');
  return { status: statusItem(c, 'I', 118, `ASC 0 set info: success ${option}`) };
}
