import { describe, expect, it } from 'vitest';
import { isStorableText, unstorableTextPaths } from '../../src/server/core/http/text.ts';
import { clientCausedProblem } from '../../src/server/core/db/pg-errors.ts';

describe('the text rule', () => {
  it.each([
    ['plain text', 'Ann Peeters', true],
    ['accents and a combining mark', 'Zoë e\u0301', true],
    ['an emoji (a surrogate pair)', '😀', true],
    ['right-to-left text', '\u0627\u0644\u0639\u0644\u064a', true],
    ['U+FFFF and U+FFFD', '\uffff\ufffd', true],
    ['NUL', 'a\u0000b', false],
    ['a high surrogate alone', 'a\ud83d', false],
    ['a low surrogate alone', '\ude00a', false],
    ['a pair in the wrong order', '\ude00\ud83d', false],
  ])('%s', (_label, text, storable) => {
    expect(isStorableText(text)).toBe(storable);
  });

  it('finds every bad string, value or key, with its JSON Pointer', () => {
    const data = {
      ok: 'fine',
      name: 'a\u0000',
      list: ['x', '\ud800', { deep: ['\u0000'] }],
      open: { 'a/b~c': '\u0000', ['k\u0000']: 'value' },
      count: 3,
      none: null,
    };
    expect(unstorableTextPaths(data)).toEqual(['/list/1', '/list/2/deep/0', '/name', '/open/a~1b~0c', '/open/k\ufffd']);
    expect(unstorableTextPaths('\u0000')).toEqual(['']);
    expect(unstorableTextPaths({ a: ['😀'], b: 1, c: true })).toEqual([]);
  });

  it('walks deeply nested input without exhausting the stack, and stops at a limit', () => {
    const depth = 100_000;
    const deep: unknown = JSON.parse('['.repeat(depth) + '"\\u0000"' + ']'.repeat(depth));
    const [path] = unstorableTextPaths(deep);
    expect(path).toHaveLength(depth * 2);
    expect(
      unstorableTextPaths(
        Array.from({ length: 500 }, () => '\u0000'),
        10,
      ),
    ).toHaveLength(10);
  });
});

describe('database errors a client can cause', () => {
  const pgError = (code: string) => Object.assign(new Error('message with personal data'), { code, severity: 'ERROR' });

  it.each([
    ['23505', 'conflict'],
    ['23503', 'conflict'],
    ['23P01', 'conflict'],
    ['23502', 'validation'],
    ['23514', 'validation'],
    ['22001', 'validation'],
    ['22003', 'validation'],
    ['22007', 'validation'],
    ['22008', 'validation'],
    ['22021', 'validation'],
    ['22P02', 'validation'],
    ['22P05', 'validation'],
    ['54000', 'validation'],
  ])('%s → %s', (code, problem) => {
    expect(clientCausedProblem(pgError(code))).toEqual({ problem, sqlstate: code });
  });

  it.each([
    ['a server fault', pgError('42P01')],
    ['a lost connection (503 elsewhere)', pgError('57P01')],
    ['a Node.js error with a code', Object.assign(new Error('x'), { code: 'ECONNRESET' })],
    ['a Fastify error', Object.assign(new Error('x'), { code: 'FST_ERR_VALIDATION' })],
    ['a five-letter code without a severity', Object.assign(new Error('x'), { code: '23505' })],
    ['not an error', 'oops'],
  ])('leaves %s alone', (_label, error) => {
    expect(clientCausedProblem(error)).toBeNull();
  });
});
