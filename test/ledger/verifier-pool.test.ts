import { afterEach, describe, expect, it } from 'vitest';
import { generateSigningKey, signBytes } from '../../domain/ed25519.js';
import { streamingTasksPerThread, VerifierPool, VerifierPoolClosed } from '../../ledger/crypto/verifier-pool.js';
import { bytesAt, packTask, runVerifyTask, taskCheck, taskCheckCount, taskCheckIs, type VerifyTask } from '../../ledger/crypto/verify-task.js';
import { leafHash } from '../../ledger/merkle/rfc6962.js';
import { compiledVerifyWorker } from '../http/demo-ledger.js';

/**
 * The verifier pool on real worker threads (the compiled worker in dist/): single signature checks
 * asked for in one turn of the event loop travel together, one task per thread, and each gets its own
 * answer back.
 */
let pool: VerifierPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

function checks(count: number) {
  const key = generateSigningKey();
  return Array.from({ length: count }, (_, i) => {
    const message = Buffer.from(`paiement ${i}`);
    const signature = signBytes(key, message);
    // Every third signature is for another message: it must come back invalid, and only it.
    return { message: i % 3 === 0 ? Buffer.from(`autre ${i}`) : message, publicKey: key.publicKey, signature, valid: i % 3 !== 0 };
  });
}

describe('verifier pool', () => {
  it('sends the checks of one turn as one task per thread and answers each', async () => {
    const p = new VerifierPool(2, compiledVerifyWorker);
    pool = p;
    const tasks: VerifyTask[] = [];
    const run = p.run.bind(p);
    p.run = (task) => {
      tasks.push(task);
      return run(task);
    };
    const all = checks(101);
    const answers = all.map((c) => p.verifySoon(c));
    expect(p.backlog).toBe(101);
    expect(await Promise.all(answers)).toEqual(all.map((c) => c.valid));
    expect(tasks.map(taskCheckCount)).toEqual([51, 50]);
    expect(p.backlog).toBe(0);
    // The next turn's checks make new tasks of their own.
    expect(await Promise.all(checks(4).map((c) => p.verifySoon(c)))).toEqual([false, true, true, false]);
    expect(tasks).toHaveLength(4);
  });

  it('survives its threads: a task that kills a thread fails, and with no thread left it verifies inline', async () => {
    const p = new VerifierPool(2, compiledVerifyWorker);
    pool = p;
    // A task no caller would send (offsets for less than one check): the thread throws and dies, as an out-of-memory one would.
    const poison: VerifyTask = { bytes: new Uint8Array(1), checks: new Uint32Array(3), leaves: new Uint32Array(0) };
    await expect(p.run(poison)).rejects.toThrow();
    await expect(p.run(poison)).rejects.toThrow();
    await new Promise((done) => setTimeout(done, 50));
    expect(p.threads).toBe(0);
    const all = checks(5);
    expect(await Promise.all(all.map((c) => p.verifySoon(c)))).toEqual(all.map((c) => c.valid));
    expect(p.backlog).toBe(0);
  });

  it('rejects every task it has not answered when closed, posted or waiting, and verifies inline after', async () => {
    const p = new VerifierPool(1, compiledVerifyWorker, streamingTasksPerThread);
    const tasks = checks(3 * streamingTasksPerThread).map((check) => p.run(packTask([check])));
    const settling = Promise.allSettled(tasks);
    await p.close();
    const settled = await settling;
    // The thread may have answered its first task before close; everything else is refused, not lost.
    const refused = settled.filter((s) => s.status === 'rejected');
    expect(refused.length).toBeGreaterThanOrEqual(settled.length - 1);
    for (const r of refused) expect(r.reason).toBeInstanceOf(VerifierPoolClosed);
    const after = checks(3);
    expect(await Promise.all(after.map((c) => p.verifySoon(c)))).toEqual(after.map((c) => c.valid));
    expect(p.backlog).toBe(0);
  });

  for (const perThread of [1, streamingTasksPerThread]) {
    it(`posts a thread ${perThread} task(s) before it answers`, async () => {
      const p = new VerifierPool(1, compiledVerifyWorker, perThread);
      pool = p;
      let posted = 0;
      const worker = (p as unknown as { workers: { postMessage: (m: unknown) => void }[] }).workers[0];
      if (worker === undefined) throw new Error('no thread');
      const post = worker.postMessage.bind(worker);
      worker.postMessage = (m: unknown) => {
        posted += 1;
        post(m);
      };
      const tasks = checks(perThread + 1).map((check) => p.run(packTask([check])));
      // Before any answer: as many tasks as the thread takes ahead are on it, the rest waits.
      expect(posted).toBe(perThread);
      await Promise.all(tasks);
      expect(posted).toBe(perThread + 1);
    });
  }

  it('verifies inline without threads', async () => {
    const p = new VerifierPool(0);
    pool = p;
    const all = checks(7);
    expect(await Promise.all(all.map((c) => p.verifySoon(c)))).toEqual(all.map((c) => c.valid));
    expect(p.backlog).toBe(0);
  });
});

/** A copy of `bytes` with the bits of `mask` flipped in the byte at `at`. */
function flipped(bytes: Uint8Array, at: number, mask: number): Buffer {
  const copy = Buffer.from(bytes);
  copy.writeUInt8(copy.readUInt8(at) ^ mask, at);
  return copy;
}

describe('verify tasks', () => {
  it('pack checks and leaves into one buffer and give each back as it was', () => {
    const all = checks(5);
    const leaves = [Buffer.from('feuille 0'), Buffer.alloc(0), Buffer.from('feuille 2')];
    const task = packTask(all, leaves);
    expect(taskCheckCount(task)).toBe(5);
    all.forEach((c, i) => {
      const back = taskCheck(task, i);
      expect([Buffer.from(back.message), Buffer.from(back.publicKey), Buffer.from(back.signature)]).toEqual([c.message, Buffer.from(c.publicKey), Buffer.from(c.signature)]);
    });
    const result = runVerifyTask(task);
    expect([...result.valid]).toEqual(all.map((c) => (c.valid ? 1 : 0)));
    expect(Buffer.from(result.leafHashes)).toEqual(Buffer.concat(leaves.map((l) => leafHash(l))));
  });

  it('answer invalid for a signature or a key of the wrong length, without reading past it', () => {
    const [good] = checks(2).slice(1);
    if (good === undefined) throw new Error('no check');
    const task = packTask([
      { ...good, signature: good.signature.subarray(0, 63) },
      { ...good, publicKey: Buffer.concat([good.publicKey, Buffer.from([0])]) },
      { ...good, signature: Buffer.concat([good.signature, Buffer.from([0])]) },
      good,
    ]);
    expect([...runVerifyTask(task).valid]).toEqual([0, 0, 0, 1]);
    expect(taskCheck(task, 0).signature.length).toBe(0);
    expect(taskCheck(task, 1).publicKey.length).toBe(0);
  });

  it('match a check in place only for exactly its message and key', () => {
    const key = generateSigningKey();
    const other = generateSigningKey();
    // A short message (compared by a loop) and a payment-sized one (compared natively).
    const messages = [Buffer.from('court'), Buffer.alloc(700, 'é')];
    const task = packTask(messages.map((message) => ({ message, publicKey: key.publicKey, signature: signBytes(key, message) })));
    messages.forEach((message, i) => {
      expect(taskCheckIs(task, i, message, key.publicKey)).toBe(true);
      expect(taskCheckIs(task, i, message, other.publicKey)).toBe(false);
      const lastByteChanged = flipped(message, message.length - 1, 1);
      expect(taskCheckIs(task, i, lastByteChanged, key.publicKey)).toBe(false);
      expect(taskCheckIs(task, i, message.subarray(1), key.publicKey)).toBe(false);
    });
  });

  it('find a part at an offset on both sides of the loop/native bound, never past the end', () => {
    for (const length of [1, 63, 64, 65, 700]) {
      const part = Buffer.alloc(length);
      for (let i = 0; i < length; i++) part[i] = (i * 7 + 1) % 256;
      const bytes = new Uint8Array(Buffer.concat([Buffer.from('xyz'), part]));
      expect(bytesAt(bytes, 3, part)).toBe(true);
      expect(bytesAt(bytes, 2, part)).toBe(false);
      expect(bytesAt(bytes, 4, part)).toBe(false);
      expect(bytesAt(bytes, -1, part)).toBe(false);
      expect(bytesAt(bytes, 3, flipped(part, length - 1, 0x80))).toBe(false);
      expect(bytesAt(bytes, 3, flipped(part, 0, 1))).toBe(false);
    }
  });
});
