import { ServiceError } from '../../../shared/contract/rpc';
import { phonemizeTexts, type EspeakIpaRunner, type PhonemizeOptions } from '../../../shared/text/phonemize';
import { runEspeak, warmEspeakWasm } from '../espeak/espeakWasm';

/**
 * The Node side of shared/text/phonemize.ts: espeak-ng (npm `espeak-ng`, WebAssembly) run as its
 * command line with `--ipa` (espeak/espeakWasm.ts: compiled once per process, each run ~0.2–0.4 s, so
 * callers batch).
 */

/** Starts loading/compiling espeak-ng in the background (a phoneme voice was loaded; ~2 s saved on its first sentence). */
export function warmEspeak(): void {
  warmEspeakWasm();
}

/** `-l` well above any batch: every input line shorter than this ends a clause, so each gets its own output line. */
const CLAUSE_LINE_LENGTH = 1_000_000;

/** One espeak-ng run: `input` (one clause per line) → IPA, one line per clause. */
export const espeakIpa: EspeakIpaRunner = async (input, voice) => {
  if (!/^[a-z0-9-]+$/i.test(voice)) throw new ServiceError('bad-input', `not an espeak-ng voice name: ${JSON.stringify(voice)}`);
  const args = ['-q', '--ipa', '-l', String(CLAUSE_LINE_LENGTH), '-v', voice, '--phonout', '/tmp/out.txt', '-f', '/tmp/in.txt'];
  const { fs, status, errors } = await runEspeak(args, { '/tmp/in.txt': input }, `espeak-ng (voice ${voice})`);
  let out = '';
  try {
    out = fs.readFile('/tmp/out.txt', { encoding: 'utf8' }) as string;
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
