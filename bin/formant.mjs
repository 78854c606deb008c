#!/usr/bin/env node
// The `formant` CLI. It runs the compiled JavaScript in out/cli (build/buildCli.mjs: setup, `npm run build`,
// `npm run build:cli`) while that build matches the sources (compiledBuild.mjs), and otherwise the TypeScript
// sources through tsx, so a development checkout always runs what its sources say, e.g. right after an edit
// or `git pull`. FORMANT_CLI=sources forces the sources; FORMANT_CLI_DIR names another compiled build.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compiledCliDir, repoRoot, staleReason } from './compiledBuild.mjs';

const dir = compiledCliDir();
const stale = process.env.FORMANT_CLI === 'sources' ? 'FORMANT_CLI=sources' : staleReason(dir);
if (stale === null) {
  const { main } = await import(pathToFileURL(path.join(dir, 'formant.js')).href);
  const commandIndex = JSON.parse(readFileSync(path.join(dir, 'commands.json'), 'utf8'));
  process.exitCode = await main(process.argv, { commandIndex });
} else {
  // Someone at a terminal learns why this start is slow; scripts and pipes see no extra output.
  if (stale !== 'FORMANT_CLI=sources' && stale !== 'no compiled build' && process.stderr.isTTY) {
    process.stderr.write(`formant: running the sources through tsx (${stale} since the last build; \`npm run build:cli\` makes it start fast again)\n`);
  }
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import(pathToFileURL(path.join(repoRoot, 'electron', 'cli', 'formant.ts')).href);
  process.exitCode = await main(process.argv);
}
