/**
 * Keys only NerdQAxe's firmware writes into /api/system/info (renamed or added in its fork of
 * ESP-Miner). AxeOS has never sent any of them, so one of them is enough to tell the two apart.
 */
export const NERDQAXE_MARKERS: readonly string[] = Object.freeze([
  'asicTemps',
  'hostip',
  'fanrpm2',
  'freeHeapInt',
  'lastResetReason',
  'hashRate_1d',
  'totalFoundBlocks',
  'foundBlocks',
  'vrTempInt',
  'stratumEnonceSubscribe',
  'fallbackStratumEnonceSubscribe',
  'duplicateHWNonces',
  'pidP',
]);

export function nerdQaxeMarkers(info: Record<string, unknown>): number {
  return NERDQAXE_MARKERS.filter((key) => Object.hasOwn(info, key)).length;
}
