import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runVerifyTask, type VerifyResult, type VerifyTask } from './verify-task.js';

/**
 * Worker threads for Ed25519 verification and leaf hashing, so that batch submission and the audit use
 * every core. With zero threads it runs tasks inline (tests that run the TypeScript sources directly
 * cannot start the compiled worker, and a single-core device gains nothing from a thread).
 */
export class VerifierPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: { task: VerifyTask; done: (r: VerifyResult) => void; fail: (e: Error) => void }[] = [];
  private readonly inflight = new Map<number, { worker: Worker; done: (r: VerifyResult) => void; fail: (e: Error) => void }>();
  private nextId = 1;

  constructor(threads: number) {
    assert.ok(Number.isSafeInteger(threads) && threads >= 0 && threads <= 64);
    if (threads === 0) return;
    const workerPath = fileURLToPath(new URL('./verify-worker.js', import.meta.url));
    if (!existsSync(workerPath)) throw new Error(`verifier threads need the compiled worker ${workerPath}: run npm run build`);
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(workerPath);
      worker.on('message', (m: { id: number; result: VerifyResult }) => this.finish(worker, m));
      worker.on('error', (e) => this.crash(worker, e));
      worker.unref();
      this.workers.push(worker);
      this.idle.push(worker);
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

  private dispatch(): void {
    while (this.idle.length > 0 && this.waiting.length > 0) {
      const worker = this.idle.pop();
      const job = this.waiting.shift();
      assert.ok(worker !== undefined && job !== undefined);
      const id = this.nextId++;
      this.inflight.set(id, { worker, done: job.done, fail: job.fail });
      worker.postMessage({ id, task: job.task });
    }
  }

  private finish(worker: Worker, m: { id: number; result: VerifyResult }): void {
    const job = this.inflight.get(m.id);
    assert.ok(job !== undefined && job.worker === worker);
    this.inflight.delete(m.id);
    this.idle.push(worker);
    job.done(m.result);
    this.dispatch();
  }

  private crash(worker: Worker, error: Error): void {
    for (const [id, job] of this.inflight) {
      if (job.worker !== worker) continue;
      this.inflight.delete(id);
      job.fail(error);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
    this.idle.length = 0;
  }
}
