/**
 * Every topic the bridge publishes or listens on, named once (DESIGN "Home Assistant and MQTT"):
 * `<baseTopic>/status`, `<baseTopic>/<minerId>/state`, `<baseTopic>/<minerId>/<command>/set`,
 * and Home Assistant's `<discoveryPrefix>/<component>/solowatch_<minerId>/<object>/config`.
 */

/**
 * Commands a miner takes on `<baseTopic>/<minerId>/<command>/set`: the restart button, the pause
 * switch, and the settings a device offers (frequency, fan, work mode), each where its capabilities
 * allow.
 */
export const COMMANDS = ['restart', 'pause', 'frequency', 'fan', 'work_mode'] as const;
export type CommandName = (typeof COMMANDS)[number];

/** The commands that write a setting (through MinerControl.applySettings). */
export const SETTING_COMMANDS = ['frequency', 'fan', 'work_mode'] as const;
export type SettingCommand = (typeof SETTING_COMMANDS)[number];

export function isSettingCommand(command: CommandName): command is SettingCommand {
  return (SETTING_COMMANDS as readonly string[]).includes(command);
}

/** Home Assistant entity platforms the bridge uses. */
export type Component = 'sensor' | 'binary_sensor' | 'button' | 'switch' | 'number' | 'select';

/** The miner id of the fleet totals' topics: `<baseTopic>/fleet/state`. */
export const FLEET = 'fleet';

/** Home Assistant ids (node and object ids) allow only these characters. */
const haId = (text: string): string => text.replace(/[^a-zA-Z0-9_-]/g, '_');

export class Topics {
  readonly base: string;
  readonly discoveryPrefix: string;

  constructor(base: string, discoveryPrefix: string) {
    this.base = base;
    this.discoveryPrefix = discoveryPrefix;
  }

  /** `online` or `offline`, retained, with a last will. */
  get status(): string {
    return `${this.base}/status`;
  }

  state(minerId: string): string {
    return `${this.base}/${minerId}/state`;
  }

  /** The device's settings as last read back (retained): what the number entities show. */
  settings(minerId: string): string {
    return `${this.base}/${minerId}/settings`;
  }

  get fleetState(): string {
    return this.state(FLEET);
  }

  command(minerId: string, command: CommandName): string {
    return `${this.base}/${minerId}/${command}/set`;
  }

  /** Where a command's outcome is published (not retained). */
  commandResult(minerId: string, command: CommandName): string {
    return `${this.base}/${minerId}/${command}/result`;
  }

  /** The subscription that receives every command. */
  get commandFilter(): string {
    return `${this.base}/+/+/set`;
  }

  /** The miner and command a topic addresses, or null when it is not a command topic of ours. */
  parseCommand(topic: string): { minerId: string; command: string } | null {
    const prefix = `${this.base}/`;
    if (!topic.startsWith(prefix) || !topic.endsWith('/set')) return null;
    const levels = topic.slice(prefix.length, -'/set'.length).split('/');
    if (levels.length !== 2) return null;
    const [minerId, command] = levels as [string, string];
    return { minerId, command };
  }

  /** Home Assistant's node id of a miner, or of the fleet totals device. */
  nodeId(minerId: string): string {
    return minerId === FLEET ? `${haId(this.base)}_fleet` : `solowatch_${haId(minerId)}`;
  }

  discovery(component: Component, minerId: string, object: string): string {
    return `${this.discoveryPrefix}/${component}/${this.nodeId(minerId)}/${object}/config`;
  }
}
