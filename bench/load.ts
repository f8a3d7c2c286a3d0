import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadJob, LoadResult } from './load-process.js';

/** Runs one load job in a separate node process (bench/load-process.ts) and returns what it measured. */
export function loadFromChild(job: LoadJob): Promise<LoadResult> {
  const child = fork(fileURLToPath(new URL('./load-process.js', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((done, fail) => {
    child.once('message', (result) => {
      child.kill();
      done(result as LoadResult);
    });
    child.once('error', fail);
    child.once('exit', (code) => {
      if (code !== 0 && code !== null) fail(new Error(`load process exited with ${code}`));
    });
    child.send(job);
  });
}
