// Whether the compiled CLI in out/cli (build/buildCli.mjs) still matches the sources it was built from.
// out/cli/build-stamp.json lists each source file with its mtime, size and sha1: a file whose mtime and size
// are as built is taken as unchanged (a stat, about 1 ms for all ~150 files); a touched one is read and
// hashed, so a checkout that rewrote the same text keeps the build, and an edit or `git pull` does not.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** out/cli, or $FORMANT_CLI_DIR. */
export function compiledCliDir(env = process.env) {
  return env.FORMANT_CLI_DIR ? path.resolve(env.FORMANT_CLI_DIR) : path.join(repoRoot, 'out', 'cli');
}

/** Why the build in `dir` cannot be used, as a short phrase ("electron/cli/formant.ts changed"), or null when it is current. */
export function staleReason(dir = compiledCliDir()) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(path.join(dir, 'build-stamp.json'), 'utf8'));
  } catch {
    return 'no compiled build';
  }
  for (const [rel, built] of Object.entries(stamp.sources)) {
    const file = path.resolve(repoRoot, rel);
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st) return `${rel} is gone`;
    if (st.mtimeMs === built.mtimeMs && st.size === built.size) continue;
    if (st.size !== built.size || process.getBuiltinModule('node:crypto').createHash('sha1').update(readFileSync(file)).digest('hex') !== built.sha1) return `${rel} changed`;
  }
  return null;
}
