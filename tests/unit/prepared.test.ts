import { describe, expect, it } from 'vitest';
import { isStaleStatementError, PreparedStatements, statementName } from '../../src/server/core/db/prepared.ts';

describe('prepared statement names', () => {
  it('one name per distinct SQL text, the same on every call', () => {
    const a = statementName('select * from clients where id = $1');
    expect(a).toMatch(/^kl_[A-Za-z0-9_-]{22}$/);
    expect(statementName('select * from clients where id = $1')).toBe(a);
    expect(statementName('select * from clients where id = $2')).not.toBe(a);
  });

  it('only statements with parameters are named (a script without them stays one simple-protocol round trip)', () => {
    const statements = new PreparedStatements();
    expect(statements.nameFor('begin read only; set local role kortelijn_app', 0)).toBeUndefined();
    expect(statements.nameFor('select $1::int', 1)).toBe(statementName('select $1::int'));
  });

  it('past the bound a connection runs new statements unnamed until its names are reset, then names again', () => {
    const statements = new PreparedStatements(2);
    const first = statements.nameFor('select $1::int', 1);
    expect(statements.nameFor('select $1::text', 1)).toBeDefined();
    expect(statements.needsReset).toBe(false);
    expect(statements.nameFor('select $1::date', 1)).toBeUndefined();
    expect(statements.needsReset).toBe(true);
    // also a statement that was prepared runs unnamed now: the reset may come before its next run
    expect(statements.nameFor('select $1::int', 1)).toBeUndefined();
    statements.resetDone();
    expect(statements.needsReset).toBe(false);
    expect(statements.nameFor('select $1::int', 1)).toBe(first);
  });

  it('a stale statement stops the naming until the reset', () => {
    const statements = new PreparedStatements();
    statements.nameFor('select $1::int', 1);
    statements.markStale();
    expect(statements.nameFor('select $1::int', 1)).toBeUndefined();
    statements.resetDone();
    expect(statements.nameFor('select $1::int', 1)).toBeDefined();
  });

  it('the errors that mean the server holds other statements than the connection thinks', () => {
    expect(isStaleStatementError({ code: '0A000', message: 'cached plan must not change result type' })).toBe(true);
    expect(isStaleStatementError({ code: '26000' })).toBe(true);
    expect(isStaleStatementError({ code: '42P05' })).toBe(true);
    expect(isStaleStatementError({ code: '42P01' })).toBe(false);
    expect(isStaleStatementError(null)).toBe(false);
  });
});
