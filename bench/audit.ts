import { closeSync, openSync, readSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { homeFiles } from '../ledger/home.js';
import { audit } from '../ledger/audit/audit.js';
import { ensureBigLog } from './big-log.js';
import { benchArgs, bracketedLimit, emitTable, fmtRate, isMain, limitNote, type FigureTable } from './figure.js';
import { profiled } from './profile.js';
import { allCoresVerifies } from './raw-limits.js';

/**
 * Audit figure of issue 8: `caisse ledger verify` over the big log of N signed payments (built once by
 * big-log.ts, reused), as a ratio of the raw Ed25519 verify rate of all cores (node:crypto, cached
 * KeyObject, one worker thread per core) measured in the same run, before and after the audit and
 * averaged (the machine's other load changes during a long run). Memory: the largest resident set
 * seen in the third and in the fourth quarter of the audit (the first half is warm-up); flat means
 * the fourth's is no more than 10 % larger.
 * Target: at least 70 % of the verify limit, memory flat.
 */
export interface AuditBenchOptions {
  readonly entries: number;
  readonly threads?: number;
}

export const auditTargetPercent = 70;
const verifyMs = 3000;

export async function run(options: AuditBenchOptions): Promise<FigureTable> {
  const dir = await ensureBigLog(options.entries);
  const threads = options.threads ?? cpus().length;
  const warmUp = readWhole(join(dir, homeFiles.database));
  const verifyBefore = await allCoresVerifies('node-cached', threads, verifyMs);
  const rss = sampleRss();
  // Threads and heaps grow to their working size in the first half (about 370 MiB here, whatever the
  // log's length); what is compared is the third quarter with the fourth.
  let quarter = 0;
  let thirdQuarterBytes = 0;
  const report = await profiled('audit', () => audit({ data: dir }, {
    threads,
    onProgress(done, total) {
      if (quarter === 0 && done * 2 >= total) {
        quarter = 1;
        rss.reset();
      } else if (quarter === 1 && done * 4 >= total * 3) {
        quarter = 2;
        thirdQuarterBytes = rss.reset();
      }
    },
  }));
  const fourthQuarterBytes = rss.reset();
  rss.stop();
  const verify = await bracketedLimit(verifyBefore, () => allCoresVerifies('node-cached', threads, verifyMs));
  const verifyPerSecond = verify.mean;
  const ratioPercent = (100 * report.entriesPerSecond) / verifyPerSecond;
  const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;
  const flat = fourthQuarterBytes <= thirdQuarterBytes * 1.1;
  return {
    title: `Audit of a ${report.entries.toLocaleString('en-US')}-entry log (caisse ledger verify)`,
    rows: [
      {
        figure: `audit, ${report.threads} verifier threads`,
        measured: fmtRate(report.entriesPerSecond, 'entries'),
        rawLimit: `${fmtRate(verifyPerSecond, 'verifies')} (all cores)`,
        ratioPercent,
        target: `≥ ${auditTargetPercent} %`,
        pass: ratioPercent >= auditTargetPercent,
      },
      {
        figure: 'memory (RSS max, 3rd / 4th quarter)',
        measured: `${mib(thirdQuarterBytes)} / ${mib(fourthQuarterBytes)}`,
        rawLimit: '-',
        ratioPercent: undefined,
        target: 'flat',
        pass: flat,
      },
    ],
    notes: [
      `log ${dir}; audit ${report.seconds.toFixed(1)} s`,
      `the log's file (${mib(warmUp.bytes)}) was read once before, in ${(warmUp.ms / 1000).toFixed(1)} s, so that the figure measures the audit, not the disk`,
      limitNote('verify limit of all cores', verify, 'verifies'),
    ],
  };
}

/**
 * Reads a file through once, so that its pages are in the page cache when the audit reads them: the
 * figure is about the audit's CPU work (its raw limit is a CPU limit); a cold file measures the disk.
 */
function readWhole(path: string): { bytes: number; ms: number } {
  const started = performance.now();
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
  let bytes = 0;
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) bytes += n;
  } finally {
    closeSync(fd);
  }
  return { bytes, ms: performance.now() - started };
}

/** Largest resident set size seen (the worker threads live in this process too), sampled every 50 ms. */
function sampleRss(): { reset(): number; stop(): void } {
  let max = process.memoryUsage.rss();
  const timer = setInterval(() => {
    max = Math.max(max, process.memoryUsage.rss());
  }, 50);
  return {
    reset() {
      const seen = Math.max(max, process.memoryUsage.rss());
      max = 0;
      return seen;
    },
    stop() {
      clearInterval(timer);
    },
  };
}

// `node dist/bench/audit.js [--entries N]` runs this figure alone.
if (isMain(import.meta.url)) {
  const args = benchArgs();
  emitTable(await run({ entries: args.entries ?? 100_000 }));
}
