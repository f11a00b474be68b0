/**
 * The standards the product and the tests use (standards/, see its README.md) are the files recorded in
 * standards/SHA256SUMS, unchanged, none missing and none added; and no second copy of any of them lies elsewhere in
 * the repository (the server's HSDS validator and the tests read this one).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STANDARDS_DIR } from '../support/standards.ts';

const ROOT = path.dirname(STANDARDS_DIR);
const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Every file under `dir` (relative, with '/'), not descending into the directories `skip` names. */
function filesUnder(dir: string, skip: (rel: string, name: string) => boolean = () => false, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((entry) => {
    const r = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return skip(r, entry.name) ? [] : filesUnder(dir, skip, r);
    return entry.isFile() ? [r] : [];
  });
}

/** standards/SHA256SUMS, in sha256sum's format: file → hash. */
function recorded(): Map<string, string> {
  const lines = fs.readFileSync(path.join(STANDARDS_DIR, 'SHA256SUMS'), 'utf8').split('\n').filter(Boolean);
  return new Map(
    lines.map((line) => {
      const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
      expect(match, line).not.toBeNull();
      return [match![2]!, match![1]!];
    }),
  );
}

describe('standards/', () => {
  it('holds exactly the recorded files, byte for byte', () => {
    const sums = recorded();
    expect([...sums.keys()]).toEqual(
      expect.arrayContaining([
        'hsds-3.0/LICENSE',
        'hsds-3.0/schema/service.json',
        'hsds-3.0/schema/openapi.json',
        'fhir-r4/fhir.schema.json',
      ]),
    );
    const present = filesUnder(STANDARDS_DIR).filter((f) => f !== 'README.md' && f !== 'SHA256SUMS');
    expect(present.sort()).toEqual([...sums.keys()].sort());
    for (const [file, hash] of sums) expect(sha256(path.join(STANDARDS_DIR, file)), file).toBe(hash);
  });

  it('is the only copy: no file elsewhere in the repository has the content of one of them', () => {
    const sums = recorded();
    const hashes = new Set(sums.values());
    const sizes = new Set([...sums.keys()].map((f) => fs.statSync(path.join(STANDARDS_DIR, f)).size));
    // what git does not track: .git, and the directories .gitignore names (node_modules, dist, data, …)
    const ignored = fs
      .readFileSync(path.join(ROOT, '.gitignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.endsWith('/'))
      .map((l) => l.slice(0, -1));
    const skip = (rel: string, name: string) =>
      rel === 'standards' || name === '.git' || ignored.some((i) => i === rel || (!i.includes('/') && i === name));
    const copies = filesUnder(ROOT, skip).filter(
      (f) => sizes.has(fs.statSync(path.join(ROOT, f)).size) && hashes.has(sha256(path.join(ROOT, f))),
    );
    expect(copies).toEqual([]);
  });
});
