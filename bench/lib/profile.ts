/**
 * Profiles of a bench's measured window only (not its set-up and warm-up), through the inspector:
 *
 * - `kind: 'cpu'`: a CPU profile (`.cpuprofile`, for Chrome DevTools);
 * - `kind: 'promoted'`: a sampling heap profile that leaves out what died young, i.e. what was
 *   promoted to the old generation (the growth that makes RSS) or is still alive at the end;
 * - `kind: 'allocated'`: the same with everything allocated.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

export interface WindowProfile {
  stop(): Promise<void>;
}

export async function profileWindow(
  kind: 'cpu' | 'promoted' | 'allocated',
  path: string,
): Promise<WindowProfile> {
  const session = new Session();
  session.connect();
  if (kind === 'cpu') {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
  } else {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: kind === 'allocated',
    });
  }
  return {
    async stop() {
      const { profile } =
        kind === 'cpu'
          ? await session.post('Profiler.stop')
          : await session.post('HeapProfiler.stopSampling');
      writeFileSync(path, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
