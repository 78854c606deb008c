import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { griffinLimMagnitudesParallel, inThreadRunner } from '../../shared/dsp/griffinLimParallel';
import { presetStftConfig } from '../../shared/dsp/mel';
import { MEL_PRESETS } from '../../shared/dsp/melPresets';
import { createProject } from '../services/projectStore';
import { workerSegmentRunner } from '../services/workers/griffinLimThreads';

/**
 * The compiled CLI (build/buildCli.mjs → out/cli) as users run it: `npm test` builds it before the specs
 * and names it in FORMANT_CLI_BUILT; a lone run of this spec builds its own into test-output/cli-build.
 * Its commands run under plain node (no tsx); bin/formant.mjs picks it only while its sources are unchanged.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
const bin = path.join(root, 'bin', 'formant.mjs');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-compiled-cli-'));
let buildDir = '';

beforeAll(() => {
  const built = process.env.FORMANT_CLI_BUILT;
  if (built && existsSync(path.join(built, 'build-stamp.json'))) {
    buildDir = built;
    return;
  }
  buildDir = path.join(root, 'test-output', 'cli-build');
  const r = spawnSync(process.execPath, [path.join(root, 'build', 'buildCli.mjs'), '--out-dir', buildDir], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`build/buildCli.mjs failed (exit ${r.status}): ${(r.stderr || r.stdout).slice(-2000)}`);
}, 150_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the compiled build itself, as bin/formant.mjs does when it is current (no loader flags from the runner). */
function compiled(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [runner(), ...args], { cwd: tmp, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '', ...opts.env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function runner(): string {
  const file = path.join(tmp, 'run-compiled.mjs');
  if (!existsSync(file)) {
    const code = [
      `const { main } = await import(${JSON.stringify(pathToFileURL(path.join(buildDir, 'formant.js')).href)});`,
      `const commandIndex = JSON.parse((await import('node:fs')).readFileSync(${JSON.stringify(path.join(buildDir, 'commands.json'))}, 'utf8'));`,
      'process.exitCode = await main(process.argv, { commandIndex });',
      // which packages the command loaded (CommonJS ones land in require.cache even when imported)
      "if (process.env.LIST_LOADED) process.stderr.write('LOADED ' + JSON.stringify(Object.keys((await import('node:module')).createRequire(import.meta.url).cache)) + '\\n');",
    ];
    writeFileSync(file, code.join('\n') + '\n');
  }
  return file;
}

function viaBin(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the compiled CLI', () => {
  it('lists the same commands as the sources, and --help loads no command (no onnxruntime, no ffmpeg)', () => {
    const fast = compiled(['--help'], { env: { LIST_LOADED: '1' } });
    expect(fast.code, fast.stderr).toBe(0);
    const sources = viaBin(['--help'], { FORMANT_CLI: 'sources' });
    expect(sources.code, sources.stderr).toBe(0);
    expect(fast.stdout).toBe(sources.stdout);
    expect(fast.stdout).toMatch(/^ {2}info \[options\] <project-dir> /m);
    expect(fast.stdout).toMatch(/^ {2}say \[options\] \[text\] /m);
    const loaded: string[] = JSON.parse(fast.stderr.match(/^LOADED (.*)$/m)![1]);
    expect(loaded.filter((p) => /onnxruntime|fluent-ffmpeg|ffmpeg-static|fft\.js/.test(p))).toEqual([]);
    // an unknown command is refused with the same suggestion as from the sources
    const typo = compiled(['inf']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("unknown command 'inf'");
    expect(typo.stderr).toContain('(Did you mean info?)');
  }, 60_000);

  it('runs real commands: info on a project, text, a command’s own help', async () => {
    const project = path.join(tmp, 'My Voice');
    await createProject(project, { name: 'My Voice' });
    const info = compiled(['info', '--json', project]);
    expect(info.code, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ name: 'My Voice', sources: 0, clips: 0, minutes: 0 });
    const text = compiled(['text', 'Dr. Smith paid $3.50.']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('normalized: Doctor Smith paid three dollars, fifty cents.');
    const missing = compiled(['info', path.join(tmp, 'nothing here')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^formant: .*nothing here/m);
    const help = compiled(['help', 'say']);
    expect(help.stdout).toContain('Usage: formant say [options] [text]');
    expect(help.stdout).toContain('--vocoder <name>');
  });

  it('says a usage error in one line with where the help is, and ends quietly when its reader has gone', async () => {
    for (const [args, line] of [
      [['info'], "formant: missing required argument 'project-dir'; see formant info --help"],
      [['info', '--bogus', 'x'], "formant: unknown option '--bogus'; see formant info --help"],
      [['impot'], "formant: unknown command 'impot' (Did you mean import?); see formant --help"],
    ] as const) {
      const r = compiled([...args]);
      expect(r.stderr.trim().split('\n')).toEqual([line]);
      expect(r.code).toBe(2);
    }
    // `formant text … | head -0`: the reader closes before the first write (was an EPIPE stack trace, exit 1)
    const child = spawn(process.execPath, [runner(), 'text', 'Hello. '.repeat(2000)], { cwd: tmp, env: { ...process.env, NODE_OPTIONS: '' } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('runs Griffin-Lim on its compiled worker thread, identical to one thread', async () => {
    const worker = path.join(buildDir, 'griffinLimWorker.js');
    expect(readFileSync(worker, 'utf8')).not.toMatch(/from ["']tsx|import\(["']tsx/);
    const cfg = presetStftConfig(MEL_PRESETS.nvidia);
    const frames = 400;
    const magnitudes = new Float32Array(frames * (cfg.nFft / 2 + 1)).map((_, i) => 1 + Math.sin(i * 0.37) ** 2);
    const opts = { iterations: 3, seed: 4, parts: 2 };
    const threaded = await griffinLimMagnitudesParallel(magnitudes, frames, cfg, opts, workerSegmentRunner({ path: worker, from: 'built' }));
    expect(threaded).toEqual(await griffinLimMagnitudesParallel(magnitudes, frames, cfg, opts, inThreadRunner));
  });

  it.skipIf(!existsSync(path.join(root, 'resources', 'voices', 'demo', 'voice.json')))('speaks a sentence on its compiled synthesis worker (web mode’s) under plain node', () => {
    const probe = path.join(root, 'electron', 'services', 'workers', 'testing', 'builtWorkerProbe.mjs');
    const r = spawnSync(process.execPath, [probe, buildDir, path.join(root, 'resources'), 'synthesize', 'The lamp was lit at dusk.'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NODE_OPTIONS: '', FORMANT_GL_THREADS: '1' },
    });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    expect(r.status, `${line}\n${r.stderr}`).toBe(0);
    expect(JSON.parse(line)).toMatchObject({ ok: true, sampleRate: 22050, sentences: 1, execArgv: [] });
    expect(JSON.parse(line).peak).toBeGreaterThan(0.01);
  });

  it('starts the web server and stops it on SIGTERM', async () => {
    const child = spawn(process.execPath, [runner(), 'web', '--port', '0', '--no-build', '--data-dir', path.join(tmp, 'data')], {
      cwd: tmp,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL from the web server: ${out}`)), 30_000);
      child.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/running at (http:\/\/\S+)/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`web server exited (${code}): ${out}`)));
    });
    expect((await fetch(new URL('/', url))).status).toBeLessThan(500);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('bin/formant.mjs picks the compiled build only while it matches the sources', () => {
  // A stand-in build whose one "source" is a file of this test: its formant.js announces itself.
  const fake = path.join(tmp, 'fake-build');
  const source = path.join(tmp, 'source.ts');
  const stampOf = (file: string) => {
    const st = statSync(file);
    return { mtimeMs: st.mtimeMs, size: st.size, sha1: createHash('sha1').update(readFileSync(file)).digest('hex') };
  };
  beforeAll(() => {
    mkdirSync(fake, { recursive: true });
    writeFileSync(source, 'export const answer = 42;\n');
    writeFileSync(path.join(fake, 'formant.js'), "export async function main() { process.stdout.write('compiled build ran\\n'); return 0; }\n");
    writeFileSync(path.join(fake, 'commands.json'), '{}\n');
    writeFileSync(path.join(fake, 'build-stamp.json'), JSON.stringify({ sources: { [source]: stampOf(source) } }));
  });

  it('runs the build while the sources are as built, also when one was only touched', () => {
    expect(viaBin(['--version'], { FORMANT_CLI_DIR: fake }).stdout).toBe('compiled build ran\n');
    const later = new Date(Date.now() + 5000);
    utimesSync(source, later, later); // a checkout rewrote it with the same text
    expect(viaBin(['--version'], { FORMANT_CLI_DIR: fake }).stdout).toBe('compiled build ran\n');
  });

  it('runs the sources through tsx once a source changed, or without a build', () => {
    writeFileSync(source, 'export const answer = 43;\n');
    const stale = viaBin(['--version'], { FORMANT_CLI_DIR: fake });
    expect(stale.code, stale.stderr).toBe(0);
    expect(stale.stdout).not.toContain('compiled build ran');
    expect(stale.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const none = viaBin(['--version'], { FORMANT_CLI_DIR: path.join(tmp, 'no-build-here') });
    expect(none.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  }, 60_000);
});
