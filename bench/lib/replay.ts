import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { APP_ROLE } from '../../src/server/core/db/database.ts';
import type { TracedQuery } from './probe.ts';

/**
 * A decomposition aid, not part of the app/floor ratio: a bare node:http server that replays, per
 * path, exactly the statements the app sent for that path during the probe (same SQL text, same
 * values, same protocol, same role `kortelijn_app` and row-level security, same split over two pool
 * checkouts: the session lookup, then the tenant transaction). It has none of Fastify, ajv, the
 * permission check, DTO mapping or schema serialisation. With `audit: false` the audit insert is
 * left out (the commit then flushes nothing: the transaction wrote no row).
 */
export interface Replay {
  url: string;
  close(): Promise<void>;
}

export async function startReplay(opts: {
  databaseUrl: string;
  poolSize: number;
  statementsByPath: Map<string, TracedQuery[]>;
  audit: boolean;
}): Promise<Replay> {
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize });
  pool.on('connect', (client) => {
    client.query(`set role ${APP_ROLE}`).catch(() => undefined);
  });
  const plans = new Map<string, { session: TracedQuery; tx: TracedQuery[] }>();
  for (const [p, statements] of opts.statementsByPath) {
    const kept = statements.filter(
      (s) => !/^update "sessions"/.test(s.text) && (opts.audit || !/^insert into "audit_log"/.test(s.text)),
    );
    const [session, ...tx] = kept;
    if (
      !session ||
      !/from "sessions"/.test(session.text) ||
      !/^begin( read only)?;/.test(tx[0]?.text ?? '') ||
      tx.at(-1)?.text !== 'commit'
    ) {
      throw new Error(`replay: unexpected statement sequence for ${p}`);
    }
    plans.set(p, { session, tx });
  }
  const server = http.createServer((req, res) => {
    const plan = plans.get(req.url ?? '');
    const handle = async () => {
      if (!plan) {
        res.writeHead(404).end();
        return;
      }
      const s = await pool.query(plan.session.text, plan.session.values);
      if (s.rows.length !== 1) throw new Error('session not found');
      const client = await pool.connect();
      let body: unknown;
      try {
        for (const q of plan.tx) {
          const r = await client.query(q.text, q.values);
          if (/^select \*/.test(q.text)) body = r.rows;
        }
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        client.release();
        throw error;
      }
      client.release();
      const text = JSON.stringify(body);
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    };
    handle().catch((error: Error) => {
      res.writeHead(500).end(error.message);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
