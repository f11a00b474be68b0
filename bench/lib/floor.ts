import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

/**
 * The floor: a bare node:http server over a pg.Pool answering the same two queries as the app (the read: the app's
 * own statement when given; the search: the same SQL shape — organisation filter, kl_fold + like, window count, order,
 * limit), but with no
 * framework, no session lookup, no transaction, no RLS context, no audit insert and no schema
 * validation/serialisation. It connects as the owner role given in the URL (a superuser here), so
 * row-level security does not apply to it; the organisation is fixed at start instead of coming
 * from a session.
 */
export interface Floor {
  url: string;
  pool: pg.Pool;
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const FLOOR_READ_SQL = 'select * from clients where organization_id = $1 and id = $2';
export const FLOOR_SEARCH_SQL =
  `select *, count(*) over () as total_count from clients where organization_id = $1 and search_name like '%' || kl_fold($2) || '%'` +
  ' order by family_name, given_name, id limit $3 offset $4';

export async function startFloor(opts: {
  databaseUrl: string;
  poolSize: number;
  organizationId: string;
  /**
   * The app's own read statement, captured from the wire for `probeId` (issue 14 part 5: a floor runs the same SQL):
   * `/clients/:id` runs it with the request's id in place of the probe's. `/clients-bare/:id` keeps the bare
   * `select *` the floor ran before the app's read gained the person's origins and risk levels.
   */
  readStatement?: { text: string; values: unknown[]; probeId: string };
}): Promise<Floor> {
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize });
  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://floor');
    const handle = async () => {
      if (req.method !== 'GET') return send(res, 405, { error: 'method' });
      if (url.pathname === '/clients') {
        const tokens = (url.searchParams.get('q') ?? '').trim().split(/\s+/).filter(Boolean);
        // the app ANDs one like per token; so does the floor (one or two tokens in the benchmark)
        let text = FLOOR_SEARCH_SQL;
        const params: unknown[] = [opts.organizationId, tokens[0] ?? '', 25, 0];
        for (const t of tokens.slice(1)) {
          params.push(t);
          text = text.replace(' order by', ` and search_name like '%' || kl_fold($${params.length}) || '%' order by`);
        }
        const result = await pool.query(text, params);
        const total = result.rows.length ? Number(result.rows[0].total_count) : 0;
        return send(res, 200, { items: result.rows, total });
      }
      const match = /^\/clients(-bare)?\/([^/]+)$/.exec(url.pathname);
      if (match && UUID.test(match[2]!)) {
        const id = match[2]!;
        const read = opts.readStatement;
        const result =
          read && !match[1]
            ? // a named statement, as the app's pool sends it: parsed and planned once per connection, not per request
              await pool.query({
                name: 'floor_client_read',
                text: read.text,
                values: read.values.map((v) => (v === read.probeId ? id : v)),
              })
            : await pool.query(FLOOR_READ_SQL, [opts.organizationId, id]);
        if (!result.rows.length) return send(res, 404, { error: 'not-found' });
        return send(res, 200, result.rows[0]);
      }
      return send(res, 404, { error: 'not-found' });
    };
    handle().catch((error: Error) => send(res, 500, { error: error.message }));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pool,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}

/** One statement as the app sent it (captured from the wire by bench/lib/probe.ts), replayed by a route floor. */
export interface FloorStatement {
  text: string;
  values: unknown[];
}

/** What a route floor's handler answers. */
export interface FloorAnswer {
  status: number;
  body: unknown;
}

/**
 * A floor for any hot path (issue 14, part 5): a bare node:http server over a pg.Pool connected as the owner role
 * (no RLS, no session, no tenant context, no audit, no schema validation or serialisation), whose `handle` runs the
 * path's SQL on one pooled connection and answers JSON. The request body, if any, is read and ignored.
 */
export async function startRouteFloor(opts: {
  databaseUrl: string;
  poolSize: number;
  handle: (client: pg.PoolClient, method: string, url: URL) => Promise<FloorAnswer>;
}): Promise<Floor> {
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize });
  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://floor');
    req.resume();
    req.on('end', () => {
      const handle = async () => {
        const client = await pool.connect();
        try {
          const answer = await opts.handle(client, req.method ?? 'GET', url);
          send(res, answer.status, answer.body);
        } catch (error) {
          await client.query('rollback').catch(() => undefined);
          throw error;
        } finally {
          client.release();
        }
      };
      handle().catch((error: Error) => send(res, 500, { error: error.message }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pool,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}

/** The statements of a request that read or change the path's data: not the session, context, audit or transaction. */
export function dataStatements<T extends { text: string }>(statements: T[]): T[] {
  return statements.filter(
    (s) =>
      !/^\s*(begin|commit|rollback)\b/i.test(s.text) &&
      !/set_config\(/.test(s.text) &&
      !/from "sessions"|^\s*update "sessions"|insert into "?audit_log"?/i.test(s.text),
  );
}

/** Runs the statements one after the other on the connection; answers the rows of the first. */
export async function replayStatements(client: pg.PoolClient, statements: FloorStatement[]) {
  const results = [];
  for (const s of statements) results.push(await client.query(s.text, s.values));
  return results;
}
