import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SYMBOL_TABLE, encodeText } from '../../../shared/text/index';
import { cleanedCsvFromMetadata, writeCleanedCsv } from './cleanedCsv';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-cleaned-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const dataDir = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'data');

/** What the trainer does with a cleaned.csv line: characters (and {ARPAbet}) → ids, nothing cleaned. */
const trainerIds = (cleaned: string) => encodeText(cleaned, DEFAULT_SYMBOL_TABLE, { cleaners: 'none', unknown: 'drop' }).ids;

describe('cleaned.csv (what the character-input trainer reads)', () => {
  it('holds the column the trainer takes (normalized, else the text) through the english cleaners, ARPAbet kept', () => {
    const body = cleanedCsvFromMetadata(
      ['a|Dr. Smith paid $5.|Doctor Smith paid five dollars.', 'b|Only one column, 1999', 'c|x|Say {HH AH0 L OW1} to "Zoë"!', ''].join('\n'),
    );
    expect(body).toBe('a|doctor smith paid five dollars.\nb|only one column, nineteen ninety-nine\nc|say {HH AH0 L OW1} to zoe!\n');
    for (const line of body.trim().split('\n')) {
      const [id, cleaned] = line.split('|');
      const text = { a: 'Doctor Smith paid five dollars.', b: 'Only one column, 1999', c: 'Say {HH AH0 L OW1} to "Zoë"!' }[id]!;
      expect(trainerIds(cleaned), id).toEqual(encodeText(text).ids); // the ids synthesis gives the same text
    }
  });

  it('keeps characters the table lacks, and names their clips, so the trainer can leave those clips out', async () => {
    const dir = path.join(tmp, 'ds');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'metadata.csv'), 'k1|Hello 世界.\nk2|Fine.\n');
    const r = await writeCleanedCsv(dir);
    expect(readFileSync(r.out, 'utf8')).toBe('k1|hello 世界.\nk2|fine.\n');
    expect(r.unspellable).toEqual([{ id: 'k1', unknown: [{ symbol: '世', codePoint: 'U+4E16', count: 1 }, { symbol: '界', codePoint: 'U+754C', count: 1 }] }]);
    await expect(writeCleanedCsv(path.join(tmp, 'nothing-here'))).rejects.toThrow(/no such dataset folder/);
  });

  it.skipIf(!existsSync(dataDir))('gives the trainer the ids it used for every LJSpeech clip in ../shared/data', async () => {
    const captured = JSON.parse(readFileSync(path.resolve(__dirname, '../../../shared/text/testdata/ljspeech_trainer_ids.json'), 'utf8'));
    const { createHash } = await import('node:crypto');
    for (const name of Object.keys(captured.datasets)) {
      const r = await writeCleanedCsv(path.join(dataDir, name), { out: path.join(tmp, `${name}.cleaned.csv`) });
      const lines = readFileSync(r.out, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(Object.keys(captured.datasets[name]).length);
      for (const line of lines) {
        const [id, cleaned] = line.split('|');
        expect(createHash('sha256').update(trainerIds(cleaned).join(',')).digest('hex').slice(0, 16), `${name} ${id}`).toBe(captured.datasets[name][id]);
      }
    }
  });
});
