/**
 * Checks a settings patch against what the device can do, before anything is sent: a capability
 * the device lacks is an UnsupportedCapabilityError naming it, a value outside the device's
 * range an OutOfRangeError naming the field and the range.
 */
import { parsePoolUrl } from '../../miners/control/poolUrl.js';
import {
  type Capabilities,
  type ControlCommand,
  ControlError,
  type NumericCapability,
  OutOfRangeError,
  type SettingsPatch,
  UnsupportedCapabilityError,
} from './MinerControl.js';

const HOSTNAME = /^[A-Za-z0-9-]+$/;

function describe(cap: NumericCapability, unit: string): string {
  if (cap.optionsOnly) return `one of ${cap.options.join(', ')} ${unit}`;
  return `${cap.min}-${cap.max} ${unit}`;
}

function checkNumber(field: string, value: number, cap: NumericCapability, unit: string): void {
  const inRange = Number.isFinite(value) && value >= cap.min && value <= cap.max;
  const allowed = cap.optionsOnly ? cap.options.includes(value) : inRange;
  if (!allowed) {
    const range = describe(cap, unit);
    throw new OutOfRangeError(
      field,
      range,
      `${field} ${value} is outside what this device accepts: ${range}`,
    );
  }
}

function unsupported(capability: string, what: string): UnsupportedCapabilityError {
  return new UnsupportedCapabilityError(capability, `This device cannot ${what} (${capability})`);
}

/** Throws the first problem found; returns when the whole patch may be sent. */
export function validatePatch(patch: SettingsPatch, caps: Capabilities): void {
  const fields = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined);
  if (fields.length === 0) {
    throw new ControlError('INVALID_INPUT', 'The patch changes nothing: give at least one setting');
  }
  if (patch.frequencyMhz !== undefined) {
    if (caps.frequencyMhz === null) throw unsupported('frequencyMhz', 'set its frequency');
    checkNumber('frequencyMhz', patch.frequencyMhz, caps.frequencyMhz, 'MHz');
  }
  if (patch.coreVoltageMv !== undefined) {
    if (caps.coreVoltageMv === null) throw unsupported('coreVoltageMv', 'set its core voltage');
    checkNumber('coreVoltageMv', patch.coreVoltageMv, caps.coreVoltageMv, 'mV');
  }
  const fan = patch.fan;
  if (fan !== undefined) {
    if (caps.fan === null) throw unsupported('fan', 'set its fan');
    if (fan.mode === 'auto') {
      if (!caps.fan.auto) throw unsupported('fan.auto', 'regulate its fan itself');
      if (fan.targetTempC !== undefined) {
        if (caps.fan.targetTempC === null)
          throw unsupported('fan.targetTempC', 'take a fan target temperature');
        checkNumber('fan.targetTempC', fan.targetTempC, caps.fan.targetTempC, '°C');
      }
    } else {
      if (caps.fan.manualPercent === null) throw unsupported('fan.manual', 'run its fan at a fixed speed');
      checkNumber('fan.percent', fan.percent, caps.fan.manualPercent, '%');
    }
  }
  if (patch.pools !== undefined) {
    if (caps.pools === null) throw unsupported('pools', 'change its pools');
    const max = caps.pools.max;
    if (patch.pools.length < 1 || patch.pools.length > max) {
      const range = `1-${max} pools`;
      throw new OutOfRangeError(
        'pools',
        range,
        `pools has ${patch.pools.length} entries; this device keeps ${range}`,
      );
    }
    patch.pools.forEach((pool, i) => {
      if (parsePoolUrl(pool.url) === null) {
        throw new OutOfRangeError(
          `pools[${i}].url`,
          'scheme://host:port',
          `pools[${i}].url ${JSON.stringify(pool.url)} is not a pool address like stratum+tcp://host:3333`,
        );
      }
    });
  }
  if (patch.workMode !== undefined) {
    if (caps.workModes === null) throw unsupported('workMode', 'switch work modes');
    const menu = caps.workModes;
    if (!menu.some((mode) => mode.value === patch.workMode)) {
      const range = `one of ${menu.map((mode) => (mode.name === null ? mode.value : `${mode.value} (${mode.name})`)).join(', ')}`;
      throw new OutOfRangeError(
        'workMode',
        range,
        `workMode ${patch.workMode} is not a work mode of this device: ${range}`,
      );
    }
  }
  if (patch.hostname !== undefined) {
    if (caps.hostname === null) throw unsupported('hostname', 'change its hostname');
    const max = caps.hostname.maxLength;
    if (!HOSTNAME.test(patch.hostname) || patch.hostname.length > max) {
      const range = `letters, digits and hyphens, 1-${max} characters`;
      throw new OutOfRangeError(
        'hostname',
        range,
        `hostname ${JSON.stringify(patch.hostname)} must be ${range}`,
      );
    }
  }
}

/** Throws UnsupportedCapabilityError when the device does not offer the command. */
export function checkCommand(command: ControlCommand, caps: Capabilities): void {
  if (!caps.commands[command]) {
    throw new UnsupportedCapabilityError(command, `This device (${caps.source}) does not offer ${command}`);
  }
}
