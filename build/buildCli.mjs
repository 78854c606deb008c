#!/usr/bin/env node
// Compiles the `formant` CLI, the web server it starts and the worker threads to plain JavaScript in out/cli/,
// so a command starts without loading TypeScript through tsx (bin/formant.mjs runs this build when it is current).
//   node build/buildCli.mjs [--out-dir <dir>]     (part of build/setup.sh, `npm run build`, `npm test`)
// Writes out/cli/build-stamp.json: every source file that went into the build with its mtime, size and hash.
// bin/formant.mjs checks it at each start (a stat per file, about 1 ms) and runs the sources through tsx
// instead when any of them changed since, e.g. after `git pull`.
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const defaultCliOutDir = path.join(root, 'out', 'cli');
export const STAMP_FILE = 'build-stamp.json';
export const COMMANDS_FILE = 'commands.json';

/**
 * Entry points: the CLI (its commands and the web server are chunks it imports on demand), the worker
 * threads, and the command index this script runs once to list the commands for `formant --help`.
 */
const entryPoints = {
  formant: 'electron/cli/formant.ts',
  commandIndex: 'electron/cli/commandIndex.ts',
  griffinLimWorker: 'electron/services/workers/griffinLimWorker.ts',
  synthesisWorker: 'electron/services/synthesis/worker.ts',
};

/**
 * Packages compiled into the bundle: zod (ES modules, plain JavaScript), which most commands load and where one
 * bundled chunk beats resolving and reading its ~60 files. All others stay imports of node_modules: CommonJS
 * (commander, fft.js: an ES module bundle cannot `require` node builtins), native (onnxruntime-node), binaries
 * and files found at run time (ffmpeg-static, espeak-ng, WebAssembly), vite.
 */
const bundledPackages = ['zod'];

/** Files that shape the output without being sources of it; a change to them makes the build stale too. */
const configInputs = ['build/buildCli.mjs', 'tsconfig.json', ...bundledPackages.map((p) => `node_modules/${p}/package.json`)];

/** Every bare import (a package or a node: builtin) stays an import, except the bundled packages. */
const externalPackagesPlugin = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === 'entry-point' || path.isAbsolute(args.path)) return undefined;
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      return bundledPackages.includes(name) ? undefined : { external: true };
    });
  },
};

/**
 * In a bundle every module's `import.meta.url` is the bundle's. Modules that find repository files relative
 * to themselves (resources/, the trainer, renderer/) need their source location back, so it is rewritten to
 * the source file's URL, relative to the output folder (the checkout can move); `import.meta.dirname` and
 * `import.meta.filename` likewise. Modules that look for
 * compiled worker scripts next to the bundle (locateWorkerScript) keep the bundle's URL: that is where
 * griffinLimWorker.js and synthesisWorker.js are. Every output file lies in the one folder (no chunk
 * subfolders), so one relative path is right for whichever chunk a module lands in.
 */
function sourceLocationPlugin(outDir) {
  return {
    name: 'source-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        let contents = await fs.readFile(args.path, 'utf8');
        if (/import\.meta\.(url|dirname|filename)\b/.test(contents) && !/\blocateWorkerScript\(/.test(contents)) {
          const url = `new URL(${JSON.stringify(path.relative(outDir, args.path).split(path.sep).join('/'))}, import.meta.url)`;
          contents =
            "import { fileURLToPath as __sourceFilePath } from 'node:url';\nimport { dirname as __sourceDirName } from 'node:path';\n" +
            contents
              .replace(/import\.meta\.url\b/g, `${url}.href`)
              .replace(/import\.meta\.filename\b/g, `__sourceFilePath(${url})`)
              .replace(/import\.meta\.dirname\b/g, `__sourceDirName(__sourceFilePath(${url}))`);
        }
        return { contents, loader: 'ts' };
      });
    },
  };
}

async function fileStamp(rel) {
  const p = path.join(root, rel);
  const [st, bytes] = await Promise.all([fs.stat(p), fs.readFile(p)]);
  return { mtimeMs: st.mtimeMs, size: st.size, sha1: createHash('sha1').update(bytes).digest('hex') };
}

/** Builds into `outDir` (replaced whole, through a sibling folder, so a CLI starting meanwhile never sees half a build). */
export async function buildCli({ outDir = defaultCliOutDir } = {}) {
  const t0 = performance.now();
  const tmp = `${outDir}.build-${process.pid}`;
  await fs.rm(tmp, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints,
    outdir: tmp,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    metafile: true,
    logLevel: 'error',
    // the plugin rewrites paths relative to the final folder, not the temporary one
    plugins: [externalPackagesPlugin, sourceLocationPlugin(outDir)],
  });
  const sources = Object.keys(result.metafile.inputs).filter((p) => !p.includes('node_modules/'));
  const stamp = { builtAt: new Date().toISOString(), sources: {} };
  for (const rel of [...configInputs, ...sources].sort()) stamp.sources[rel] = await fileStamp(rel);
  await fs.writeFile(path.join(tmp, STAMP_FILE), JSON.stringify(stamp, null, 1) + '\n');
  // what each compiled command module registers, read from the modules themselves (electron/cli/commandIndex.ts)
  const { describeCommands } = await import(pathToFileURL(path.join(tmp, 'commandIndex.js')).href);
  await fs.writeFile(path.join(tmp, COMMANDS_FILE), JSON.stringify(await describeCommands(), null, 1) + '\n');
  const old = `${outDir}.old-${process.pid}`;
  if (existsSync(outDir)) await fs.rename(outDir, old);
  await fs.rename(tmp, outDir);
  await fs.rm(old, { recursive: true, force: true });
  return { outDir, sources: sources.length, ms: performance.now() - t0 };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--out-dir');
  const outDir = i > 0 ? path.resolve(process.argv[i + 1]) : defaultCliOutDir;
  const r = await buildCli({ outDir });
  process.stderr.write(`compiled CLI, web server and workers: ${path.relative(process.cwd(), r.outDir) || '.'} (${r.sources} sources, ${(r.ms / 1000).toFixed(1)} s)\n`);
}
