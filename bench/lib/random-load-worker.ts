/**
 * Worker thread of bench/lib/random-load.ts: one autocannon run whose every request picks a random
 * path from the list (setupRequest, seeded PRNG), recording every response time so that any
 * percentile (p95 included, which autocannon's summary lacks) can be computed exactly.
 */
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

interface Input {
  url: string;
  paths: string[];
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  seed: number;
}
const input = workerData as Input;

// mulberry32: small, fast, deterministic
let state = input.seed >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const latencies: number[] = [];
const statusLatencies: number[] = [];
const instance = autocannon(
  {
    url: input.url,
    connections: input.connections,
    duration: input.seconds,
    headers: input.headers,
    timeout: 10,
    requests: [
      {
        method: 'GET',
        setupRequest: (req: autocannon.Request) => ({
          ...req,
          path: input.paths[Math.floor(random() * input.paths.length)]!,
        }),
      },
    ],
  },
  (error, result) => {
    if (error) {
      parentPort!.postMessage({ error: String(error) });
      return;
    }
    const statusCodes: Record<string, number> = {};
    for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
      statusCodes[code] = (stat as { count: number }).count;
    parentPort!.postMessage({
      latencies: Float64Array.from(latencies),
      non2xxLatencies: statusLatencies.length,
      // autocannon does not aggregate its result off the main thread (the histograms stay encoded): count here
      requestsPerSecond:
        (result as unknown as { totalCompletedRequests: number }).totalCompletedRequests / result.duration,
      total2xx: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statusCodes,
      seconds: result.duration,
    });
  },
);
instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
  if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  else statusLatencies.push(responseTime);
});
