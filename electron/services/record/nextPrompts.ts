import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { PromptBatch, PromptSetId } from '../../../shared/contract/record';
import { loadManifest } from '../projectStore';
import { QA_THRESHOLDS } from '../prepare/qa';
import { phonemize } from '../synthesis/espeakIpa';
import { type Candidate, type Units, pickPrompts, unionUnits, unitsOf } from './promptCoverage';
import { builtinPromptsPath, loadPromptSet } from './promptSets';
import { takeProblems } from './takeQa';

/**
 * `record.prompts`: the prompt set, less what the project already has a clip of, ordered by the greedy
 * coverage picker against the phonemes of the project's transcripts; the coverage so far and the
 * progress toward the seed's 30 minutes. espeak-ng takes ~40 ms a sentence here, so phonemes are
 * cached per process, and the built-in set's come from its sidecar (resources/prompts/*.ipa.json).
 */
export const VOICE = 'en-us';

const ipaCache = new Map<string, string>();
const MAX_CACHE = 50_000;
let sidecarLoaded: string | null = null;

export const PromptPhonemes = z.object({ promptsSha256: z.string(), voice: z.string(), ipa: z.record(z.string(), z.string()) });

export function sidecarPath(): string {
  return builtinPromptsPath().replace(/\.txt$/, '.ipa.json');
}

async function loadSidecar(promptsSha256: string): Promise<void> {
  if (sidecarLoaded === promptsSha256) return;
  sidecarLoaded = promptsSha256;
  try {
    const s = PromptPhonemes.parse(JSON.parse(await fs.readFile(sidecarPath(), 'utf8')));
    // A sidecar made from other prompts (the file was edited) is ignored: they are phonemized afresh.
    if (s.promptsSha256 !== promptsSha256 || s.voice !== VOICE) return;
    for (const [text, ipa] of Object.entries(s.ipa)) ipaCache.set(text, ipa);
  } catch {
    // none or unreadable: phonemize at run time
  }
}

export async function phonemesOf(texts: string[]): Promise<Map<string, string>> {
  const missing = [...new Set(texts.filter((t) => !ipaCache.has(t)))];
  if (missing.length) {
    const ipa = await phonemize(missing, { voice: VOICE });
    if (ipaCache.size + missing.length > MAX_CACHE) ipaCache.clear();
    missing.forEach((t, i) => ipaCache.set(t, ipa[i]!));
  }
  return new Map(texts.map((t) => [t, ipaCache.get(t) ?? '']));
}

const key = (t: string) => t.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

export async function nextPrompts(projectDir: string, setId: PromptSetId, count: number): Promise<PromptBatch> {
  const [m, set] = await Promise.all([loadManifest(projectDir), loadPromptSet(projectDir, setId)]);
  if (setId === 'builtin') await loadSidecar(set.sha256);
  const kept = m.clips.filter((c) => c.status !== 'rejected' && c.text && c.text.trim());
  const have = new Set(kept.map((c) => key(c.text!)));
  const todo = set.lines.filter((l) => !have.has(key(l.text)));
  const projectTexts = kept.map((c) => c.text!);
  const ipa = await phonemesOf([...set.lines.map((l) => l.text), ...projectTexts]);
  const seen: Units = unionUnits(projectTexts.map((t) => unitsOf(ipa.get(t)!)));
  const candidates: Candidate[] = todo.map((l) => ({ line: l.line, text: l.text, units: unitsOf(ipa.get(l.text)!) }));
  const possible = unionUnits([seen, ...set.lines.map((l) => unitsOf(ipa.get(l.text)!))]);
  // Takes recorded here that QA flagged: offered again first, whichever session recorded them.
  const lineOf = new Map(set.lines.map((l) => [key(l.text), l.line]));
  const retakes = kept
    .filter((c) => c.origin === 'record' && c.qa && lineOf.has(key(c.text!)))
    .map((c) => ({ line: lineOf.get(key(c.text!))!, text: c.text!, clip: c, problems: takeProblems(c.qa!, m.settings) }))
    .filter((r) => r.problems.length > 0);
  const usableSeconds = kept.reduce((s, c) => s + c.durationSeconds, 0);
  return {
    set: setId,
    source: set.source,
    total: set.lines.length,
    recorded: set.lines.length - todo.length,
    prompts: pickPrompts(candidates, seen, count),
    retakes,
    coverage: { phonemes: seen.phonemes.size, diphones: seen.diphones.size, phonemesPossible: possible.phonemes.size, diphonesPossible: possible.diphones.size },
    usableSeconds: +usableSeconds.toFixed(2),
    goalSeconds: QA_THRESHOLDS.guidanceSeconds,
  };
}

/** Writes the built-in set's phoneme sidecar (run after editing resources/prompts/en-public-domain.txt). */
export async function writePromptSidecar(): Promise<string> {
  const set = await loadPromptSet('', 'builtin');
  const texts = set.lines.map((l) => l.text);
  const ipa = await phonemize(texts, { voice: VOICE });
  const out = { promptsSha256: set.sha256, voice: VOICE, ipa: Object.fromEntries(texts.map((t, i) => [t, ipa[i]!])) };
  const file = sidecarPath();
  await fs.writeFile(file, JSON.stringify(out, null, 1) + '\n');
  return path.relative(process.cwd(), file);
}
