#!/usr/bin/env node
// `npm test`: every suite of the project, in order, then one closing line "N passed, N failed, N skipped".
//   1. TypeScript: typecheck, lint (ESLint) + vitest (unit specs and the Chromium end-to-end suite)
//   2. Python: the trainer's pytest suite (resources/trainer), when its environment is set up
// Pass-through: `npm test -- <vitest filters>` runs only matching TypeScript specs.
// With CI=true (.ci/run) a skipped test fails the run, and each skip is printed with its reason.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'test-output');
mkdirSync(out, { recursive: true });
const extra = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };
// In CI (.ci/run sets CI=true) ../shared, ffmpeg, Chromium and the trainer's venv are all installed, so a skipped test
// means a suite silently did not run: there every skip fails the run, each one printed with its reason.
const inCi = /^(1|true)$/i.test(process.env.CI ?? '');
const skips = [];
let failedSuites = [];

function run(label, cmd, args, opts = {}) {
  process.stderr.write(`\n=== ${label}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) failedSuites.push(label);
  return r.status ?? 1;
}

// Every TypeScript target: tsconfig.node.json, tsconfig.web.json, tsconfig.webtest.json (package.json's typecheck).
if (!extra.length) run('typecheck', 'npm', ['run', '-s', 'typecheck']);
// ESLint: recommended rules and the import boundaries between the layers (eslint.config.js).
if (!extra.length) run('lint', 'npx', ['eslint', '.']);

// The electron-vite build that builtWorkers.spec checks is made here, before the specs run: built inside the
// spec it took both cores for half a minute while the Chromium suites ran, and the editor suite timed out twice.
if (!extra.length) {
  run('electron-vite build', process.execPath, [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--outDir', path.join(out, 'electron-vite-build'), '--logLevel', 'error']);
  process.env.FORMANT_ELECTRON_VITE_BUILT = path.join(out, 'electron-vite-build');
}
// The compiled CLI, web server and workers (out/cli, build/buildCli.mjs, about a second): bin/formant.mjs runs it
// while it matches the sources, so the specs that spawn `formant` run what users run; compiledCli.spec checks it.
if (run('compiled CLI', process.execPath, [path.join(root, 'build', 'buildCli.mjs')]) === 0) process.env.FORMANT_CLI_BUILT = path.join(root, 'out', 'cli');
const vitestJson = path.join(out, 'vitest.json');
rmSync(vitestJson, { force: true }); // a report left by an earlier run must not be counted as this one's
run('vitest', 'npx', ['vitest', 'run', '--includeTaskLocation', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`, ...extra]);
if (existsSync(vitestJson)) {
  const j = JSON.parse(readFileSync(vitestJson, 'utf8'));
  totals.passed += j.numPassedTests ?? 0;
  totals.failed += j.numFailedTests ?? 0;
  totals.skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  for (const file of j.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      if (t.status !== 'passed' && t.status !== 'failed') skips.push(`${vitestSkipWhere(file.name, t.location?.line)} › ${t.fullName}: ${t.status}, ${vitestSkipReason(file.name, t.location?.line)}`);
    }
  }
}

/** file:line of a skipped spec. */
function vitestSkipWhere(file, line) {
  return `${path.relative(root, file)}${line ? `:${line}` : ''}`;
}

/** Vitest's report has no skip reason: the nearest skip condition at or above the test is it (`it.skipIf(!py)`…). */
function vitestSkipReason(file, line) {
  try {
    const lines = readFileSync(file, 'utf8').split('\n').slice(0, line ?? 0);
    const cond = lines.reverse().find((l) => /\b(skipIf|skip|todo)\b/.test(l));
    if (cond) return `skipped by: ${cond.trim().slice(0, 160)}`;
  } catch {
    // the file is gone: name the test only
  }
  return 'skipped (no skip condition found above it)';
}

const trainer = path.join(root, 'resources', 'trainer');
if (!extra.length && existsSync(path.join(trainer, 'tests'))) {
  // the app's order (electron/services/shell/appPaths.ts): an explicit FORMANT_PYTHON alone, else .venv, else python3
  const venv = process.platform === 'win32' ? path.join(root, '.venv', 'Scripts', 'python.exe') : path.join(root, '.venv', 'bin', 'python');
  const py = (process.env.FORMANT_PYTHON ? [process.env.FORMANT_PYTHON] : [venv, '/usr/bin/python3']).find((p) => existsSync(p));
  if (!py) {
    process.stderr.write('trainer tests: no Python found (run build/setup.sh)\n');
    failedSuites.push('pytest');
  } else {
    const xml = path.join(out, 'pytest.xml');
    rmSync(xml, { force: true });
    run('pytest', py, ['-m', 'pytest', '-q', `--junitxml=${xml}`, 'tests'], { cwd: trainer });
    if (existsSync(xml)) {
      const s = readFileSync(xml, 'utf8').match(/<testsuite [^>]*/)?.[0] ?? '';
      const num = (k) => Number(s.match(new RegExp(`${k}="(\\d+)"`))?.[1] ?? 0);
      const failed = num('failures') + num('errors');
      totals.failed += failed;
      totals.skipped += num('skipped');
      totals.passed += num('tests') - failed - num('skipped');
      // <testcase classname=… name=…><skipped message="reason"/></testcase>
      for (const m of readFileSync(xml, 'utf8').matchAll(/<testcase ([^>]*?)>\s*<skipped ([^>]*)/g)) {
        const attr = (a, k) => unescapeXml(a.match(new RegExp(`\\b${k}="([^"]*)"`))?.[1] ?? '');
        skips.push(`resources/trainer ${attr(m[1], 'classname')}::${attr(m[1], 'name')}: ${attr(m[2], 'message') || 'skipped'}`);
      }
    }
  }
}

function unescapeXml(s) {
  return s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

if (skips.length && inCi) {
  process.stderr.write(`\n${skips.length} skipped test(s) in CI, where every suite must run:\n${skips.map((s) => `  ${s}\n`).join('')}`);
  failedSuites.push('skipped in CI');
}
if (failedSuites.length) process.stderr.write(`\nfailed: ${failedSuites.join(', ')}\n`);
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(failedSuites.length || totals.failed ? 1 : 0);
