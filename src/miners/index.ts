// The public surface of the miners area: drivers, their registry, the HTTP and cgminer clients.
export {
  CgminerClient,
  type CgminerClientOptions,
  type CgminerEndpoint,
  type CgminerReply,
  type CommandOptions,
  type JoinedReplies,
} from './cgminer/CgminerClient.js';
export { type CgminerStatus, checkStatus, readStatus } from './cgminer/envelope.js';
export { type EstatsValue, estatsNumber, estatsNumbers, parseEstats } from './cgminer/estats.js';
export { parseCgminerJson, type Repaired, type RepairKind, repairJsonText } from './cgminer/repair.js';
export {
  createDriverRegistry,
  type DetectOptions,
  type DetectResult,
  type DriverRegistry,
  type DriverRegistryOptions,
  defaultDrivers,
} from './DriverRegistry.js';
export { AXEOS_SPEC, createAxeosDriver, HISTORY_COLUMNS, readAxeosHistory } from './drivers/axeos.js';
export { CGMINER_PORT, CgminerDriver, createCgminerDriver } from './drivers/cgminer.js';
export { readCgminerIdentity, readCgminerSample, SAMPLE_COMMANDS } from './drivers/cgminerSample.js';
export type {
  DriverContext,
  Probe,
  ProbeOptions,
  Recognition,
  RecognizingDriver,
} from './drivers/DriverContext.js';
export { EspMinerDriver, type EspMinerSpec } from './drivers/EspMinerDriver.js';
export { readEspMinerSample } from './drivers/espMinerSample.js';
export { createNerdQaxeDriver, NERDQAXE_SPEC } from './drivers/nerdqaxe.js';
export { createWhatsminerDriver, WhatsminerDriver } from './drivers/whatsminer.js';
export { readWhatsminerIdentity, readWhatsminerSample } from './drivers/whatsminerSample.js';
export {
  isMinerAccessDeniedError,
  isMinerError,
  isMinerResponseError,
  isNotAMinerError,
  isResponseTooLargeError,
  MinerAccessDeniedError,
  MinerError,
  type MinerErrorCode,
  type MinerErrorOptions,
  MinerResponseError,
  type MinerResponseErrorOptions,
  NotAMinerError,
  ResponseTooLargeError,
  type ResponseTooLargeErrorOptions,
} from './errors.js';
export {
  type BasicAuth,
  type EndpointHealth,
  HttpClient,
  type HttpClientOptions,
} from './http/HttpClient.js';
export { type HeaderValue, HttpResponse } from './http/HttpResponse.js';
export {
  type HttpRequestEvent,
  HttpSessionManager,
  type HttpSessionOptions,
  type RequestOptions,
} from './http/HttpSessionManager.js';
export { codesOf, failedBeforeSending } from './http/transportError.js';
export type { CallOptions, HistoryPoint, MinerDriver, MinerEndpoint, RestartResult } from './MinerDriver.js';
export type { MinerIdentity, MinerKind, MinerSample, RejectReason } from './MinerSample.js';
export { parseDifficulty } from './parse/difficulty.js';
export { FieldReader } from './parse/FieldReader.js';
export { milliampsToAmps, millivoltsToVolts, normalizeMac, parseBoolean } from './parse/units.js';
