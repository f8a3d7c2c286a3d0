import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../cli/project-root.js';

/**
 * The built `caisse` command, as a user runs it: `node dist/cli/main.js …` in a child process.
 * `npm test` builds dist/ first (the `pretest` script); running vitest alone needs `npm run build`.
 */
export const caisseBin = join(projectRoot(), 'dist', 'cli', 'main.js');

export function requireBuiltCaisse(): string {
  if (!existsSync(caisseBin)) {
    throw new Error(`${caisseBin} is missing: run \`npm run build\` first (\`npm test\` does it in its pretest script)`);
  }
  return caisseBin;
}

export interface CaisseRun {
  readonly code: number;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment with no locale set: the command must then speak French. */
export function envWithoutLocale(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.LANG;
  delete env.LC_ALL;
  delete env.LC_MESSAGES;
  delete env.LANGUAGE;
  return { ...env, ...extra };
}

export const caisseTimeoutMsDefault = 30_000;

/** Runs `caisse ARGS` to its end (or kills it after `timeoutMs`) and collects its output. */
export function runCaisse(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CaisseRun> {
  const bin = requireBuiltCaisse();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: options.env ?? envWithoutLocale(), cwd: options.cwd ?? projectRoot(), timeout: options.timeoutMs ?? caisseTimeoutMsDefault, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number' && error.signal === null) {
          reject(error);
          return;
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, signal: (error?.signal as NodeJS.Signals | undefined) ?? null, stdout, stderr });
      },
    );
  });
}

/** Starts `caisse ARGS` in the background; the caller stops it. */
export function spawnCaisse(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): ChildProcess {
  const bin = requireBuiltCaisse();
  return spawn(process.execPath, [bin, ...args], { env: options.env ?? envWithoutLocale(), cwd: options.cwd ?? projectRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A stack trace line as node prints them: `    at fn (file:line:col)`. */
export const stackTraceLine = /^\s+at .+[:(]/m;
