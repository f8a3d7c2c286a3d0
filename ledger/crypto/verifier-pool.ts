import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { verifyBytes } from '../../domain/ed25519.js';
import { packTask, runVerifyTask, type SignatureCheck, type VerifyResult, type VerifyTask } from './verify-task.js';

/**
 * Worker threads for Ed25519 verification and leaf hashing, so that batch submission and the audit use
 * every core. With zero threads it runs tasks inline (tests that run the TypeScript sources directly
 * cannot start the compiled worker, and a single-core device gains nothing from a thread).
 */
interface PendingJob {
  readonly task: VerifyTask;
  readonly done: (r: VerifyResult) => void;
  readonly fail: (e: Error) => void;
}

function runInline(job: PendingJob): void {
  try {
    job.done(runVerifyTask(job.task));
  } catch (e) {
    job.fail(e instanceof Error ? e : new Error(String(e)));
  }
}

/**
 * Tasks posted to a thread before it answers: 1, the thread asks for its next task by answering. The
 * audit's pool posts 2 (`streamingTasksPerThread`): one running and the next in the thread's own queue,
 * so that a thread never waits for the main thread's event loop, busy replaying a chunk for
 * milliseconds, to hand it one. The ledger's server keeps 1: a payment's check must not wait on a
 * thread behind a batch's while another thread is free.
 */
export const streamingTasksPerThread = 2;

export class VerifierPoolClosed extends Error {
  constructor() {
    super('the verifier pool was closed before it answered');
  }
}

export class VerifierPool {
  private readonly workers: Worker[] = [];
  /** Tasks posted to each thread and not answered yet (at most tasksPerThread). */
  private readonly posted = new Map<Worker, number>();
  private readonly waiting: PendingJob[] = [];
  private readonly inflight = new Map<number, PendingJob & { readonly worker: Worker }>();
  private nextId = 1;
  /** Signature checks asked for in this turn of the event loop, sent together at its end. */
  private readonly soon: { check: SignatureCheck; done: (valid: boolean) => void; fail: (e: Error) => void }[] = [];
  private checksPending = 0;

  /**
   * `workerPath`: the compiled worker, beside this module by default; tests that run the TypeScript
   * sources pass the one `npm run build` put in dist/.
   */
  constructor(
    threads: number,
    workerPath = fileURLToPath(new URL('./verify-worker.js', import.meta.url)),
    private readonly tasksPerThread = 1,
  ) {
    assert.ok(Number.isSafeInteger(threads) && threads >= 0 && threads <= 64);
    assert.ok(Number.isSafeInteger(tasksPerThread) && tasksPerThread >= 1 && tasksPerThread <= streamingTasksPerThread);
    if (threads === 0) return;
    if (!existsSync(workerPath)) throw new Error(`verifier threads need the compiled worker ${workerPath}: run npm run build`);
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(workerPath);
      worker.on('message', (m: { id: number; result: VerifyResult }) => this.finish(worker, m));
      worker.on('error', (e) => this.crash(worker, e));
      worker.on('exit', (code) => this.crash(worker, new Error(`verifier thread exited with code ${code}`)));
      worker.unref();
      this.workers.push(worker);
      this.posted.set(worker, 0);
    }
  }

  get threads(): number {
    return this.workers.length;
  }

  run(task: VerifyTask): Promise<VerifyResult> {
    if (this.workers.length === 0) return Promise.resolve(runVerifyTask(task));
    return new Promise((done, fail) => {
      this.waiting.push({ task, done, fail });
      this.dispatch();
    });
  }

  /**
   * Verifies one signature on a thread. Checks asked for in the same turn of the event loop (the
   * requests one poll of the sockets brought) travel together, one message per thread, so that a
   * single payment's check does not pay a round trip of its own and the event loop never verifies.
   */
  verifySoon(check: SignatureCheck): Promise<boolean> {
    if (this.workers.length === 0) return Promise.resolve(verifyBytes(check.publicKey, check.message, check.signature));
    this.checksPending += 1;
    return new Promise((done, fail) => {
      this.soon.push({ check, done, fail });
      if (this.soon.length === 1) setImmediate(() => this.sendSoon());
    });
  }

  /** Signature checks asked for and not answered yet: what the ledger bounds to stay responsive. */
  get backlog(): number {
    return this.checksPending;
  }

  private sendSoon(): void {
    const jobs = this.soon.splice(0);
    const chunk = Math.ceil(jobs.length / this.workers.length);
    for (let start = 0; start < jobs.length; start += chunk) {
      const slice = jobs.slice(start, start + chunk);
      this.run(packTask(slice.map((j) => j.check))).then(
        (r) => {
          this.checksPending -= slice.length;
          slice.forEach((j, k) => j.done(r.valid[k] === 1));
        },
        (e: Error) => {
          this.checksPending -= slice.length;
          slice.forEach((j) => j.fail(e));
        },
      );
    }
  }

  /** Posts waiting tasks to the threads with the fewest unanswered, up to tasksPerThread each. */
  private dispatch(): void {
    while (this.waiting.length > 0) {
      let worker: Worker | undefined;
      let fewest = this.tasksPerThread;
      for (const [w, n] of this.posted) {
        if (n < fewest) {
          worker = w;
          fewest = n;
        }
      }
      if (worker === undefined) return;
      const job = this.waiting.shift();
      assert.ok(job !== undefined);
      const id = this.nextId++;
      this.inflight.set(id, { ...job, worker });
      this.posted.set(worker, fewest + 1);
      worker.postMessage({ id, task: job.task });
    }
  }

  private finish(worker: Worker, m: { id: number; result: VerifyResult }): void {
    const job = this.inflight.get(m.id);
    // None: the pool was closed and ran the task inline.
    if (job === undefined) return;
    assert.ok(job.worker === worker);
    this.inflight.delete(m.id);
    this.posted.set(worker, (this.posted.get(worker) ?? 1) - 1);
    job.done(m.result);
    this.dispatch();
  }

  /**
   * A thread that failed or exited: its jobs in flight are rejected (callers fall back to verifying
   * inline), it leaves the pool, and when none is left the waiting jobs and every later one run inline,
   * so that nothing waits forever and the backlog always drains.
   */
  private crash(worker: Worker, error: Error): void {
    for (const [id, job] of this.inflight) {
      if (job.worker !== worker) continue;
      this.inflight.delete(id);
      job.fail(error);
    }
    const at = this.workers.indexOf(worker);
    if (at < 0) return;
    this.workers.splice(at, 1);
    this.posted.delete(worker);
    if (this.workers.length > 0) return;
    for (const job of this.waiting.splice(0)) runInline(job);
  }

  /**
   * Stops the threads. Every task not answered yet, waiting or posted to a thread, is rejected with
   * VerifierPoolClosed, so that no caller waits forever; a caller that still wants the answer verifies
   * inline (the server's requests do), one that has stopped (a failed audit) drops it.
   */
  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    this.posted.clear();
    const unanswered = [...this.inflight.values(), ...this.waiting.splice(0)];
    this.inflight.clear();
    for (const job of unanswered) job.fail(new VerifierPoolClosed());
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
