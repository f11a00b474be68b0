/**
 * The project runs on a maintained Node LTS even where the machine has only Node 20: `npm install` brings
 * Node 24 (the `node` npm package) into node_modules/.bin, and npm scripts put that folder first on PATH.
 * This file runs under `npm test` / `npm exec vitest`, so it checks that mechanism; started from a bare shell
 * as `node_modules/.bin/vitest` on a Node 20 machine it fails, as it should.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };

const major = (version: string) => Number(/^v?(\d+)\./.exec(version)?.[1]);

describe('runtime', () => {
  it('the tests themselves run on Node 22 or newer', () => {
    expect(
      major(process.versions.node),
      `running on Node ${process.versions.node} (${process.execPath})`,
    ).toBeGreaterThanOrEqual(22);
  });

  it('the project brings that Node with it: the node package in node_modules/.bin is an LTS ≥ 22', () => {
    expect(pkg.dependencies.node).toMatch(/^\^?(2[2-9]|[3-9]\d)\./);
    const bundled = execFileSync(path.resolve('node_modules/.bin/node'), ['--version'], { encoding: 'utf8' }).trim();
    expect(major(bundled)).toBeGreaterThanOrEqual(22);
    // the LTS lines are the even majors
    expect(major(bundled) % 2).toBe(0);
  });
});
