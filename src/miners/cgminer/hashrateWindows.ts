/**
 * Which of cgminer's hashrate windows a sample reports. The 5-second window swings by half on a
 * small miner (an Avalon Nano 3 showed 6.05 TH/s in "MHS 5s" next to 4.18 TH/s over 5 minutes), so
 * it is never used; the steadiest recent window wins, then the average since start.
 */
import type { FieldReader } from '../parse/FieldReader.js';

/** Steady windows, preferred first: minutes, then the average since the miner started. */
export const STEADY_WINDOWS = ['1m', '5m', '15m', '30m', 'av'] as const;

/**
 * GH/s from "GHS <window>" (bmminer, LuxOS) or "MHS <window>" (cgminer, Avalon, bosminer,
 * btminer; divided by 1000), steadiest window first; null when only the 5-second one is given.
 */
export function steadyHashrateGhs(r: FieldReader): number | null {
  for (const window of STEADY_WINDOWS) {
    const ghs = r.number(`GHS ${window}`);
    if (ghs !== null) return ghs;
    const mhs = r.number(`MHS ${window}`);
    if (mhs !== null) return mhs / 1000;
  }
  return null;
}
