import type { VoiceInfo } from '../../../../shared/contract/synthesis';

/**
 * The "Add a voice" dialog's rules (AddVoiceDialog.tsx): where a voice made from checkpoint files goes, and the
 * trainer's refusals in a person's words. The files themselves are checked by the service and the trainer
 * (services/training/publishedCheckpoints.ts); nothing here guesses what a file holds.
 */

/** A voice name as a folder name: letters, digits, `-` and `_` (others become `-`), at most 60 characters. */
export function voiceFolderName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .toLowerCase();
  return slug || 'voice';
}

function join(dir: string, name: string): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return dir.endsWith(sep) ? dir + name : `${dir}${sep}${name}`;
}

/**
 * The folder for a new voice in the app's voices folder: never one a listed voice already uses (the trainer
 * replaces a bundle it writes over, and adding a voice must not replace another), `lj`, then `lj-2`, `lj-3`, ….
 */
export function newVoiceDir(userVoicesDir: string, name: string, voices: Pick<VoiceInfo, 'dir'>[]): string {
  const taken = new Set(voices.map((v) => v.dir.replace(/[\\/]+$/, '')));
  const base = voiceFolderName(name);
  for (let i = 1; ; i++) {
    const dir = join(userVoicesDir, i === 1 ? base : `${base}-${i}`);
    if (!taken.has(dir)) return dir;
  }
}

/** A voice the app may change (add a WaveGlow to): the user's and a project's, not the ones shipped with the app. */
export const canAddWaveGlow = (v: Pick<VoiceInfo, 'source'> | null): boolean => v !== null && v.source !== 'embedded';

const FLAG_WORDS: [RegExp, string][] = [
  [/--tacotron2 /g, 'Tacotron-2 file '],
  [/--waveglow /g, 'WaveGlow file '],
];

/**
 * A refusal of the service or the trainer as the dialog shows it: the CLI's flags named as the dialog's fields,
 * the internals a person cannot act on (the unpickler's or the zip reader's own words, tensor names) left out, and
 * advice where there is one. Messages of the access policy (web mode) are kept whole: they name the data folder.
 */
export function checkpointMessage(message: string): string {
  let m = message.trim();
  for (const [rx, words] of FLAG_WORDS) m = m.replace(rx, words);
  // "…: not a readable checkpoint, the file may be damaged or incomplete (PytorchStreamReader failed …)"
  if (/not a readable checkpoint/.test(m)) return `${m.replace(/(damaged or incomplete)\s*\(.*$/s, '$1')}. Download it again, or choose another file.`;
  // "…: not a Tacotron-2 checkpoint (no embedding or decoder projection among its tensors)"
  m = m.replace(/ \((?:no [^()]*among its tensors)\)/, '');
  if (/: not a Tacotron-2 checkpoint$/.test(m)) return `${m}. Is it the WaveGlow? The Tacotron-2 file is NVIDIA's tacotron2_statedict.pt.`;
  if (/: not a WaveGlow checkpoint$/.test(m)) return `${m}. Is it the Tacotron-2? The WaveGlow file is NVIDIA's waveglow_256channels_universal_v5.pt.`;
  return m;
}
