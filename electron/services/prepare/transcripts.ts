import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ServiceError } from '../../../shared/contract/rpc';

/**
 * Transcripts that come with recordings: a sibling `<stem>.txt` / `<stem>.lab`, or a line of an
 * LJSpeech `metadata.csv`. Documented fix-ups (each reported as a warning naming the file):
 *  - not valid UTF-8 → decoded as Windows-1252 (a superset of Latin-1), the usual culprit;
 *    UTF-16 with a byte-order mark is decoded as such; a UTF-8 BOM is dropped;
 *  - `|` (the LJSpeech field separator) → replaced by a space;
 *  - control characters (NUL, BEL, ESC and whole terminal escape sequences, DEL, C1) → removed;
 *  - line breaks, tabs and runs of spaces → one space; Unicode normalized to NFC.
 * An empty transcript stays empty ("") and is flagged by QA (`empty-transcript`).
 * A file that is not text at all (an image, a WAV renamed .txt) is refused, naming it.
 */

/** Windows-1252 differs from Latin-1 in 0x80–0x9F (curly quotes, dashes, €…); Node's TextDecoder treats it as Latin-1. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b);
  return out;
}

export interface DecodedText {
  text: string;
  warnings: string[];
}

export function decodeTextBytes(bytes: Uint8Array, name: string): DecodedText {
  const decoded = decodeAnyText(bytes, name);
  if (looksBinary(decoded.text)) throw new ServiceError('bad-input', `${name} is not a text file (it holds binary data); a transcript must be UTF-8 text`);
  return decoded;
}

function decodeAnyText(bytes: Uint8Array, name: string): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), warnings: [] };
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), warnings: [] };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), warnings: [] };
  } catch {
    return {
      text: decodeWindows1252(bytes),
      warnings: [`${name}: not valid UTF-8; read as Windows-1252 (Latin-1). Check accented characters, or save the file as UTF-8.`],
    };
  }
}

/* eslint-disable no-control-regex -- finding control characters is what these expressions are for */
/** Control characters no transcript holds: C0 except tab and line/page breaks (whitespace, collapsed later), DEL, C1. */
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g;
/** Terminal escape sequences (CSI `ESC [ … m`, OSC `ESC ] … BEL`, two-character `ESC x`): removed whole, not just their ESC. */
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;

/**
 * Binary data decoded as text: file formats are full of NUL bytes (headers, lengths, silence) and random
 * bytes are about 11 % C0 controls, while text has none, or a stray few (a BEL, an escape sequence
 * pasted from a terminal), which cleanTranscript removes instead.
 */
function looksBinary(text: string): boolean {
  const nul = text.match(/\u0000/g)?.length ?? 0;
  const controls = text.match(CONTROL)?.length ?? 0;
  return (nul >= 2 && nul / text.length > 0.01) || (controls >= 16 && controls / text.length > 0.1);
}

const CONTROL_NAMES: Record<number, string> = { 0: 'NUL', 7: 'BEL', 8: 'BS', 0x1b: 'ESC', 0x7f: 'DEL' };

/** `text` without control characters, and a warning naming the kinds removed (none: null). */
export function stripControlCharacters(text: string, name: string): { text: string; warning: string | null } {
  const found = new Set<string>();
  for (const c of text.match(CONTROL) ?? []) found.add(CONTROL_NAMES[c.charCodeAt(0)] ?? `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  if (!found.size) return { text, warning: null };
  const clean = text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
  return { text: clean, warning: `${name}: control characters (${[...found].join(', ')}) are not text and were removed` };
}

/** One transcript line as stored in the manifest (raw text, with the fix-ups above). */
export function cleanTranscript(raw: string, name: string): DecodedText {
  const warnings: string[] = [];
  const stripped = stripControlCharacters(raw.normalize('NFC'), name);
  if (stripped.warning) warnings.push(stripped.warning);
  let text = stripped.text;
  if (text.includes('|')) {
    warnings.push(`${name}: "|" is the LJSpeech field separator and cannot appear in a transcript; replaced by a space.`);
    text = text.replace(/\|/g, ' ');
  }
  text = text.replace(/[\s\u00a0]+/g, ' ').trim();
  return { text, warnings };
}

export interface Transcript {
  text: string;
  /** Where it came from (shown in messages). */
  from: string;
  warnings: string[];
}

/** `<stem>.txt` or `<stem>.lab` next to the audio file (first that exists), cleaned. */
export async function readSidecarTranscript(audioPath: string): Promise<Transcript | null> {
  const dir = path.dirname(audioPath);
  const stem = path.basename(audioPath, path.extname(audioPath));
  for (const ext of ['.txt', '.lab', '.TXT', '.LAB']) {
    const p = path.join(dir, stem + ext);
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(p);
    } catch {
      continue;
    }
    const decoded = decodeTextBytes(bytes, path.basename(p));
    const cleaned = cleanTranscript(decoded.text, path.basename(p));
    return { text: cleaned.text, from: path.basename(p), warnings: [...decoded.warnings, ...cleaned.warnings] };
  }
  return null;
}
