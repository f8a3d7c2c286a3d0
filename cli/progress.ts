import type { CliIo } from './command.js';

/**
 * Progress of long work (audit, import, demo) on the terminal: a bar with count, rate and time left,
 * redrawn at most every `redrawMsMin` on a TTY; on a pipe, a plain line at each tenth so logs stay short.
 */
export const redrawMsMin = 100;

export interface Progress {
  tick(count?: number): void;
  done(summary?: string): void;
}

export function createProgress(io: Pick<CliIo, 'err' | 'isTty' | 'lang'>, label: string, total: number): Progress {
  const startedMs = Date.now();
  let count = 0;
  let lastDrawMs = 0;
  let lastTenth = -1;
  const draw = (final: boolean) => {
    const nowMs = Date.now();
    const elapsedS = Math.max((nowMs - startedMs) / 1000, 1e-3);
    const rate = count / elapsedS;
    const fraction = total > 0 ? Math.min(count / total, 1) : 1;
    if (io.isTty) {
      if (!final && nowMs - lastDrawMs < redrawMsMin) return;
      lastDrawMs = nowMs;
      const width = 30;
      const filled = Math.round(fraction * width);
      const leftS = rate > 0 ? Math.max(total - count, 0) / rate : 0;
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      const leftText = io.lang === 'fr' ? `reste ${formatSeconds(leftS)}` : `${formatSeconds(leftS)} left`;
      io.err(`\r${label} ${bar} ${count}/${total} ${Math.round(rate)}/s ${final ? '' : leftText}   ${final ? '\n' : ''}`);
    } else {
      const tenth = Math.floor(fraction * 10);
      if (tenth === lastTenth && !final) return;
      lastTenth = tenth;
      if (!final) io.err(`${label}: ${count}/${total} (${tenth * 10} %) ${Math.round(rate)}/s\n`);
    }
  };
  return {
    tick(n = 1) {
      count += n;
      draw(false);
    },
    done(summary) {
      draw(true);
      if (summary !== undefined) io.err(`${summary}\n`);
    },
  };
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.ceil(s - m * 60)} s`;
}
