import { promises as fs } from 'node:fs';
import path from 'node:path';
import { checkoutRoot } from '../services/shell/appPaths';

/**
 * Web mode serves the same renderer bundle Electron loads (out/renderer). From a checkout it
 * is built on demand: when index.html is missing or older than any source under renderer/src,
 * renderer/index.html or shared/. A lock folder keeps parallel servers (e2e workers) from
 * building at the same time; the loser waits and reuses the winner's bundle.
 */
// web mode runs from a checkout (its renderer sources are needed to build); appPaths finds it from any depth
export const repoRoot = checkoutRoot() ?? process.cwd();
export const defaultRendererDir = path.join(repoRoot, 'out', 'renderer');

async function newestMtime(dir: string, skip: (p: string) => boolean): Promise<number> {
  let newest = 0;
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (skip(p)) continue;
    if (e.isDirectory()) newest = Math.max(newest, await newestMtime(p, skip));
    else if (e.isFile()) newest = Math.max(newest, (await fs.stat(p)).mtimeMs);
  }
  return newest;
}

export async function rendererIsStale(outDir = defaultRendererDir): Promise<boolean> {
  let built: number;
  try {
    built = (await fs.stat(path.join(outDir, 'index.html'))).mtimeMs;
  } catch {
    return true;
  }
  const skip = (p: string) => /[\\/](node_modules|e2e|testdata|testvectors)([\\/]|$)/.test(p) || /\.spec\.ts$/.test(p);
  const sources = Math.max(
    await newestMtime(path.join(repoRoot, 'renderer', 'src'), skip),
    await newestMtime(path.join(repoRoot, 'shared'), skip),
    (await fs.stat(path.join(repoRoot, 'renderer', 'index.html')).catch(() => null))?.mtimeMs ?? 0,
    (await fs.stat(path.join(repoRoot, 'renderer', 'vite.config.ts')).catch(() => null))?.mtimeMs ?? 0,
  );
  return sources > built;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function ensureRendererBuilt(opts: { outDir?: string; force?: boolean; log?: (line: string) => void } = {}): Promise<string> {
  const outDir = opts.outDir ?? defaultRendererDir;
  if (!opts.force && !(await rendererIsStale(outDir))) return outDir;
  const lock = path.join(path.dirname(outDir), '.renderer-build.lock');
  await fs.mkdir(path.dirname(outDir), { recursive: true });
  for (let waited = 0; ; waited += 500) {
    try {
      await fs.mkdir(lock);
      break;
    } catch {
      // Someone else is building; a lock older than 5 minutes belongs to a dead process.
      const st = await fs.stat(lock).catch(() => null);
      if (st && Date.now() - st.mtimeMs > 5 * 60_000) await fs.rm(lock, { recursive: true, force: true });
      await sleep(500);
      if (!opts.force && !(await rendererIsStale(outDir)) && !(await fs.stat(lock).catch(() => null))) return outDir;
    }
  }
  try {
    if (!opts.force && !(await rendererIsStale(outDir))) return outDir;
    opts.log?.('building the renderer (vite)…');
    const { build } = await import('vite');
    // Build beside the live bundle and swap folders, so a server already serving it never sees a half-written one.
    const fresh = `${outDir}.build-${process.pid}`;
    const old = `${outDir}.old-${process.pid}`;
    try {
      await build({ configFile: path.join(repoRoot, 'renderer', 'vite.config.ts'), logLevel: 'error', build: { outDir: fresh, emptyOutDir: true } });
    } catch (e) {
      await fs.rm(fresh, { recursive: true, force: true });
      throw e;
    }
    await fs.rename(outDir, old).catch(() => undefined);
    await fs.rename(fresh, outDir);
    await fs.rm(old, { recursive: true, force: true });
    return outDir;
  } finally {
    await fs.rm(lock, { recursive: true, force: true });
  }
}
