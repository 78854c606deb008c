import { mulberry32 } from '../dsp/random';
// A machine-made parity corpus: 400 seeded random mixes of every tricky shape (numbers, money, times,
// abbreviations, Roman numerals, Unicode punctuation, accents, ARPAbet, unknown characters, newlines),
// with normalization, cleaning, ids and sentence/clause offsets. The expected
// values are this implementation's output — the point is not correctness (sentences.json is the
// hand-checked list) but that no change to normalization, cleaning or ids goes unnoticed (trained voices read ids; the
// Python mirror it once checked is gone: the trainer reads TypeScript's cleaned text) on
// inputs nobody thought of. This spec fails when the corpus is stale: regenerate with
//   UPDATE_TEXT_CORPUS=1 npx vitest run shared/text/parityCorpus.spec.ts
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodeText, englishCleaners, normalizeText, splitClauses, splitSentences } from './index';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpusPath = path.join(here, 'testdata', 'parity_corpus.json');


const WORDS = [
  'the', 'and', 'Smith', 'London', 'Baker', 'George', 'Henry', 'Chapter', 'War', 'Main', 'pay', 'at', 'On', 'I', 'a', 'A',
  'Mr.', 'Mrs.', 'Ms.', 'Dr.', 'Drs.', 'St.', 'Co.', 'Ltd.', 'Jr.', 'Sr.', 'Esq.', 'etc.', 'e.g.', 'i.e.', 'No.', 'no.',
  'vs.', 'Prof.', 'Capt.', 'Ft.', 'Mt.', 'Inc.', 'MR.', 'II', 'IV', 'VIII', 'IX', 'XIV', 'IIII', 'X', 'V', 'mp3', 'B2B',
  'café', 'Zoë', 'Æsop', 'straße', 'Łódź', 'naïve', '世界', 'Ωmega', 'ﬁne', 'e\u0301', 'AM', 'pm', 'p.m.', 'a.m.',
];
const PUNCT = [
  ',', '.', ';', ':', '!', '?', '...', '…', '"', "'", '(', ')', '[', ']', '{', '}', '—', '–', '-', '--', '&', '@', '+', '=',
  '°', '°C', '#', '/', '*', '_', '~', '|', '\\', '<', '>', '§', '×', '÷', '½', '¾', '¢', '£', '€', '¥', '$', '%',
  '“', '”', '‘', '’', '\u00a0', '\t', '\n', '\u200b', '  ', '{HH AH0 L OW1}', '{ZZ9}', '{note}',
];

function digits(rnd: () => number, max: number): string {
  const n = 1 + Math.floor(rnd() * max);
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(rnd() * 10));
  return s;
}

function numberPiece(rnd: () => number): string {
  const pick = Math.floor(rnd() * 14);
  const d = digits(rnd, pick < 4 ? 4 : 16);
  switch (pick) {
    case 0: return `${d}.${digits(rnd, 3)}`;
    case 1: return `-${d}`;
    case 2: return `${['$', '£', '€', '¥'][Math.floor(rnd() * 4)]}${d}${rnd() < 0.5 ? `.${digits(rnd, 3)}` : ''}${rnd() < 0.2 ? ' million' : ''}`;
    case 3: return `${d}${['st', 'nd', 'rd', 'th', 'TH', 's'][Math.floor(rnd() * 6)]}`;
    case 4: return `${Math.floor(rnd() * 30)}:${digits(rnd, 2).padStart(2, '0')}${['', ' pm', 'am', ' a.m.', ' P.M.'][Math.floor(rnd() * 5)]}`;
    case 5: return `${d}%`;
    case 6: return d.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    case 7: return `${digits(rnd, 1)}/${digits(rnd, 2)}`;
    case 8: return `${1000 + Math.floor(rnd() * 2000)}${rnd() < 0.5 ? '-' : '–'}${1000 + Math.floor(rnd() * 2000)}`;
    case 9: return `'${digits(rnd, 1)}0s`;
    case 10: return `.${digits(rnd, 3)}`;
    case 11: return `${1000 + Math.floor(rnd() * 2000)}`;
    default: return d;
  }
}

export function makeCorpusInputs(count: number, seed = 20261125): string[] {
  const rnd = mulberry32(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = 3 + Math.floor(rnd() * 12);
    let s = '';
    for (let j = 0; j < n; j++) {
      const r = rnd();
      const piece = r < 0.4 ? WORDS[Math.floor(rnd() * WORDS.length)] : r < 0.7 ? numberPiece(rnd) : PUNCT[Math.floor(rnd() * PUNCT.length)];
      s += (rnd() < 0.75 ? ' ' : '') + piece;
    }
    out.push(s);
  }
  return out;
}

function corpus() {
  return makeCorpusInputs(400).map((input) => {
    const enc = encodeText(input, undefined, { unknown: 'drop' });
    return {
      input,
      normalized: normalizeText(input),
      cleaned: englishCleaners(input),
      ids: enc.ids,
      unknown: enc.unknown.map((u) => u.symbol),
      sentences: splitSentences(input).map((s) => [s.start, s.end]),
      clauses: splitClauses(input, 24).map((s) => [s.start, s.end]),
    };
  });
}

describe('parity corpus', () => {
  it('testdata/parity_corpus.json is current', () => {
    const fresh = corpus();
    if (process.env.UPDATE_TEXT_CORPUS === '1' || !existsSync(corpusPath)) {
      writeFileSync(corpusPath, `[\n${fresh.map((e) => JSON.stringify(e)).join(',\n')}\n]\n`);
    }
    const stale = 'testdata/parity_corpus.json is stale: the frontend changed; check the change is intended, then run UPDATE_TEXT_CORPUS=1 npx vitest run shared/text/parityCorpus.spec.ts';
    expect(JSON.parse(readFileSync(corpusPath, 'utf8')), stale).toEqual(fresh);
  });

  it('normalizing or cleaning twice changes nothing, even on glued, odd input', () => {
    for (const e of corpus()) {
      expect(normalizeText(e.normalized), e.input).toBe(e.normalized);
      expect(englishCleaners(e.cleaned), e.input).toBe(e.cleaned);
    }
  });
});
