import { Worker } from 'node:worker_threads';
import { percentile } from './random-load.ts';

export interface SequenceLoadOptions {
  url: string;
  /** every request takes the next path of this list; at most `amount` + `connections` are taken */
  paths: string[];
  method: 'POST' | 'GET' | 'PATCH';
  body?: unknown;
  headers?: Record<string, string>;
  connections: number;
  /** requests to send in all (autocannon stops after this many responses) */
  amount: number;
}

export interface SequenceLoadResult {
  requestsPerSecond: number;
  /** latency of the 2xx responses in ms, exact percentiles over every response */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  total2xx: number;
  non2xx: number;
  /** responses by HTTP status (from the response events) */
  statuses: Record<string, number>;
  conflicts409: number;
  errors: number;
  timeouts: number;
  /** paths handed out (requests built), and how many requests found the list exhausted (reused the last path) */
  pathsTaken: number;
  exhausted: number;
  seconds: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * One autocannon run in a worker thread in which each request uses a distinct path (for state-changing
 * requests that may succeed only once per target), with exact percentiles (bench/lib/sequence-load-worker.ts).
 */
export function sequenceLoad(opts: SequenceLoadOptions): Promise<SequenceLoadResult> {
  if (opts.paths.length < opts.amount + opts.connections)
    throw new Error(
      `sequenceLoad: ${opts.paths.length} paths for ${opts.amount} requests at ${opts.connections} connections (need amount + connections)`,
    );
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./sequence-load-worker.ts', import.meta.url), {
      workerData: {
        url: opts.url,
        paths: opts.paths,
        method: opts.method,
        body: opts.body === undefined ? null : JSON.stringify(opts.body),
        headers: {
          ...(opts.headers ?? {}),
          ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        connections: opts.connections,
        amount: opts.amount,
      },
    });
    let settled = false;
    worker.once(
      'message',
      (msg: {
        error?: string;
        latencies: Float64Array;
        statuses: Record<string, number>;
        requestsPerSecond: number;
        total2xx: number;
        non2xx: number;
        errors: number;
        timeouts: number;
        pathsTaken: number;
        exhausted: number;
        seconds: number;
      }) => {
        settled = true;
        void worker.terminate();
        if (msg.error) return reject(new Error(msg.error));
        const sorted = msg.latencies.sort();
        let sum = 0;
        for (const v of sorted) sum += v;
        resolve({
          requestsPerSecond: msg.requestsPerSecond,
          p50: round2(percentile(sorted, 50)),
          p95: round2(percentile(sorted, 95)),
          p99: round2(percentile(sorted, 99)),
          max: round2(sorted.length ? sorted[sorted.length - 1]! : NaN),
          mean: round2(sorted.length ? sum / sorted.length : NaN),
          total2xx: msg.total2xx,
          non2xx: msg.non2xx,
          statuses: msg.statuses,
          conflicts409: msg.statuses['409'] ?? 0,
          errors: msg.errors,
          timeouts: msg.timeouts,
          pathsTaken: msg.pathsTaken,
          exhausted: msg.exhausted,
          seconds: msg.seconds,
        });
      },
    );
    worker.once('error', (error) => {
      if (!settled) {
        settled = true;
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    worker.once('exit', (code) => {
      if (!settled) {
        settled = true;
        reject(new Error(`load worker exited with ${code} before reporting`));
      }
    });
  });
}
