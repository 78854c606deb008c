// The ids a trained voice was trained on must not move: for every LJSpeech clip in ../shared/data (the demo voices'
// corpus), encodeText on the transcript the trainer reads gives the ids the trainer used
// (testdata/ljspeech_trainer_ids.json, captured from the trainer's own pipeline; see its "about"). A change to
// normalization or cleaning that alters them makes existing voices read text differently from how they were trained.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodeText } from './index';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = path.resolve(here, '..', '..', '..', 'shared', 'data');
const captured: { datasets: Record<string, Record<string, string>> } = JSON.parse(
  readFileSync(path.join(here, 'testdata', 'ljspeech_trainer_ids.json'), 'utf8'),
);

/** metadata.csv → id → the transcript the trainer encodes (the third column, else the second). */
function trainerTexts(file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    if (!line.trim()) continue;
    const f = line.split('|');
    out.set(f[0].trim(), (f.length > 2 && f[2].trim() ? f[2] : f[1]).trim());
  }
  return out;
}

const idsHash = (ids: number[]) => createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 16);

describe.skipIf(!existsSync(dataDir))('the ids the demo voices were trained on (../shared/data)', () => {
  it.each(Object.keys(captured.datasets))('%s: every clip encodes to the captured ids', (name) => {
    const texts = trainerTexts(path.join(dataDir, name, 'metadata.csv'));
    const want = captured.datasets[name];
    expect([...texts.keys()].sort()).toEqual(Object.keys(want).sort());
    const moved = [...texts].filter(([id, text]) => idsHash(encodeText(text).ids) !== want[id]).map(([id]) => id);
    expect(moved, `clips whose ids changed: ${moved.slice(0, 5).join(', ')}`).toEqual([]);
  });
});
