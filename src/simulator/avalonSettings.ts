/**
 * What a simulated Avalon keeps of its `ascset` settings (work mode, fan duty) and how it answers
 * them, in the words of Canaan's `driver-avalon.c` wrapped by cgminer's api.c: success is STATUS S
 * 119 `ASC 0 set OK`, a `get` is I 118 `ASC 0 set info: workmode <n>`, a refusal E 120 `ASC 0 set
 * failed: <text>` (`error:1 not support set workmode max_mode[<n>]`, `error:2 parameter error`,
 * `invalid fan value, valid range 15-100 for stable pwm,-1 for auto adjust`). The MM strings
 * (avalonReplies.ts, cgminerReplies.ts) read it back as `WORKMODE[...]` and `FanR[...]`.
 */
import type { CgminerContext, Section } from './cgminerReplies.js';
import { statusItem } from './cgminerReplies.js';

export class AvalonSettings {
  /** The mode in use; null for firmware without work modes (the Nano 3 reports WORKLEVEL only). */
  workMode: number | null;
  /** The highest mode the firmware takes (its `maxmode`). */
  readonly maxMode: number;
  /** A fixed duty set with `fan-spd`, or null while the firmware regulates the fan itself. */
  fanDutyPercent: number | null = null;

  constructor(workMode: number | null, maxMode: number) {
    this.workMode = workMode;
    this.maxMode = maxMode;
  }

  /** The duty the fan runs at: the fixed one, else what the firmware chose. */
  fanPercent(automatic: number): number {
    return this.fanDutyPercent ?? automatic;
  }

  /**
   * Answers `ascset|0,<option>,...` for the options kept here; null for any other option. Each
   * accepted write is recorded in `commandsSeen` as `ascset <option>`.
   */
  answer(c: CgminerContext, option: string, args: readonly string[], parameter: string): Section | null {
    if (option === 'workmode') return this.#workMode(c, args, parameter);
    if (option === 'fan-spd') return this.#fan(c, args, parameter);
    return null;
  }

  #workMode(c: CgminerContext, args: readonly string[], parameter: string): Section {
    if (this.workMode === null) return failed(c, 'Unknown option: workmode');
    const [verb, value] = args;
    if (verb === 'get' && value === undefined) return info(c, `workmode ${this.workMode}`);
    const mode = value === undefined ? Number.NaN : Number(value);
    if (verb !== 'set' || !Number.isInteger(mode) || mode < 0) return failed(c, 'error:2 parameter error');
    if (mode > this.maxMode) return failed(c, `error:1 not support set workmode max_mode[${this.maxMode}]`);
    this.workMode = mode;
    c.m.commandsSeen.push({ command: 'ascset workmode', detail: parameter });
    return ok(c);
  }

  #fan(c: CgminerContext, args: readonly string[], parameter: string): Section {
    const duty = args.length === 1 ? Number(args[0]) : Number.NaN;
    if (!(duty === -1 || (Number.isInteger(duty) && duty >= 15 && duty <= 100))) {
      return failed(c, 'invalid fan value, valid range 15-100 for stable pwm,-1 for auto adjust');
    }
    this.fanDutyPercent = duty === -1 ? null : duty;
    c.m.commandsSeen.push({ command: 'ascset fan-spd', detail: parameter });
    return ok(c);
  }
}

const ok = (c: CgminerContext): Section => ({ status: statusItem(c, 'S', 119, 'ASC 0 set OK') });
const info = (c: CgminerContext, text: string): Section => ({
  status: statusItem(c, 'I', 118, `ASC 0 set info: ${text}`),
});
const failed = (c: CgminerContext, text: string): Section => ({
  status: statusItem(c, 'E', 120, `ASC 0 set failed: ${text}`),
});
