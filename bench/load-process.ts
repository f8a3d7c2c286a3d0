import { readFileSync } from 'node:fs';
import http from 'node:http';
import { percentile } from '../cli/demo/drive.js';

/**
 * The bench's load generator, run as a separate process (child_process.fork) so that its own work
 * (HTTP client, timing) is not counted against the server's event loop. It only sends: every body was
 * built and signed beforehand and arrives here as one JSON document per line of a file.
 *
 * Requests that start before `warmupMs` has passed are sent but not counted, so that the server's JIT
 * warm-up does not weigh on the figure.
 */
export interface LoadJob {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly clients: number;
  /** POST bodies, one per line; each is sent once. Absent: GET until `durationMs` has passed. */
  readonly bodiesFile?: string;
  readonly durationMs?: number;
  readonly warmupMs: number;
  /** Counted in each response body (e.g. `"ok":true` in a batch answer): how many entries succeeded. */
  readonly okMarker?: string;
}

export interface LoadResult {
  readonly requests: number;
  readonly elapsedMs: number;
  readonly statuses: Record<string, number>;
  readonly okMarkers: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly firstError: string | undefined;
}

export const requestTimeoutMs = 60_000;

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const bodies = job.bodiesFile === undefined ? undefined : readFileSync(job.bodiesFile, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => Buffer.from(l));
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.clients });
  const url = new URL(job.path, job.url);
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  let okMarkers = 0;
  let next = 0;
  let counted = 0;
  let firstError: string | undefined;
  const startMs = performance.now();
  const countFromMs = startMs + job.warmupMs;
  let lastEndMs = countFromMs;
  const stopMs = job.durationMs === undefined ? Infinity : countFromMs + job.durationMs;

  const send = (body: Buffer | undefined): Promise<{ status: number; text: string }> =>
    new Promise((done, fail) => {
      const req = http.request(
        url,
        {
          method: job.method,
          agent,
          timeout: requestTimeoutMs,
          headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', 'content-length': body.length, accept: 'application/json' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', fail);
        },
      );
      req.on('timeout', () => req.destroy(new Error('request timed out')));
      req.on('error', fail);
      req.end(body);
    });

  const client = async (): Promise<void> => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= stopMs) return;
      let body: Buffer | undefined;
      if (bodies !== undefined) {
        if (next >= bodies.length) return;
        body = bodies[next++];
      }
      let status = 0;
      let text = '';
      try {
        ({ status, text } = await send(body));
      } catch (e) {
        firstError ??= (e as Error).message;
      }
      const t1 = performance.now();
      if (t0 < countFromMs) continue;
      counted += 1;
      lastEndMs = Math.max(lastEndMs, t1);
      latencies.push(t1 - t0);
      statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
      if (status >= 400) firstError ??= `HTTP ${status}: ${text.slice(0, 300)}`;
      if (job.okMarker !== undefined) okMarkers += text.split(job.okMarker).length - 1;
    }
  };
  await Promise.all(Array.from({ length: job.clients }, client));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: counted,
    elapsedMs: lastEndMs - countFromMs,
    statuses,
    okMarkers,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? 0,
    firstError,
  };
}

// As a forked child: one job per message, one result back.
if (process.send !== undefined) {
  process.on('message', (job: LoadJob) => {
    void runLoad(job).then((result) => {
      process.send?.(result);
    });
  });
}
