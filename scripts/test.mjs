// npm test: builds the web app (the browser suite drives it), runs every suite with Vitest and prints
// the closing line "N passed, N failed" from Vitest's JSON report.
// TEST_DATABASE_URL / DATABASE_URL: run against that PostgreSQL server, else the embedded PGlite.
// TEST_ALSO_PGLITE=1: afterwards run the unit and integration suites once more on PGlite (CI does).
// CHECKS_PASSED / CHECKS_FAILED: static checks run before (CI's typecheck, lint, check:imports, contract:check), each counted
// as one test in the closing line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const bin = (name) => path.resolve('node_modules/.bin', name);
const resultsDir = path.resolve('.test-results');
fs.mkdirSync(resultsDir, { recursive: true });

function run(cmd, args, env = process.env) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', env });
  return result.status ?? 1;
}

function vitest(name, args, env) {
  const report = path.join(resultsDir, `${name}.json`);
  fs.rmSync(report, { force: true });
  run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile=${report}`, ...args], env);
  try {
    const json = JSON.parse(fs.readFileSync(report, 'utf8'));
    // a file that failed without a failing test (it did not load, or its beforeAll threw and its tests were
    // skipped) counts as one failure
    const brokenFiles = (json.testResults ?? []).filter(
      (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
    ).length;
    const failed = (json.numFailedTests ?? 0) + brokenFiles;
    // Vitest's own verdict as a last net (an unhandled error fails the run without failing a test)
    return { passed: json.numPassedTests ?? 0, failed: failed === 0 && json.success === false ? 1 : failed };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

const count = (value) => (/^\d+$/.test(value ?? '') ? Number(value) : 0);
let passed = count(process.env.CHECKS_PASSED);
let failed = count(process.env.CHECKS_FAILED);
if (run(bin('vite'), ['build', '--logLevel', 'warn']) !== 0) failed += 1;

const server = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
console.log(`\n▶ all suites on ${server ? 'PostgreSQL server' : 'embedded PGlite'}`);
const main = vitest('main', []);
passed += main.passed;
failed += main.failed;

if (process.env.TEST_ALSO_PGLITE === '1' && server) {
  console.log('\n▶ unit and integration suites on embedded PGlite');
  const env = { ...process.env, TEST_DATABASE_URL: '', DATABASE_URL: '' };
  const pglite = vitest('pglite', ['tests/unit', 'tests/integration'], env);
  passed += pglite.passed;
  failed += pglite.failed;
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
