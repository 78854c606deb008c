import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMetadataTexts, writePhonemesCsv } from '../../services/training/phonemesCsv';
import { PHONEME_SYMBOL_TABLE } from '../../../shared/text/phonemize';

const root = path.resolve(__dirname, '..', '..', '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-phonemize-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function formant(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'formant.mjs'), ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function dataset(name: string, metadata: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'metadata.csv'), metadata);
  return dir;
}

describe('formant phonemize', () => {
  it('writes phonemes.csv next to metadata.csv: id|IPA, metadata order, LF, the column the trainer reads', () => {
    const dir = dataset(
      'ok',
      [
        'b-2|Hello, world.|Hello, world.',
        'a-1|Dr. Smith paid $5.|Doctor Smith paid five dollars.',
        'c-3|The end!', // no normalized column: the raw one
        'd-4|In 1984|', // empty normalized column: the raw one
        '',
      ].join('\r\n'),
    );
    const r = formant('phonemize', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/wrote .*phonemes\.csv: 4 lines in [0-9.]+ s/);
    const out = readFileSync(path.join(dir, 'phonemes.csv'), 'utf8');
    expect(out).not.toContain('\r');
    expect(out.endsWith('\n')).toBe(true);
    const lines = out.split('\n').slice(0, -1).map((l) => l.split('|'));
    expect(lines.map((l) => l[0])).toEqual(['b-2', 'a-1', 'c-3', 'd-4']);
    expect(lines[0]![1]).toBe('həlˈoʊ, wˈɜːld.');
    expect(lines[1]![1]).toBe('dˈɑːktɚ smˈɪθ pˈeɪd fˈaɪv dˈɑːlɚz.');
    expect(lines[2]![1]).toBe('ðɪ ˈɛnd!');
    expect(lines[3]![1]).toBe('ɪn nˈaɪntiːn ˈeɪɾi-fˈoːɹ');
    const table = new Set(PHONEME_SYMBOL_TABLE.symbols);
    for (const [, p] of lines) for (const c of p!) expect(table.has(c), c).toBe(true);
    // Atomic write: no temp file left behind; --out elsewhere leaves the dataset alone.
    expect(readdirSync(dir).sort()).toEqual(['metadata.csv', 'phonemes.csv', 'phonemes.source.json']);
  }, 60_000);

  it('missing metadata is an error with the path; --out writes elsewhere', async () => {
    const r = formant('phonemize', path.join(tmp, 'nowhere'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nowhere: no such dataset folder or metadata\.csv/);
    const empty = path.join(tmp, 'emptydir');
    mkdirSync(empty);
    await expect(writePhonemesCsv(empty)).rejects.toMatchObject({ code: 'not-found', message: /no metadata\.csv/ });
    const dir = dataset('out', 'x|Yes.\n');
    const res = await writePhonemesCsv(path.join(dir, 'metadata.csv'), { out: path.join(tmp, 'elsewhere.csv') });
    expect(res.lines).toBe(1);
    expect(readFileSync(path.join(tmp, 'elsewhere.csv'), 'utf8')).toBe('x|jˈɛs.\n');
    expect(readdirSync(dir)).toEqual(['metadata.csv']);
    expect(JSON.parse(readFileSync(path.join(tmp, 'elsewhere.source.json'), 'utf8')).format).toBe('formant-phonemes-source');
  }, 60_000);

  it('an utterance espeak cannot say is named by file, line and id', async () => {
    const dir = dataset('bad', 'a|Fine.\nb|Hello 世界\n');
    await expect(writePhonemesCsv(dir)).rejects.toMatchObject({ code: 'TEXT_UNKNOWN_SYMBOL', message: /metadata\.csv:2: b: .*U\+4E16/ });
    expect(readdirSync(dir)).toEqual(['metadata.csv']);
  }, 60_000);
});

const ljTrain = path.resolve(root, '..', 'shared', 'data', 'lj-train');

describe.skipIf(!existsSync(path.join(ljTrain, 'metadata.csv')))('formant phonemize on LJSpeech (../shared/data/lj-train)', () => {
  it('every transcript phonemizes into the table, one line per id, the dataset untouched', async () => {
    const before = readdirSync(ljTrain).sort();
    const out = path.join(tmp, 'lj-train-phonemes.csv');
    const res = await writePhonemesCsv(ljTrain, { out });
    const ids = readFileSync(path.join(ljTrain, 'metadata.csv'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => l.split('|')[0]);
    const lines = readFileSync(out, 'utf8').split('\n').slice(0, -1).map((l) => l.split('|'));
    expect(res.lines).toBe(ids.length);
    expect(lines.map((l) => l[0])).toEqual(ids);
    const table = new Set(PHONEME_SYMBOL_TABLE.symbols);
    const outside = new Set(lines.flatMap(([, p]) => [...p!].filter((c) => !table.has(c))));
    expect([...outside]).toEqual([]);
    for (const [, p] of lines) expect(p).not.toMatch(/[0-9]|^ | $| {2}/);
    expect(readdirSync(ljTrain).sort()).toEqual(before);
  }, 120_000);
});

describe('parseMetadataTexts', () => {
  it('refuses empty files, empty transcripts, duplicate ids and malformed lines, naming the line', () => {
    expect(() => parseMetadataTexts('\n\n', 'm.csv')).toThrow(/m\.csv: no utterances/);
    expect(() => parseMetadataTexts('a|x\nb| |  \n', 'm.csv')).toThrow(/m\.csv:2: b: empty transcript/);
    expect(() => parseMetadataTexts('a|x\nb|y\na|z\n', 'm.csv')).toThrow(/m\.csv:3: duplicate id "a" \(first on line 1\)/);
    expect(() => parseMetadataTexts('a|x\njust text\n', 'm.csv')).toThrow(/m\.csv:2: expected `id\|text\|normalized text`/);
    expect(() => parseMetadataTexts(' |x\n', 'm.csv')).toThrow(/m\.csv:1: empty id/);
  });
  it('reads the normalized column when present, else the raw one; skips blank lines; BOM ok', () => {
    expect(parseMetadataTexts('\ufeffa|raw|norm\n\nb|raw2\nc|raw3| \n', 'm.csv')).toEqual([
      { id: 'a', text: 'norm', line: 1 },
      { id: 'b', text: 'raw2', line: 3 },
      { id: 'c', text: 'raw3', line: 4 },
    ]);
  });
});
