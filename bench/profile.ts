import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { benchOutDir } from './paths.js';

/**
 * With BENCH_PROFILE=1 in the environment, records a CPU profile of the timed part of a figure only
 * (not of the preparation) into bench/out/NAME.cpuprofile, to open in Chrome DevTools or summarise with
 * bench/profile-summary.ts.
 */
export async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (process.env.BENCH_PROFILE === undefined) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    const path = join(benchOutDir, `${name}.cpuprofile`);
    writeFileSync(path, JSON.stringify(profile));
    process.stderr.write(`profile written to ${path}\n`);
    session.disconnect();
  }
}
