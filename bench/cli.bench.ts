/**
 * `npm run bench:cli`: how long `formant` takes to start, compiled (out/cli) against the sources through tsx,
 * next to node's own start. Rebuilds out/cli first (build/buildCli.mjs), times each command line as a
 * fresh process (best of N wall-clock runs: the least disturbed by other work on the machine), and checks
 * afterwards that the build was still current, so no "compiled" number silently came from tsx.
 *   BENCH_N=7 npm run bench:cli
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProject } from '../electron/services/projectStore';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin', 'formant.mjs');
// bin/formant.mjs's own check (plain JavaScript, imported by path)
const { staleReason } = (await import(pathToFileURL(path.join(root, 'bin', 'compiledBuild.mjs')).href)) as { staleReason: () => string | null };
const N = Math.max(1, Number(process.env.BENCH_N) || 5);

function bestOf(n: number, args: string[], env: NodeJS.ProcessEnv = {}): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NODE_OPTIONS: '', ...env } });
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (exit ${r.status}): ${r.stderr.toString().slice(-500)}`);
    best = Math.min(best, s);
  }
  return best;
}

/** Seconds from spawning `formant web` to its printed URL (the server listening), best of n. */
async function webStart(n: number, env: NodeJS.ProcessEnv, dataDir: string): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [bin, 'web', '--port', '0', '--no-build', '--data-dir', dataDir], { cwd: root, env: { ...process.env, NODE_OPTIONS: '', ...env } });
    let out = '';
    const s = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (/running at http/.test(out)) resolve(Number(process.hrtime.bigint() - t0) / 1e9);
      });
      child.on('exit', (code) => reject(new Error(`formant web exited (${code}) before printing its URL: ${out}`)));
    });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    best = Math.min(best, s);
  }
  return best;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-bench-cli-'));
try {
  const build = () => execFileSync(process.execPath, [path.join(root, 'build', 'buildCli.mjs')], { cwd: root, stdio: 'inherit' });
  build();
  const project = path.join(tmp, 'bench project');
  await createProject(project, { name: 'bench project' });

  const rows: [string, number][] = [];
  /** Times one row; a compiled row is timed again on a fresh build when a source changed meanwhile (it ran the sources). */
  const time = async (label: string, measure: () => number | Promise<number>, compiled: boolean) => {
    for (let attempt = 1; ; attempt++) {
      const s = await measure();
      const stale = compiled ? staleReason() : null;
      if (stale && attempt < 3) {
        process.stderr.write(`  (${stale} during "${label}": rebuilding and timing it again)\n`);
        build();
        continue;
      }
      if (stale) throw new Error(`the sources keep changing (${stale}): run again when they are quiet`);
      rows.push([label, s]);
      process.stderr.write(`  ${label}: ${s.toFixed(3)} s\n`);
      return;
    }
  };
  const few = Math.min(N, 3);
  const sources = { FORMANT_CLI: 'sources' };
  process.stderr.write(`best of ${N} (tsx and web: of ${few}) on ${os.cpus().length} CPU(s), node ${process.version}\n`);
  await time('node -e 0', () => bestOf(N, ['-e', '0']), false);
  await time('formant --help (compiled)', () => bestOf(N, [bin, '--help']), true);
  await time('formant --help (tsx)', () => bestOf(few, [bin, '--help'], sources), false);
  await time('formant info <project> (compiled)', () => bestOf(N, [bin, 'info', project]), true);
  await time('formant info <project> (tsx)', () => bestOf(few, [bin, 'info', project], sources), false);
  await time('formant text "Hello." (compiled)', () => bestOf(N, [bin, 'text', 'Hello.']), true);
  await time('formant web, start to URL (compiled)', () => webStart(few, {}, path.join(tmp, 'data')), true);
  await time('formant web, start to URL (tsx)', () => webStart(few, sources, path.join(tmp, 'data')), false);

  let check = Infinity;
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    staleReason();
    check = Math.min(check, performance.now() - t0);
  }
  process.stderr.write(`bin/formant.mjs's check that out/cli matches the sources: ${check.toFixed(2)} ms (best of 20, in this process)\n`);
  const node = rows[0][1];
  console.log('\n| command line | best of N (s) | × node -e 0 |\n| --- | ---: | ---: |');
  for (const [label, s] of rows) console.log(`| ${label} | ${s.toFixed(3)} | ${(s / node).toFixed(2)} |`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
