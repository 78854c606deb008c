import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Transcripts that come with recordings: a sibling `<stem>.txt` / `<stem>.lab`, or a line of an
 * LJSpeech `metadata.csv`. Documented fix-ups (each reported as a warning naming the file):
 *  - not valid UTF-8 → decoded as Windows-1252 (a superset of Latin-1), the usual culprit;
 *    UTF-16 with a byte-order mark is decoded as such; a UTF-8 BOM is dropped;
 *  - `|` (the LJSpeech field separator) → replaced by a space;
 *  - line breaks, tabs and runs of spaces → one space; Unicode normalized to NFC.
 * An empty transcript stays empty ("") and is flagged by QA (`empty-transcript`).
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

/** One transcript line as stored in the manifest (raw text, with the fix-ups above). */
export function cleanTranscript(raw: string, name: string): DecodedText {
  const warnings: string[] = [];
  let text = raw.normalize('NFC');
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
