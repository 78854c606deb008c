// The phonemizer with the real espeak-ng (npm WASM, through the Node runner) and with scripted runners.
import { describe, expect, it } from 'vitest';
import { phonemize } from '../../electron/services/synthesis/espeakIpa';
import { ServiceError } from '../contract/rpc';
import { PHONEME_SYMBOL_TABLE, phonemizeTexts, splitAtPunctuation, textToPhonemes, type EspeakIpaRunner } from './phonemize';
import sentences from './testdata/sentences.json';

const inTable = new Set(PHONEME_SYMBOL_TABLE.symbols);

// Expectations made once with espeak-ng 1.0.2 (npm) en-us and checked by ear/eye against the words.
const KNOWN: [string, string][] = [
  [
    'Printing, in the only sense with which we are at present concerned,',
    'pɹˈɪntɪŋ, ɪnðɪ ˈoʊnli sˈɛns wɪð wˌɪtʃ wiː ɑːɹ æt pɹˈɛzənt kənsˈɜːnd,',
  ],
  ['Hello world. How are you?', 'həlˈoʊ wˈɜːld. hˈaʊ ɑːɹ juː?'],
  ['Dr. Smith paid $5 -- for (the) boys\' toys; don\'t!', "dˈɑːktɚ smˈɪθ pˈeɪd fˈaɪv dˈɑːlɚz -- fˈɔːɹ (ðˈə) bˈɔɪz' tˈɔɪz; dˈoʊnt!"],
  ["forty-five well-known 'quoted' words", "fˈɔːɹɾi-fˈaɪv wˈɛl-nˈoʊn 'kwˈoʊɾᵻd' wˈɜːdz"],
];

describe('splitAtPunctuation', () => {
  it('cuts at marks, keeps them with single spaces', () => {
    expect(splitAtPunctuation('printing, in the only sense')).toEqual({ chunks: ['printing', 'in the only sense'], separators: ['', ', ', ''] });
    expect(splitAtPunctuation('(a  --  b) c.')).toEqual({ chunks: ['a', 'b', 'c'], separators: ['(', ' -- ', ') ', '.'] });
  });
  it("keeps apostrophes inside words, treats the others as marks", () => {
    expect(splitAtPunctuation("don't 'quote' boys'")).toEqual({ chunks: ["don't", 'quote', 'boys'], separators: ['', " '", "' ", "'"] });
  });
  it('text without words has no chunks', () => {
    expect(splitAtPunctuation('...')).toEqual({ chunks: [], separators: ['...'] });
    expect(splitAtPunctuation('')).toEqual({ chunks: [], separators: [''] });
  });
});

describe('phonemizeTexts (espeak-ng WASM)', () => {
  it('known sentences → IPA, punctuation kept, numbers and abbreviations normalized first', async () => {
    const got = await phonemize(KNOWN.map(([t]) => t));
    expect(got).toEqual(KNOWN.map(([, ipa]) => ipa));
    expect(got[2]).not.toMatch(/[0-9$]/);
  });

  it('a batch gives the same as one call per text, and is deterministic', async () => {
    const texts = ['The quick brown fox.', 'A', 'In 1984, Mr. Jones paid $3.50 for 12 eggs!', 'the', 'Read it; then read it again?'];
    const batch = await phonemize(texts);
    const singles: string[] = [];
    for (const t of texts) singles.push((await phonemize([t]))[0]!);
    expect(batch).toEqual(singles);
    expect(await phonemize(texts)).toEqual(batch);
  }, 60_000);

  it('every codepoint of the output is in phonemeSymbols.json (the shared test sentences)', async () => {
    const texts = (sentences as { input: string }[]).map((s) => s.input);
    const got = await phonemize(texts, { maxBatchChars: 1500 });
    expect(got).toHaveLength(texts.length);
    for (const p of got) {
      for (const c of p) expect(inTable.has(c), `U+${c.codePointAt(0)!.toString(16)} in ${p}`).toBe(true);
      expect(p).not.toMatch(/ {2}|^ | $|\n/);
    }
  }, 60_000);

  it('an unknown espeak voice is a clear error', async () => {
    await expect(phonemize(['hello'], { voice: 'xx-nope' })).rejects.toMatchObject({ code: 'espeak-failed', message: /voice "xx-nope".*does not exist/ });
  });
});

describe('phonemizeTexts (scripted runner)', () => {
  /** Gives "<chunk>" reversed per line, like espeak would give one line per clause; records each run. */
  function scripted(map: (line: string) => string = (l) => [...l].reverse().join('')) {
    const runs: string[] = [];
    const run: EspeakIpaRunner = async (input) => {
      runs.push(input);
      return input.split('\n').slice(0, -1).map(map).join('\n') + '\n';
    };
    return { run, runs };
  }

  it('one run for many texts; progress per batch; empty text gives ""', async () => {
    const { run, runs } = scripted();
    const progress: number[] = [];
    const got = await phonemizeTexts(['ab, kd.', '', 'ef'], { espeak: run, onProgress: (d) => progress.push(d) });
    expect(got).toEqual(['ba, dk.', '', 'fe']);
    expect(runs).toEqual(['ab\nkd\nef\n']);
    expect(progress).toEqual([3]);
  });

  it('batches are bounded by maxBatchChars (whole texts per batch)', async () => {
    const { run, runs } = scripted();
    await phonemizeTexts(['aaaa', 'bbbb', 'kkkk'], { espeak: run, maxBatchChars: 10 });
    expect(runs).toEqual(['aaaa\nbbbb\n', 'kkkk\n']);
  });

  it('falls back to one run per chunk when espeak does not give one line per chunk', async () => {
    const runs: string[] = [];
    const run: EspeakIpaRunner = async (input) => {
      runs.push(input);
      // Splits the clause "kd ef" into two lines, as espeak may do with a long clause.
      return input.replace('kd ef', 'kd\nef');
    };
    const got = await phonemizeTexts(['ab, kd ef'], { espeak: run });
    expect(got).toEqual(['ab, kd ef']);
    expect(runs).toEqual(['ab\nkd ef\n', 'ab\n', 'kd ef\n']);
  });

  it('a codepoint outside the table is an error naming it, never dropped', async () => {
    const { run } = scripted(() => 'hɛ☃');
    const err = await phonemizeTexts(['hello'], { espeak: run }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect(err).toMatchObject({ code: 'phoneme-unknown-symbol', message: /U\+2603/ });
  });

  it('language-switch markers are removed, whitespace collapsed', async () => {
    const { run } = scripted(() => '  bɔ̃  (fr)ʒuʁ(en) ');
    expect(await textToPhonemes('bonjour', { espeak: run })).toBe('bɔ̃ ʒuʁ');
  });

  it('a chunk espeak says nothing for is an error', async () => {
    const run: EspeakIpaRunner = async () => '\n';
    await expect(phonemizeTexts(['hello'], { espeak: run })).rejects.toMatchObject({ code: 'phoneme-empty' });
  });

  it('cancel between runs', async () => {
    const ac = new AbortController();
    ac.abort();
    const { run } = scripted();
    await expect(phonemizeTexts(['ab'], { espeak: run, signal: ac.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });

});
