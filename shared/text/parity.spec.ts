// The shared test sentences (testdata/sentences.json, hand-checked; see testdata/build_sentences.py):
// the TypeScript frontend must reproduce every entry (the trainer reads its output: cleaned.csv).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodeText, englishCleaners, normalizeText, textToSequence } from './index';

interface Entry { rule: string; input: string; normalized: string; cleaned: string; ids: number[] }

const here = path.dirname(fileURLToPath(import.meta.url));
const entries: Entry[] = JSON.parse(readFileSync(path.join(here, 'testdata', 'sentences.json'), 'utf8'));
const dataDir = path.resolve(here, '..', '..', '..', 'shared', 'data');

describe('shared test sentences', () => {
  it('has at least 60 entries', () => expect(entries.length).toBeGreaterThanOrEqual(60));

  it.each(entries.map((e, i) => [`${i} ${e.rule}: ${JSON.stringify(e.input)}`, e] as const))('%s', (_name, e) => {
    expect(normalizeText(e.input)).toBe(e.normalized);
    expect(englishCleaners(e.input)).toBe(e.cleaned);
    expect(textToSequence(e.input)).toEqual(e.ids);
    // The trainer cleans and then encodes (which cleans again): cleaning must be idempotent.
    expect(englishCleaners(e.cleaned)).toBe(e.cleaned);
  });
});

describe.skipIf(!existsSync(dataDir))('LJSpeech transcripts (../shared/data)', () => {
  it("spells numbers as LJSpeech's human-normalized column does, with no unknown symbols", () => {
    let n = 0;
    for (const dir of readdirSync(dataDir)) {
      const meta = path.join(dataDir, dir, 'metadata.csv');
      if (!existsSync(meta)) continue;
      for (const line of readFileSync(meta, 'utf8').split('\n')) {
        if (!line) continue;
        const [id, text, normalized] = line.split('|');
        expect(englishCleaners(text), id).toBe(englishCleaners(normalized));
        expect(encodeText(text).unknown, id).toEqual([]);
        n++;
      }
    }
    expect(n).toBeGreaterThan(0);
  });
});
