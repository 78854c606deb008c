import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ServiceError } from '../../../shared/contract/rpc';

/**
 * espeak-ng compiled to WebAssembly (npm `espeak-ng`), run inside Node: no binary, no Python.
 * The package is espeak-ng's *command line* built with Emscripten: the 18 MB module (voice data embedded) is
 * compiled once per process here, and every run instantiates it afresh (~0.2–0.4 s), so callers batch their work.
 * Used by the aligner (align/espeakSynth.ts: audio) and the phonemizer (synthesis/espeakIpa.ts: IPA).
 */
type EspeakFs = { readFile(p: string, o?: { encoding: 'utf8' }): Uint8Array | string; writeFile(p: string, d: string): void };
type EspeakFactory = (module: Record<string, unknown>) => Promise<{ FS: EspeakFs }>;
let loaded: Promise<{ factory: EspeakFactory; wasm: WebAssembly.Module }> | null = null;

function load(): Promise<{ factory: EspeakFactory; wasm: WebAssembly.Module }> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const jsPath = require.resolve('espeak-ng');
    const wasmPath = path.join(path.dirname(jsPath), 'espeak-ng.wasm');
    const [mod, bytes] = await Promise.all([import(pathToFileURL(jsPath).href), fs.readFile(wasmPath)]);
    const wasm = await WebAssembly.compile(bytes);
    return { factory: (mod as { default: EspeakFactory }).default, wasm };
  })().catch((e) => {
    loaded = null;
    throw new ServiceError('espeak-unavailable', `espeak-ng (WebAssembly) could not be loaded: ${(e as Error).message}`);
  });
  return loaded;
}

/** Starts loading/compiling espeak-ng in the background; a load error is reported by the first real run. */
export function warmEspeakWasm(): void {
  load().catch(() => undefined);
}

export interface EspeakRun {
  /** The module's in-memory file system: read the outputs named in the arguments. */
  fs: EspeakFs;
  /** The command line's exit status (an unknown voice ends with 1, and the run still resolves). */
  status: number;
  /** What it printed to stderr. */
  errors: string[];
}

/**
 * One run of the espeak-ng command line with `args`, after writing `inputs` (path → text) into its file system.
 * A crash or a failed start is an `espeak-failed` ServiceError naming `what`; a non-zero status is left to the caller.
 */
export async function runEspeak(args: string[], inputs: Record<string, string>, what = 'espeak-ng'): Promise<EspeakRun> {
  const { factory, wasm } = await load();
  const errors: string[] = [];
  let status = 0;
  try {
    const instance = await factory({
      arguments: args,
      print: () => undefined,
      printErr: (s: string) => errors.push(s),
      // The generated code would set process.exitCode on a non-zero exit; keep our process's code ours.
      quit: (code: number, toThrow: unknown) => {
        status = code;
        throw toThrow;
      },
      preRun: [(m: { FS: EspeakFs }) => Object.entries(inputs).forEach(([p, d]) => m.FS.writeFile(p, d))],
      instantiateWasm(imports: WebAssembly.Imports, done: (i: WebAssembly.Instance) => void) {
        WebAssembly.instantiate(wasm, imports).then(done, (e) => errors.push(String(e)));
        return {};
      },
    });
    return { fs: instance.FS, status, errors };
  } catch (e) {
    throw new ServiceError('espeak-failed', `${what} failed: ${errors.join(' ') || (e as Error)?.message || String(e)}`);
  }
}
