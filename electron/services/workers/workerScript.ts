import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Where a worker thread's script is, for code that runs both from TypeScript sources (CLI via
 * tsx, vitest) and from a bundle: electron-vite's (`out/main`, the packaged app) or the compiled
 * CLI and web mode's (`out/cli`, build/buildCli.mjs).
 *
 * Order: an explicit override (environment variable), the compiled entry written next to the
 * bundle (`out/main/<built>`, `out/cli/<built>`; one folder up when the caller was emitted into a
 * chunk folder), then the source bootstrap that registers tsx (dev only: a bundle has no
 * sources beside it). Null when none exists, so callers can fall back or say what is missing.
 * Callers pass their own `import.meta.url` folder; build/buildCli.mjs leaves that URL the
 * bundle's in any module that calls this function (other modules get their source file's).
 */
export interface WorkerScriptSpec {
  /** Folder of the calling module (`path.dirname(fileURLToPath(import.meta.url))`). */
  here: string;
  /** File name of the compiled entry (an electron-vite main input), e.g. `synthesisWorker.js`. */
  built: string;
  /** The tsx bootstrap next to the sources, relative to `here`, e.g. `workerEntry.mjs`. */
  dev: string;
  /** Environment variable that names a script to use instead. */
  env?: string;
}

export type WorkerScript = { path: string; from: 'env' | 'built' | 'dev' };

export function locateWorkerScript(spec: WorkerScriptSpec, env: NodeJS.ProcessEnv = process.env, exists: (p: string) => boolean = existsSync): WorkerScript | null {
  const override = spec.env ? env[spec.env] : undefined;
  if (override) return { path: path.resolve(override), from: 'env' };
  for (const dir of [spec.here, path.dirname(spec.here)]) {
    const built = path.join(dir, spec.built);
    if (exists(built)) return { path: built, from: 'built' };
  }
  const dev = path.join(spec.here, spec.dev);
  return exists(dev) ? { path: dev, from: 'dev' } : null;
}
