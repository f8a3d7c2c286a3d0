import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { limits } from '../domain/limits.js';
import { homeFiles, initLedger, openLedger } from '../ledger/home.js';
import { schemaVersion } from '../ledger/store/schema.js';
import { benchOutDir } from './paths.js';
import { PaymentMaker } from './prepared.js';

/**
 * A large ledger of realistic signed payments under bench/out/log-N/ (gitignored), built once through
 * Ledger.appendGroup and reused by later runs (the proof and audit figures): a million entries take a
 * good while to make and sign. A marker file written last says the log is complete and which schema
 * it was built with; anything else is rebuilt.
 */
export const bigLogMarker = 'bench-log.json';

interface Marker {
  readonly entries: number;
  readonly schemaVersion: number;
  readonly builtAt: string;
  readonly buildSeconds: number;
}

export function bigLogDir(entries: number): string {
  return join(benchOutDir, `log-${entries}`);
}

export function bigLogDatabase(entries: number): string {
  return join(bigLogDir(entries), homeFiles.database);
}

export async function ensureBigLog(entries: number, say: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<string> {
  const dir = bigLogDir(entries);
  const markerPath = join(dir, bigLogMarker);
  if (existsSync(markerPath)) {
    const marker = JSON.parse(readFileSync(markerPath, 'utf8')) as Marker;
    if (marker.schemaVersion === schemaVersion && marker.entries >= entries) return dir;
  }
  rmSync(dir, { recursive: true, force: true });
  say(`building a log of ${entries.toLocaleString('en-US')} entries in ${dir} (once; reused by later runs)`);
  const startMs = performance.now();
  initLedger(dir);
  const opened = openLedger(dir);
  try {
    const maker = await PaymentMaker.create(opened, dir);
    let lastSaid = 0;
    while (opened.ledger.treeSize() < entries) {
      const payments = await maker.next(Math.min(limits.groupEntriesMax, entries - opened.ledger.treeSize()));
      const room = entries - opened.ledger.treeSize();
      for (const o of opened.ledger.appendGroup(payments.slice(0, Math.max(room, 1)))) if (!o.ok) throw o.error;
      const size = opened.ledger.treeSize();
      if (size - lastSaid >= 50_000) {
        lastSaid = size;
        const seconds = (performance.now() - startMs) / 1000;
        say(`  ${size.toLocaleString('en-US')} entries, ${Math.round(size / seconds)} entries/s`);
      }
    }
    const marker: Marker = { entries: opened.ledger.treeSize(), schemaVersion, builtAt: new Date().toISOString(), buildSeconds: Math.round((performance.now() - startMs) / 1000) };
    writeFileSync(markerPath, `${JSON.stringify(marker, null, 2)}\n`);
  } finally {
    opened.close();
  }
  return dir;
}
