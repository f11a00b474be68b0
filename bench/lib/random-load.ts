import { Worker } from 'node:worker_threads';

export interface RandomLoadOptions {
  url: string;
  /** every request picks one of these at random (seeded), so the combinations vary per request */
  paths: string[];
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
  seed?: number;
}

export interface RandomLoadResult {
  requestsPerSecond: number;
  /** latency of the 2xx responses in ms, exact percentiles over every response */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  total2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  seconds: number;
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * One autocannon run in a worker thread (the server under test lives in this process's main thread),
 * with per-request random paths and exact percentiles (bench/lib/random-load-worker.ts).
 */
export function randomLoad(opts: RandomLoadOptions): Promise<RandomLoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./random-load-worker.ts', import.meta.url), {
      workerData: {
        url: opts.url,
        paths: opts.paths,
        headers: opts.headers ?? {},
        connections: opts.connections,
        seconds: opts.seconds,
        seed: opts.seed ?? 1,
      },
    });
    let settled = false;
    worker.once(
      'message',
      (
        msg: { error?: string; latencies: Float64Array } & Omit<
          RandomLoadResult,
          'p50' | 'p95' | 'p99' | 'max' | 'mean'
        >,
      ) => {
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
          errors: msg.errors,
          timeouts: msg.timeouts,
          statusCodes: msg.statusCodes,
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
