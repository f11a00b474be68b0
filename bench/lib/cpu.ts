import fs from 'node:fs';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { sql } from 'kysely';
import type { Database } from '../../src/server/core/db/database.ts';

/**
 * CPU spent per request, split between this process's main thread (the server under test; the load
 * generator runs in its own thread) and the PostgreSQL backends connected to the bench database.
 * Per-request CPU is much less sensitive to other load on a shared machine than requests/s.
 * The backends are read from /proc, so this only works when PostgreSQL runs on this machine (Linux);
 * background processes (WAL writer, checkpointer) are not counted.
 */
let clockTicks = 100;
try {
  clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  /* keep 100 */
}

function procCpuMicros(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the ")" of the command name: state is field 3, utime 14, stime 15
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / clockTicks) * 1e6;
  } catch {
    return null;
  }
}

export interface CpuSnapshot {
  mainThreadMicros: number;
  backends: Map<number, number> | null;
}

export async function cpuSnapshot(db: Database, databaseName: string): Promise<CpuSnapshot> {
  const main = process.threadCpuUsage();
  let backends: Map<number, number> | null = new Map();
  const pids = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = ${databaseName}`.execute(
    db.owner,
  );
  for (const { pid } of pids.rows) {
    const micros = procCpuMicros(pid);
    if (micros === null) {
      backends = null;
      break;
    }
    backends.set(pid, micros);
  }
  return { mainThreadMicros: main.user + main.system, backends };
}

/** Microseconds of CPU per request between two snapshots (backends that appeared in between count from 0). */
export function cpuPerRequest(
  before: CpuSnapshot,
  after: CpuSnapshot,
  requests: number,
): { nodeMicros: number; postgresMicros: number | null } {
  const nodeMicros = (after.mainThreadMicros - before.mainThreadMicros) / requests;
  if (!before.backends || !after.backends) return { nodeMicros, postgresMicros: null };
  let pg = 0;
  for (const [pid, micros] of after.backends) pg += micros - (before.backends.get(pid) ?? 0);
  return { nodeMicros, postgresMicros: pg / requests };
}

/** Busy and total CPU time of the whole machine (all cores), for the machine-wide CPU % of a scenario. */
export function cpuTimes() {
  let busy = 0;
  let total = 0;
  for (const c of os.cpus()) {
    const t = c.times;
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, total };
}

export const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
export const r3 = (x: number) => Math.round(x * 1000) / 1000;
