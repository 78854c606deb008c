#!/usr/bin/env node
// The `formant` CLI. It runs the compiled JavaScript in out/cli (build/buildCli.mjs: setup, `npm run build`,
// `npm run build:cli`) when that build is current, and otherwise the TypeScript sources through tsx, so a
// development checkout always runs what its sources say: out/cli/build-stamp.json lists every source file
// of the build with its mtime, size and hash, and one that changed since (an edit, `git pull`) sends this
// start to the sources. FORMANT_CLI=sources forces the sources.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const compiledDir = path.join(root, 'out', 'cli');

/** Why the compiled build cannot be used (a short phrase), or null when it is current. About 1 ms for ~150 files. */
function staleReason() {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(path.join(compiledDir, 'build-stamp.json'), 'utf8'));
  } catch {
    return 'no compiled build';
  }
  for (const [rel, built] of Object.entries(stamp.sources)) {
    const file = path.join(root, rel);
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st) return `${rel} is gone`;
    if (st.mtimeMs === built.mtimeMs && st.size === built.size) continue;
    // touched (a checkout, a copy) but maybe the same text: only then is the file read
    if (st.size !== built.size || process.getBuiltinModule('node:crypto').createHash('sha1').update(readFileSync(file)).digest('hex') !== built.sha1) return `${rel} changed`;
  }
  return null;
}

const stale = process.env.FORMANT_CLI === 'sources' ? 'FORMANT_CLI=sources' : staleReason();
if (stale === null) {
  const { main } = await import(pathToFileURL(path.join(compiledDir, 'formant.js')).href);
  const commandIndex = JSON.parse(readFileSync(path.join(compiledDir, 'commands.json'), 'utf8'));
  process.exitCode = await main(process.argv, { commandIndex });
} else {
  // Someone at a terminal learns why this start is slow; scripts and pipes see no extra output.
  if (stale !== 'FORMANT_CLI=sources' && stale !== 'no compiled build' && process.stderr.isTTY) {
    process.stderr.write(`formant: running the sources through tsx (${stale} since the last build; \`npm run build:cli\` makes it start fast again)\n`);
  }
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import(pathToFileURL(path.join(root, 'electron', 'cli', 'formant.ts')).href);
  process.exitCode = await main(process.argv);
}
