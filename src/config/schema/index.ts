/**
 * The config file's schema, composed from one file per section. To add a section: write its
 * schema in a file here (with `default`s and `description`s), spread or add it below; types,
 * validation, error messages and docs/CONFIG.md all follow from it.
 */
import Type, { type Static } from 'typebox';
import { clusterSettings } from './cluster.js';
import { energySettings } from './energy.js';
import { fleetSettings } from './fleet.js';
import { minerSettings } from './miners.js';
import { monitorSettings } from './monitor.js';
import { mqttSettings } from './mqtt.js';
import { pollingSettings } from './polling.js';
import { outsideSettings, serverSettings } from './server.js';
import { databaseUrlSetting, storageSettings } from './storage.js';

export const ConfigFileSchema = Type.Object(
  {
    ...serverSettings,
    ...pollingSettings,
    ...monitorSettings,
    ...minerSettings,
    ...storageSettings,
    ...clusterSettings,
    ...energySettings,
    ...fleetSettings,
    ...mqttSettings,
  },
  { additionalProperties: false },
);

/** The file's settings once defaults are filled in. */
export type ConfigFileSettings = Static<typeof ConfigFileSchema>;

/** Settings only flags and the environment give. */
export const OutsideSchema = Type.Object({ ...outsideSettings, ...databaseUrlSetting });

export { MinerSeed } from './miners.js';
export { LOG_LEVELS } from './server.js';
