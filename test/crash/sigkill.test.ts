import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../ledger/formats/checkpoint.js';
import type { Receipt } from '../../ledger/formats/receipt.js';
import { readConfig, readRoleKey } from '../../ledger/home.js';
import { verifyConsistency } from '../../ledger/merkle/consistency.js';
import { verifyInclusion } from '../../ledger/merkle/inclusion.js';
import { leafHash } from '../../ledger/merkle/rfc6962.js';
import { requireBuiltCaisse, runCaisse, spawnCaisse } from '../cli/caisse-bin.js';
import { verifyLedgerDir } from '../http/integrity.js';
import { closeRawAgent, send } from '../http/raw-http.js';

/**
 * Crash: the served ledger (`caisse ledger serve`, a child process) is killed with SIGKILL in the
 * middle of a load of payments from `caisse demo --url … --receipts FILE` (16 concurrent clients), then
 * started again. Every receipt the demo was given before the kill must be in the log at its index with
 * its leaf hash, its inclusion proof must hold against the signed checkpoint it came with, that
 * checkpoint must be consistent with the ledger's latest, and `caisse ledger verify` must pass (from the
 * data directory, over HTTP, and against the checkpoint it saved between the two crashes). Twice, at
 * different moments (after a number of receipts, and after a time).
 */
const readyTimeoutMs = 15_000;
const pollMs = 20;
/** Two loads, two kills, three starts and the checks: well under this even on a busy machine. */
const crashTimeoutMs = 120_000;

let dir: string;
let receiptsPath: string;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  requireBuiltCaisse();
  dir = mkdtempSync(join(tmpdir(), 'caisse-crash-'));
  receiptsPath = join(dir, 'receipts.jsonl');
  // The demo world (shops, households, till keys, allowances) and a few payments, in process.
  const setUp = await runCaisse(['demo', '--data', join(dir, 'ledger'), '--payments', '10']);
  expect(setUp.code, setUp.stderr).toBe(0);
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  closeRawAgent();
  rmSync(dir, { recursive: true, force: true });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts `caisse ledger serve` on a free port and resolves with its URL once it says it listens. */
async function serve(): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = track(spawnCaisse(['ledger', 'serve', '--data', join(dir, 'ledger'), '--port', '0']));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdout?.resume();
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    const match = /http:\/\/127\.0\.0\.1:([0-9]+)\/v1/.exec(stderr);
    if (match !== null) return { child, url: `http://127.0.0.1:${match[1]}`, stderr: () => stderr };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`ledger serve did not start: ${stderr}`);
    await sleep(pollMs);
  }
}

/** The receipts written so far: complete lines only (the demo may be writing the next one). */
function receipts(): Receipt[] {
  if (!existsSync(receiptsPath)) return [];
  const text = readFileSync(receiptsPath, 'utf8');
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return complete.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Receipt);
}

/**
 * Drives the served ledger with the demo and SIGKILLs the server once `killWhen` says so. Resolves with
 * the receipts acknowledged before the kill (the demo's own process is stopped too, once it has
 * noticed: it cannot acknowledge anything after its server died).
 */
async function loadAndKill(url: string, server: ChildProcess, seed: number, killWhen: (count: number, sinceFirstMs: number) => boolean): Promise<number> {
  const already = receipts().length;
  const demo = track(spawnCaisse(['demo', '--data', join(dir, 'ledger'), '--url', url, '--payments', '3000', '--clients', '16', '--receipts', receiptsPath, '--seed', String(seed)]));
  let demoErr = '';
  demo.stderr?.on('data', (chunk: Buffer) => (demoErr += chunk.toString('utf8')));
  demo.stdout?.resume();
  let firstMs: number | undefined;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const count = receipts().length - already;
    if (count > 0 && firstMs === undefined) firstMs = Date.now();
    if (killWhen(count, firstMs === undefined ? 0 : Date.now() - firstMs)) break;
    if (demo.exitCode !== null) throw new Error(`the demo ended before the kill (${count} receipts): ${demoErr.slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`no kill condition after 20 s (${count} receipts)`);
    await sleep(pollMs);
  }
  server.kill('SIGKILL');
  await exited(server);
  expect(server.signalCode).toBe('SIGKILL');
  // The demo now fails on a refused connection; it must not be left running.
  const stopped = await Promise.race([exited(demo).then(() => true), sleep(10_000).then(() => false)]);
  if (!stopped) {
    demo.kill('SIGKILL');
    await exited(demo);
  }
  const acknowledged = receipts().length - already;
  // Killed in the middle: some receipts came back, and the load was not over.
  expect(acknowledged).toBeGreaterThan(0);
  expect(acknowledged).toBeLessThan(3000);
  return acknowledged;
}

/** Every receipt in FILE is in the log at its index with its leaf hash, and its proofs hold. */
async function expectEveryReceiptInLog(url: string): Promise<number> {
  const all = receipts();
  const config = readConfig(join(dir, 'ledger'));
  const verifier = { name: config.origin, publicKey: readRoleKey(join(dir, 'ledger'), 'ledger').publicKey };
  const note = await send(url, { path: '/v1/log/checkpoint' });
  expect(note.status).toBe(200);
  const latest = openCheckpoint(note.text, verifier).checkpoint;
  const mismatches: string[] = [];
  for (let i = 0; i < all.length; i += 32) {
    await Promise.all(
      all.slice(i, i + 32).map(async (r) => {
        const res = await send(url, { path: `/v1/log/entries/${r.index}` });
        const entry = res.json as { entryId?: string; leaf?: string } | undefined;
        const hash = entry?.leaf === undefined ? '' : Buffer.from(leafHash(Buffer.from(entry.leaf, 'base64'))).toString('base64');
        if (res.status !== 200 || entry?.entryId !== r.entryId || hash !== r.leafHash) {
          mismatches.push(`index ${r.index} (${r.entryId}): HTTP ${res.status}, ${entry?.entryId ?? '-'}, ${hash}`);
        }
      }),
    );
  }
  expect(mismatches.slice(0, 5), `${mismatches.length} receipts not found as acknowledged`).toEqual([]);
  // The proofs the receipts carry still hold, against checkpoints the current log extends.
  const bySize = new Map<number, Receipt>();
  for (const r of all) bySize.set(r.treeSize, r);
  for (const r of [...bySize.values()].filter((_r, i, list) => i % Math.max(1, Math.floor(list.length / 40)) === 0 || i === list.length - 1)) {
    const checkpoint = openCheckpoint(r.checkpoint, verifier).checkpoint;
    expect(checkpoint.size).toBe(r.treeSize);
    verifyInclusion(Buffer.from(r.leafHash, 'base64'), r.index, r.treeSize, r.inclusionProof.map((h) => Buffer.from(h, 'base64')), checkpoint.rootHash);
    expect(checkpoint.size).toBeLessThanOrEqual(latest.size);
    if (checkpoint.size < latest.size) {
      const proof = await send(url, { path: `/v1/log/proof/consistency?from=${checkpoint.size}&to=${latest.size}` });
      expect(proof.status).toBe(200);
      verifyConsistency(checkpoint.size, latest.size, (proof.json as { hashes: string[] }).hashes.map((h) => Buffer.from(h, 'base64')), checkpoint.rootHash, latest.rootHash);
    }
  }
  return all.length;
}

describe('SIGKILL in the middle of a load of payments', () => {
  it('keeps every acknowledged receipt, twice, and the ledger verifies', async () => {
    let server = await serve();
    // First kill: once 150 receipts have come back.
    const first = await loadAndKill(server.url, server.child, 1, (count) => count >= 150);
    server = await serve();
    expect(await expectEveryReceiptInLog(server.url)).toBe(first);
    // `caisse ledger verify` passes on the restarted ledger (read-only, while it serves) and saves the
    // checkpoint it verified: the log after the second crash must extend it.
    const saved = join(dir, 'after-first-crash.checkpoint');
    const verified = await runCaisse(['ledger', 'verify', '--data', join(dir, 'ledger'), '--save-checkpoint', saved]);
    expect(verified.code, verified.stderr).toBe(0);

    // Second kill: about a second after the first receipt of the next load.
    const second = await loadAndKill(server.url, server.child, 2, (count, sinceFirstMs) => count >= 1 && sinceFirstMs >= 1000);
    server = await serve();
    expect(await expectEveryReceiptInLog(server.url)).toBe(first + second);

    // The restarted ledger goes on taking payments.
    const after = await runCaisse(['demo', '--data', join(dir, 'ledger'), '--url', server.url, '--payments', '20', '--clients', '4', '--receipts', receiptsPath]);
    expect(after.code, after.stderr).toBe(0);
    expect(await expectEveryReceiptInLog(server.url)).toBe(first + second + 20);

    console.info(`crash: ${first} receipts before the first kill, ${second} before the second; log of ${receipts().length} receipts checked`);
    const overHttp = await runCaisse(['ledger', 'verify', '--url', server.url]);
    expect(overHttp.code, overHttp.stderr).toBe(0);
    server.child.kill('SIGTERM');
    await exited(server.child);
    const final = await runCaisse(['ledger', 'verify', '--data', join(dir, 'ledger'), '--checkpoint', saved]);
    expect(final.code, final.stderr).toBe(0);
    const { audit, integrity } = await verifyLedgerDir(join(dir, 'ledger'));
    expect(audit.entries).toBe(integrity.treeSize);
    expect(integrity.treeSize).toBeGreaterThanOrEqual(first + second + 20);
  }, crashTimeoutMs);
});
