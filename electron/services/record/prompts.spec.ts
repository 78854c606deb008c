import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, updateManifest } from '../projectStore';
import { phonemize } from '../synthesis/espeakIpa';
import { PromptPhonemes, nextPrompts, sidecarPath } from './nextPrompts';
import { pickPrompts, unitsOf, type Candidate } from './promptCoverage';
import { loadPromptSet, parsePromptFile, saveProjectPrompts } from './promptSets';

const cand = (line: number, text: string, ipa: string): Candidate => ({ line, text, units: unitsOf(ipa) });

describe('coverage picker', () => {
  it('prefers the prompt with unseen diphones over a longer one made of pairs already recorded', () => {
    const seen = unitsOf('pataka'); // p a t k: pa at ta ak ka
    const picks = pickPrompts([cand(1, 'old pairs, many of them', 'patakapatakatapa'), cand(2, 'new pairs', 'kapta')], seen, 2);
    expect(picks.map((p) => p.line)).toEqual([2, 1]);
    expect(picks[0]).toMatchObject({ newPhonemes: 0, newDiphones: 2 }); // pt, ap
    // After the first pick its units count as seen: the second adds nothing new.
    expect(picks[1]).toMatchObject({ newPhonemes: 0, newDiphones: 0 });
  });

  it('an unseen phoneme outweighs a few unseen diphones; stress and word breaks are not phonemes', () => {
    const seen = unitsOf('ab ba');
    const picks = pickPrompts([cand(1, 'x', 'abbaab aba bab'), cand(2, 'y', 'aʒa'), cand(3, 'z', 'ˈab, ˌba')], seen, 1);
    expect(picks[0]!.line).toBe(2);
    expect([...unitsOf('tʃˈiːz, tʃiːz').phonemes].sort()).toEqual(['iː', 'tʃ'.normalize('NFD')[0]!, 'ʃ', 'z'].sort());
    expect(unitsOf('ab, ba').diphones.has('b_b')).toBe(false); // a comma ends the phrase
  });
});

describe('prompt files', () => {
  it('refuses an empty file, UTF-16, Windows-1252 and binary, each in one line; skips empty lines with a count', () => {
    expect(() => parsePromptFile(new Uint8Array(), 'mine.txt')).toThrow('mine.txt is empty: a prompt file has one prompt per line.');
    expect(() => parsePromptFile(new Uint8Array([0xff, 0xfe, 0x41, 0]), 'mine.txt')).toThrow(/UTF-16 text; save it as UTF-8/);
    expect(() => parsePromptFile(new Uint8Array([...Buffer.from('First line\nCaf'), 0xe9, 0x0a]), 'mine.txt')).toThrow('mine.txt is not UTF-8 text (an invalid byte on line 2); save it as UTF-8 and load it again.');
    expect(() => parsePromptFile(new TextEncoder().encode('\n\n  \n'), 'mine.txt')).toThrow(/has no prompts/);
    const r = parsePromptFile(new TextEncoder().encode('\uFEFFOne prompt here.\n\nTwo | prompts here.\r\n...\n'), 'mine.txt');
    expect(r.lines).toEqual([
      { line: 1, text: 'One prompt here.' },
      { line: 3, text: 'Two prompts here.' },
    ]);
    expect(r.warnings.join(' ')).toMatch(/1 empty line skipped\..*1 line without letters skipped/);
  });

  it('the built-in set: 5–20 words a prompt, no duplicates, and its phoneme sidecar is up to date', async () => {
    const set = await loadPromptSet('', 'builtin');
    expect(set.lines.length).toBeGreaterThanOrEqual(100);
    for (const l of set.lines) expect(l.text.split(/\s+/).length, l.text).toBeGreaterThanOrEqual(5);
    for (const l of set.lines) expect(l.text.split(/\s+/).length, l.text).toBeLessThanOrEqual(20);
    expect(new Set(set.lines.map((l) => l.text)).size).toBe(set.lines.length);
    const side = PromptPhonemes.parse(JSON.parse(await fs.readFile(sidecarPath(), 'utf8')));
    expect(side.promptsSha256, 'run: npx tsx electron/services/record/buildPromptPhonemes.ts').toBe(set.sha256);
    const sample = [set.lines[0]!.text, set.lines[100]!.text];
    expect(await phonemize(sample, { voice: 'en-us' })).toEqual(sample.map((t) => side.ipa[t]));
  }, 60_000);
});

describe('record.prompts on a project', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-prompts-'));
    await createProject(dir, { name: 'p' });
  });
  afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

  it('leaves out what is recorded, and the coverage grows with the project', async () => {
    const first = await nextPrompts(dir, 'builtin', 5);
    expect(first.prompts).toHaveLength(5);
    expect(first.coverage.phonemes).toBe(0);
    expect(first.recorded).toBe(0);
    // Greedy: each pick's gain is no larger than the one before.
    const gains = first.prompts.map((p) => 4 * p.newPhonemes + p.newDiphones);
    expect(gains).toEqual([...gains].sort((a, b) => b - a));
    const now = new Date().toISOString();
    await updateManifest(dir, (m) => {
      m.sources.push({ id: 's', originalPath: '/x.wav', storedPath: 'sources/s.wav', sha256: 'a'.repeat(64), bytes: 1, importedAt: now, durationSeconds: 5, sampleRate: 22050, channels: 1, codec: 'pcm_s16le', status: 'ok' });
      m.clips.push({ id: 'a', sourceId: 's', sourceStart: 0, sourceEnd: 1, wav: 'wavs/a.wav', durationSeconds: 4, text: first.prompts[0]!.text, status: 'transcribed', origin: 'record', createdAt: now, updatedAt: now });
    });
    const second = await nextPrompts(dir, 'builtin', 5);
    expect(second.recorded).toBe(1);
    expect(second.prompts.map((p) => p.text)).not.toContain(first.prompts[0]!.text);
    expect(second.coverage.diphones).toBe(first.prompts[0]!.newDiphones);
    expect(second.coverage.phonemes).toBe(first.prompts[0]!.newPhonemes);
    expect(second.usableSeconds).toBe(4);
  }, 60_000);

  it('offers a flagged take of an earlier session again, with its flags in words', async () => {
    const b = await nextPrompts(dir, 'builtin', 1);
    const now = new Date().toISOString();
    const qa = { durationSeconds: 3, peakDbfs: 0, clippingRatio: 0.01, rmsDbfs: -20, snrDb: 40, leadingSilenceSeconds: 0.6, trailingSilenceSeconds: 0.6, charsPerSecond: 14, flags: ['clipping' as const] };
    await updateManifest(dir, (m) => {
      m.clips.push({ id: 'bad', sourceId: 's', sourceStart: 0, sourceEnd: 1, wav: 'wavs/bad.wav', durationSeconds: 3, text: b.prompts[0]!.text, status: 'transcribed', origin: 'record', qa, createdAt: now, updatedAt: now });
    });
    const again = await nextPrompts(dir, 'builtin', 3);
    expect(again.retakes.map((r) => [r.text, r.clip.id])).toEqual([[b.prompts[0]!.text, 'bad']]);
    expect(again.retakes[0]!.problems[0]).toMatch(/^Too loud/);
    expect(again.prompts.map((p) => p.text)).not.toContain(b.prompts[0]!.text);
  }, 60_000);

  it("uses the person's own prompt file once loaded", async () => {
    await expect(nextPrompts(dir, 'project', 3)).rejects.toThrow(/no prompt file of its own yet/);
    const r = await saveProjectPrompts(dir, 'C:\\Users\\me\\my prompts.txt', new TextEncoder().encode('The zebra sings.\nA judge is here today.\n'));
    expect(r).toEqual({ prompts: 2, warnings: [] });
    const b = await nextPrompts(dir, 'project', 3);
    expect(b.source).toBe('Your file my prompts.txt');
    expect(b.prompts.map((p) => p.line).sort()).toEqual([1, 2]);
  }, 60_000);
});
