import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ServiceError } from '../../../shared/contract/rpc';
import type { PromptSetId } from '../../../shared/contract/record';
import { writeFileAtomic } from '../atomicWrite';
import { cleanTranscript } from '../prepare/transcripts';
import { shellConfig } from '../shell/shellConfig';

/**
 * Prompt sets: the built-in public-domain set (resources/prompts/) and the person's own file, kept in
 * the project (`record/prompts.json`, atomic) so it is there after a restart and on another machine.
 * A prompt file is UTF-8 text, one prompt per line; a bad encoding or an empty file is refused with one
 * line saying so, empty lines are skipped (and counted in a warning).
 */
export const BUILTIN_PROMPTS = 'en-public-domain.txt';
export const PROJECT_PROMPTS = 'record/prompts.json';
/** A prompt longer than this is a paragraph, not something to read in one breath. */
export const MAX_PROMPT_CHARS = 400;

export interface PromptSet {
  id: PromptSetId;
  source: string;
  /** 1-based line numbers in the file they came from. */
  lines: { line: number; text: string }[];
  /** The set's content hash (the phoneme sidecar must match it). */
  sha256: string;
}

const ProjectPromptFile = z.object({ name: z.string(), lines: z.array(z.object({ line: z.number().int().positive(), text: z.string() })) });

export function builtinPromptsPath(): string {
  return path.join(shellConfig().resourcesDir, 'prompts', BUILTIN_PROMPTS);
}

/** Bytes of a prompt file → its prompts, or a one-line error naming the problem. */
export function parsePromptFile(bytes: Uint8Array, name: string): { lines: { line: number; text: string }[]; warnings: string[] } {
  if (bytes.length === 0) throw new ServiceError('bad-input', `${name} is empty: a prompt file has one prompt per line.`);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new ServiceError('bad-input', `${name} is UTF-16 text; save it as UTF-8 (one prompt per line) and load it again.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, at).reduce((n, b) => n + (b === 0x0a ? 1 : 0), 1);
    throw new ServiceError('bad-input', `${name} is not UTF-8 text (an invalid byte on line ${line}); save it as UTF-8 and load it again.`);
  }
  if (text.includes('\0')) throw new ServiceError('bad-input', `${name} is not a text file (it contains NUL bytes).`);
  const warnings: string[] = [];
  const lines: { line: number; text: string }[] = [];
  let empty = 0;
  let long = 0;
  let noLetters = 0;
  text.split(/\r\n|\n|\r/).forEach((raw, i) => {
    const cleaned = cleanTranscript(raw, `line ${i + 1}`);
    if (!cleaned.text) return void empty++;
    if (!/\p{L}/u.test(cleaned.text)) return void noLetters++;
    if (cleaned.text.length > MAX_PROMPT_CHARS) return void long++;
    warnings.push(...cleaned.warnings);
    lines.push({ line: i + 1, text: cleaned.text });
  });
  // A trailing newline is not an empty line a person typed.
  if (text.endsWith('\n') || text.endsWith('\r')) empty--;
  if (!lines.length) throw new ServiceError('bad-input', `${name} has no prompts: every line is empty or has no letters.`);
  if (empty > 0) warnings.push(`${empty} empty line${empty === 1 ? '' : 's'} skipped.`);
  if (noLetters) warnings.push(`${noLetters} line${noLetters === 1 ? '' : 's'} without letters skipped.`);
  if (long) warnings.push(`${long} line${long === 1 ? '' : 's'} over ${MAX_PROMPT_CHARS} characters skipped (split them into sentences).`);
  return { lines, warnings };
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const d = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (!n || i + n > bytes.length) return i;
    try {
      d.decode(bytes.subarray(i, i + n));
    } catch {
      return i;
    }
    i += n;
  }
  return bytes.length;
}

const sha = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');

export async function loadPromptSet(projectDir: string, id: PromptSetId): Promise<PromptSet> {
  if (id === 'builtin') {
    const file = builtinPromptsPath();
    const bytes = new Uint8Array(await fs.readFile(file));
    const { lines } = parsePromptFile(bytes, BUILTIN_PROMPTS);
    return { id, source: 'Built-in: public-domain sentences (books before 1929)', lines, sha256: sha(bytes) };
  }
  let raw: string;
  try {
    raw = await fs.readFile(path.join(projectDir, PROJECT_PROMPTS), 'utf8');
  } catch {
    throw new ServiceError('not-found', 'This project has no prompt file of its own yet: load one first.');
  }
  const parsed = ProjectPromptFile.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new ServiceError('bad-input', `${PROJECT_PROMPTS} in the project is damaged; load your prompt file again.`);
  return { id, source: `Your file ${parsed.data.name}`, lines: parsed.data.lines, sha256: sha(raw) };
}

/** Keeps the person's prompt file in the project (replacing an earlier one). */
export async function saveProjectPrompts(projectDir: string, name: string, bytes: Uint8Array): Promise<{ prompts: number; warnings: string[] }> {
  const base = path.basename(name.replace(/\\/g, '/'));
  const { lines, warnings } = parsePromptFile(bytes, base);
  await writeFileAtomic(path.join(projectDir, PROJECT_PROMPTS), JSON.stringify({ name: base, lines }, null, 1) + '\n');
  return { prompts: lines.length, warnings };
}
