import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ServiceError } from '../../../shared/contract/rpc';
import { phonemizeTexts, type EspeakIpaRunner, type PhonemizeOptions } from '../../../shared/text/phonemize';

/**
 * The Node side of shared/text/phonemize.ts: espeak-ng (npm `espeak-ng`, WebAssembly) run as its
 * command line with `--ipa`. The 18 MB module is compiled once per process; each run only instantiates
 * it (~0.2–0.4 s), so callers batch. Same loading as align/espeakSynth.ts (kept separate: that one
 * synthesizes audio, this one only reads phonemes).
 */
type EspeakModule = { FS: { readFile(p: string, o: { encoding: 'utf8' }): string } };
type EspeakFactory = (module: Record<string, unknown>) => Promise<EspeakModule>;
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

/** Starts loading/compiling espeak-ng in the background (a phoneme voice was loaded; ~2 s saved on its first sentence). */
export function warmEspeak(): void {
  load().catch(() => undefined); // the error is reported, clearly, by the first real run
}

/** `-l` well above any batch: every input line shorter than this ends a clause, so each gets its own output line. */
const CLAUSE_LINE_LENGTH = 1_000_000;

/** One espeak-ng run: `input` (one clause per line) → IPA, one line per clause. */
export const espeakIpa: EspeakIpaRunner = async (input, voice) => {
  if (!/^[a-z0-9-]+$/i.test(voice)) throw new ServiceError('bad-input', `not an espeak-ng voice name: ${JSON.stringify(voice)}`);
  const { factory, wasm } = await load();
  const errors: string[] = [];
  let status = 0;
  let instance: EspeakModule;
  try {
    instance = await factory({
      arguments: ['-q', '--ipa', '-l', String(CLAUSE_LINE_LENGTH), '-v', voice, '--phonout', '/tmp/out.txt', '-f', '/tmp/in.txt'],
      print: () => undefined,
      printErr: (s: string) => errors.push(s),
      // The generated code would set process.exitCode on a non-zero exit; keep our process's code ours.
      quit: (code: number, toThrow: unknown) => {
        status = code;
        throw toThrow;
      },
      preRun: [(m: { FS: { writeFile(p: string, d: string): void } }) => m.FS.writeFile('/tmp/in.txt', input)],
      instantiateWasm(imports: WebAssembly.Imports, done: (i: WebAssembly.Instance) => void) {
        WebAssembly.instantiate(wasm, imports).then(done, (e) => errors.push(String(e)));
        return {};
      },
    });
  } catch (e) {
    throw new ServiceError('espeak-failed', `espeak-ng failed (voice ${voice}): ${errors.join(' ') || (e as Error)?.message || String(e)}`);
  }
  let out = '';
  try {
    out = instance.FS.readFile('/tmp/out.txt', { encoding: 'utf8' });
  } catch {
    // no output file: handled below
  }
  // An unknown voice ends the run with status 1 and a message, but the promise still resolves.
  if (status !== 0 || (!out.trim() && /[a-z0-9]/i.test(input))) {
    const why = errors.filter((e) => !e.startsWith('program exited')).join(' ') || 'no output';
    throw new ServiceError('espeak-failed', `espeak-ng failed (voice "${voice}", status ${status}): ${why}`);
  }
  return out;
};

/** shared/text phonemizeTexts with the Node espeak-ng runner. */
export function phonemize(texts: string[], opts: Omit<PhonemizeOptions, 'espeak'> = {}): Promise<string[]> {
  return phonemizeTexts(texts, { ...opts, espeak: espeakIpa });
}

export async function textToPhonemesNode(text: string, opts: Omit<PhonemizeOptions, 'espeak'> = {}): Promise<string> {
  return (await phonemize([text], opts))[0]!;
}
