import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/server/core/db/database.ts';
import { migrate } from '../../src/server/core/db/migrate.ts';
import { serverUrl } from '../support/world.ts';

// Migration 013 on a database that already holds signals and screenings in the old words (moderate / high):
// every signal and every help request gets its level by the rule of core/risk.ts.

let db: Database;
let drop: () => Promise<void>;
let before: string;

/** A database with no migration applied yet: an in-memory PGlite, or a new database on the server. */
async function emptyDatabase(): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (!serverUrl) {
    const fresh = await createDatabase({});
    return { db: fresh, drop: () => fresh.close() };
  }
  const name = `kl_test_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const fresh = await createDatabase({ databaseUrl: url.toString(), poolSize: 2 });
  return {
    db: fresh,
    drop: async () => {
      await fresh.close();
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

beforeAll(async () => {
  ({ db, drop } = await emptyDatabase());
  before = fs.mkdtempSync(path.join(os.tmpdir(), 'kl-before-013-'));
  for (const file of fs.readdirSync('migrations').filter((f) => f.endsWith('.sql') && f < '013'))
    fs.copyFileSync(path.join('migrations', file), path.join(before, file));
});
afterAll(async () => {
  await drop?.();
  if (before) fs.rmSync(before, { recursive: true, force: true });
});

describe('migration 013: the old signal levels and the risk of existing help requests', () => {
  it('maps screening signals moderate → high and high → acute, a worker’s moderate → attention and high → high, and backfills each help request', async () => {
    await migrate(db.owner, { dir: before });
    const o = db.owner;
    const network = await o
      .insertInto('networks')
      .values({ name: 'Oud netwerk', zone_name: 'Zone' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const org = await o
      .insertInto('organizations')
      .values({ network_id: network.id, name: 'Oud CAW', kind: 'caw' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await o
      .insertInto('instrument_versions')
      .values(
        ['phq9', 'cssrs', 'k10'].map((id) => ({ instrument_id: id, version: 'v-old', definition: JSON.stringify({}) })),
      )
      .execute();
    const request = async () =>
      (
        await o
          .insertInto('help_requests')
          .values({
            organization_id: org.id,
            network_id: network.id,
            story: 'Van voor 013',
            urgency: 'routine',
            received_at: new Date(),
            created_at: new Date(),
            updated_at: new Date(),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const screening = async (helpRequestId: string, instrument: string, flags: string[], at: string) =>
      (
        await o
          .insertInto('screenings')
          .values({
            help_request_id: helpRequestId,
            organization_id: org.id,
            instrument_id: instrument,
            instrument_version: 'v-old',
            answers: JSON.stringify({}),
            flags,
            missing: [],
            imputed: false,
            administered_at: new Date(at),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const signal = async (helpRequestId: string, source: string, kind: string, level: string, screeningId?: string) =>
      (
        await o
          .insertInto('safety_signals')
          .values({
            help_request_id: helpRequestId,
            organization_id: org.id,
            source,
            kind,
            level,
            screening_id: screeningId ?? null,
            raised_at: new Date(),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;

    const phq = await request();
    const phqSignal = await signal(
      phq,
      'screening',
      'suicide-risk',
      'moderate',
      await screening(phq, 'phq9', ['suicide-risk'], '2026-01-01'),
    );
    const cssrs = await request();
    const cssrsSignal = await signal(
      cssrs,
      'screening',
      'suicide-high-risk',
      'high',
      await screening(cssrs, 'cssrs', ['cssrs-positive', 'cssrs-high-risk'], '2026-01-01'),
    );
    const manualModerate = await request();
    const moderateSignal = await signal(manualModerate, 'manual', 'family-violence', 'moderate');
    const manualHigh = await request();
    const highSignal = await signal(manualHigh, 'manual', 'unsafe-home', 'high');
    // a K10 warning, then a later K10 without it: the latest counts
    const k10 = await request();
    await screening(k10, 'k10', ['high-distress'], '2026-01-01');
    await screening(k10, 'k10', [], '2026-02-01');
    const k10Warning = await request();
    await screening(k10Warning, 'k10', ['high-distress'], '2026-02-01');
    await screening(k10Warning, 'phq9', [], '2026-02-02');
    const nothing = await request();

    expect(await migrate(db.owner)).toContain('013_risk_levels.sql');

    const levels = new Map(
      (await o.selectFrom('safety_signals').select(['id', 'level']).execute()).map((s) => [s.id, s.level]),
    );
    expect([phqSignal, cssrsSignal, moderateSignal, highSignal].map((id) => levels.get(id))).toEqual([
      'high',
      'acute',
      'attention',
      'high',
    ]);
    const risks = new Map(
      (await o.selectFrom('help_requests').select(['id', 'risk_level', 'risk_rank']).execute()).map((h) => [
        h.id,
        [h.risk_level, h.risk_rank],
      ]),
    );
    expect([phq, cssrs, manualModerate, manualHigh, k10, k10Warning, nothing].map((id) => risks.get(id))).toEqual([
      ['high', 1],
      ['acute', 0],
      ['attention', 2],
      ['high', 1],
      ['none', 2],
      ['attention', 2],
      ['none', 2],
    ]);
    // the old words are refused from now on; row-level security is forced again on the tables the backfill touched
    await expect(
      o
        .insertInto('safety_signals')
        .values({
          help_request_id: nothing,
          organization_id: org.id,
          source: 'manual',
          kind: 'other',
          level: 'moderate',
        })
        .execute(),
    ).rejects.toThrow(/safety_signals_level_check/);
    const forced = await sql<{ relname: string; forced: boolean }>`
      select relname, relforcerowsecurity as forced from pg_class
       where relname in ('safety_signals', 'screenings', 'help_requests') and relkind = 'r'`.execute(o);
    expect(forced.rows).toHaveLength(3);
    expect(forced.rows.every((r) => r.forced)).toBe(true);
  });
});
