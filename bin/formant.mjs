#!/usr/bin/env node
// The `formant` CLI. The sources are TypeScript; tsx compiles them on the fly so the
// CLI runs straight from a checkout (`npx formant …`) without a build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

register();
const here = path.dirname(fileURLToPath(import.meta.url));
const { main } = await import(pathToFileURL(path.join(here, '..', 'electron', 'cli', 'formant.ts')).href);
process.exitCode = await main(process.argv);
