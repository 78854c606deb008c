/**
 * `npm run bench:cli`: how long `formant` takes to start, compiled (out/cli) against the sources through tsx,
 * next to node's own start. Rebuilds out/cli first (build/buildCli.mjs), times each command line as a
 * fresh process (best of N wall-clock runs: the least disturbed by other work on the machine), and checks
 * afterwards that the build was still current, so no "compiled" number silently came from tsx.
 *   BENCH_N=7 npm run bench:cli
 */
import { execFileSync, spawnSync } from 'node:child_process';
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

const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-bench-cli-'));
try {
  execFileSync(process.execPath, [path.join(root, 'build', 'buildCli.mjs')], { cwd: root, stdio: 'inherit' });
  const project = path.join(tmp, 'bench project');
  await createProject(project, { name: 'bench project' });

  const rows: [string, number][] = [];
  const time = (label: string, n: number, args: string[], env?: NodeJS.ProcessEnv) => {
    const s = bestOf(n, args, env);
    rows.push([label, s]);
    process.stderr.write(`  ${label}: ${s.toFixed(3)} s\n`);
  };
  process.stderr.write(`best of ${N} (tsx: of ${Math.min(N, 3)}) on ${os.cpus().length} CPU(s), node ${process.version}\n`);
  time('node -e 0', N, ['-e', '0']);
  time('formant --help (compiled)', N, [bin, '--help']);
  time('formant --help (tsx)', Math.min(N, 3), [bin, '--help'], { FORMANT_CLI: 'sources' });
  time('formant info <project> (compiled)', N, [bin, 'info', project]);
  time('formant info <project> (tsx)', Math.min(N, 3), [bin, 'info', project], { FORMANT_CLI: 'sources' });
  time('formant text "Hello." (compiled)', N, [bin, 'text', 'Hello.']);

  const stale = staleReason();
  if (stale) throw new Error(`the compiled build went stale during the run (${stale}): run again when the sources are quiet`);
  const node = rows[0][1];
  console.log('\n| command line | best of N (s) | × node -e 0 |\n| --- | ---: | ---: |');
  for (const [label, s] of rows) console.log(`| ${label} | ${s.toFixed(3)} | ${(s / node).toFixed(2)} |`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
