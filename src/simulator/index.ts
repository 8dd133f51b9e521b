export { type AxeosDeviceOptions, startAxeosDevice } from './axeosDevice.js';
export type { AxeosSettings, Json } from './axeosInfo.js';
export {
  AXEOS_RELEASES,
  type AxeosRelease,
  axeosRelease,
  type FirmwareType,
  type KeyRole,
  type ReleaseKey,
} from './axeosReleases.js';
export { type CgminerDeviceOptions, startCgminerDevice } from './cgminerDevice.js';
export type { CgminerVariant } from './cgminerReplies.js';
export { parseSimulatorArgs, type RunSimulatorOptions, runSimulator } from './cli.js';
export type { CommonDeviceOptions } from './common.js';
export { formatDifficulty } from './diffFormat.js';
export {
  type CgminerFault,
  type CommonFault,
  FAULT_KINDS,
  type FaultKind,
  type FaultPlan,
  FaultPlanError,
  type FaultScript,
  type ScriptStep,
} from './faults.js';
export { type Fleet, type FleetKind, type FleetOptions, startFleet } from './fleet.js';
export { MinerModel, type MinerModelOptions, type MinerSnapshot } from './model.js';
export { type NerdQaxeDeviceOptions, startNerdQaxeDevice } from './nerdqaxeDevice.js';
export { NERDQAXE_KEYS } from './nerdqaxeInfo.js';
export { type Random, seededRandom } from './random.js';
export { type DeviceKind, type SimClock, type SimulatedDevice, systemClock } from './types.js';
