import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SYMBOL_TABLE, encodeText } from '../../../shared/text/index';
import { PHONEME_SYMBOL_TABLE } from '../../../shared/text/phonemize';

const root = path.resolve(__dirname, '..', '..', '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-text-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function formant(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'formant.mjs'), ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('formant text', () => {
  it('prints each sentence normalized, cleaned and as ids (JSON), splitting clauses on request', () => {
    const file = path.join(tmp, 'in.txt');
    writeFileSync(file, 'Dr. Smith paid $3.50 at 3:45 pm. Then, after a while, he left!');
    const r = formant('text', '--text-file', file, '--max-chars', '20', '--json');
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows[1]).toMatchObject({ sentence: 0, text: '$3.50 at 3:45 pm.', start: 15, end: 32, cleaned: 'three dollars, fifty cents at three forty-five p m.' });
    expect(rows.map((x: { text: string }) => x.text)).toEqual(['Dr. Smith paid', '$3.50 at 3:45 pm.', 'Then, after a while,', 'he left!']);
    expect(rows[3]).toMatchObject({ sentence: 1, start: 54, end: 62 });
    expect(rows.at(-1).ids).toEqual([45, 42, 11, 49, 42, 43, 57, 2]); // "he left!"
  });

  it('marks characters the table lacks and exits 1; empty input is a usage error', () => {
    const r = formant('text', 'Hello 世界');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('UNKNOWN:    "世" (U+4E16)');
    expect(formant('text', '   ').code).toBe(2);
  });
});

/** A voice folder whose voice.json `text` is what `make-tiny-voice --phonemes` exports (only `text` is read). */
function voiceDir(name: string, text: Record<string, unknown>): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'voice.json'), JSON.stringify({ format: 'formant-voice', name, text }));
  return dir;
}
const phonemeText = { cleaners: 'english', symbols: PHONEME_SYMBOL_TABLE.symbols, padId: 0, eosId: null, phonemizer: { engine: 'espeak-ng', voice: 'en-us' } };

describe('formant text with a phoneme voice', () => {
  it('shows the IPA each piece becomes and ids that spell the IPA (--voice <dir>, or --symbols voice.json)', () => {
    const dir = voiceDir('ph', phonemeText);
    const r = formant('text', '--voice', dir, '--json', 'Hello there. Dr. Smith paid $5!');
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows.map((x: { phonemes: string }) => x.phonemes)).toEqual(['həlˈoʊ ðˈɛɹ.', 'dˈɑːktɚ smˈɪθ pˈeɪd fˈaɪv dˈɑːlɚz!']);
    expect(rows[1]).toMatchObject({ sentence: 1, cleaned: 'doctor smith paid five dollars!', unknown: [] });
    for (const row of rows) {
      expect(row.ids).toEqual(encodeText(row.phonemes, PHONEME_SYMBOL_TABLE, { cleaners: 'none' }).ids);
      expect(row.ids).not.toEqual(encodeText(row.text, DEFAULT_SYMBOL_TABLE).ids); // not the character path
    }
    const human = formant('text', '--symbols', path.join(dir, 'voice.json'), 'Hello there.');
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('phoneme voice: espeak-ng en-us');
    expect(human.stdout).toContain('    phonemes:   həlˈoʊ ðˈɛɹ.\n');
  }, 60_000);

  it('adds the voice’s end-of-sequence id, reports unknown characters per piece, refuses a broken voice.json', () => {
    const symbols = [...PHONEME_SYMBOL_TABLE.symbols, '~'];
    const dir = voiceDir('ph-eos', { ...phonemeText, symbols, eosId: symbols.length - 1 });
    const r = formant('text', '--voice', dir, '--json', 'One, two. Hi 世界.');
    expect(r.code).toBe(1);
    const rows = JSON.parse(r.stdout);
    expect(rows[0].phonemes).toBe('wˈʌn, tˈuː.');
    expect(rows[0].ids.at(-1)).toBe(symbols.length - 1);
    expect(rows[1]).toMatchObject({ phonemes: null, ids: [], unknown: [{ symbol: '世', codePoint: 'U+4E16' }, { symbol: '界', codePoint: 'U+754C' }] });
    expect(r.stderr).toContain('UNKNOWN');

    const bad = voiceDir('ph-bad', { ...phonemeText, phonemizer: { engine: 'festival', voice: 'en-us' } });
    const b = formant('text', '--voice', bad, 'Hello.');
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/voice\.json: text: phonemizer\.engine/);
    expect(formant('text', '--voice', dir, '--symbols', path.join(dir, 'voice.json'), 'Hi.').code).toBe(2);
  }, 60_000);
});
