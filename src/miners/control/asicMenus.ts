/**
 * Frequency and voltage menus per ASIC, for ESP-Miner releases without /api/system/asic (before
 * v2.7). Values from ESP-Miner's device_config.h (v2.15): the same lists the firmware serves.
 */
export interface AsicMenu {
  readonly frequencyMhz: readonly number[];
  readonly defaultFrequencyMhz: number;
  readonly coreVoltageMv: readonly number[];
  readonly defaultCoreVoltageMv: number;
}

export const ASIC_MENUS: Readonly<Record<string, AsicMenu>> = Object.freeze({
  BM1397: {
    frequencyMhz: [400, 425, 450, 475, 485, 500, 525, 550, 575, 600],
    defaultFrequencyMhz: 425,
    coreVoltageMv: [1100, 1150, 1200, 1250, 1300, 1350, 1400, 1450, 1500],
    defaultCoreVoltageMv: 1400,
  },
  BM1366: {
    frequencyMhz: [400, 425, 450, 475, 485, 500, 525, 550, 575],
    defaultFrequencyMhz: 485,
    coreVoltageMv: [1100, 1150, 1200, 1250, 1300],
    defaultCoreVoltageMv: 1200,
  },
  BM1368: {
    frequencyMhz: [400, 425, 450, 475, 485, 490, 500, 525, 550, 575],
    defaultFrequencyMhz: 490,
    coreVoltageMv: [1100, 1150, 1166, 1200, 1250, 1300],
    defaultCoreVoltageMv: 1166,
  },
  BM1370: {
    frequencyMhz: [400, 490, 525, 550, 600, 625],
    defaultFrequencyMhz: 525,
    coreVoltageMv: [1000, 1060, 1100, 1150, 1200, 1250],
    defaultCoreVoltageMv: 1150,
  },
});
