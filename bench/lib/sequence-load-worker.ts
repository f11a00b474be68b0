/**
 * Worker thread of bench/lib/sequence-load.ts: one autocannon run in which every request takes the NEXT path
 * of the list (each path at most once; for state-changing requests such as a lifecycle transition on distinct
 * ids), stopping after `amount` requests. Records every response time by status so that exact percentiles
 * of the 2xx answers can be computed, and counts the other statuses (409 separately) on their own.
 */
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

interface Input {
  url: string;
  paths: string[];
  method: string;
  body: string | null;
  headers: Record<string, string>;
  connections: number;
  amount: number;
}
const input = workerData as Input;

let next = 0;
let exhausted = 0;
const latencies: number[] = [];
const otherLatencies: number[] = [];
const statuses: Record<string, number> = {};
const started = process.hrtime.bigint();
const instance = autocannon(
  {
    url: input.url,
    connections: input.connections,
    amount: input.amount,
    headers: input.headers,
    timeout: 10,
    requests: [
      {
        method: input.method,
        ...(input.body !== null ? { body: input.body } : {}),
        setupRequest: (req: autocannon.Request) => {
          // setupRequest runs once per request built (also for the first request of each connection and, at the end,
          // possibly once per connection for a request never sent): the caller passes amount + connections paths at least
          if (next >= input.paths.length) exhausted += 1;
          const path = input.paths[Math.min(next, input.paths.length - 1)]!;
          next += 1;
          return { ...req, path };
        },
      },
    ],
  } as autocannon.Options,
  (error, result) => {
    if (error) {
      parentPort!.postMessage({ error: String(error) });
      return;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const statusCodes: Record<string, number> = {};
    for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
      statusCodes[code] = (stat as { count: number }).count;
    parentPort!.postMessage({
      latencies: Float64Array.from(latencies),
      otherLatencies: Float64Array.from(otherLatencies),
      statuses,
      completed: (result as unknown as { totalCompletedRequests: number }).totalCompletedRequests,
      requestsPerSecond: (result as unknown as { totalCompletedRequests: number }).totalCompletedRequests / seconds,
      total2xx: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statusCodes,
      pathsTaken: next,
      exhausted,
      seconds,
    });
  },
);
instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
  statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  else otherLatencies.push(responseTime);
});
