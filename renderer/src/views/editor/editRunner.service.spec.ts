import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClipRecord } from '../../../../shared/contract/manifest';
import { encodeWav } from '../../../../shared/dsp/wav';
import { loadManifest } from '../../../../electron/services/projectStore';
import { mergeWithNext, setClipRegion, splitClip, updateClip } from '../../../../electron/services/prepare/clipEdits';
import { importRecordings } from '../../../../electron/services/prepare/importRecordings';
import { mergeCommand, nextInSource, regionCommand, splitCommand, updateCommand, type ClipEditApi } from './editCommands';
import { EditRunner } from './editRunner';

/**
 * The editor's commands against the REAL clip-edit services (prepare's clipEdits.ts), in process:
 * every undo must give back exactly the manifest state (regions, texts, statuses) and WAV lengths.
 */
const tmp = mkdtempSync(path.join(os.tmpdir(), 'editor-service-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const api: ClipEditApi = {
  'clips.update': ({ projectDir, id, text, status }) => updateClip(projectDir, id, { text, status }),
  'clips.setRegion': ({ projectDir, id, sourceStart, sourceEnd }) => setClipRegion(projectDir, id, sourceStart, sourceEnd),
  'clips.split': async ({ projectDir, id, at, texts }) => ({ clips: await splitClip(projectDir, id, at, texts) }),
  'clips.merge': ({ projectDir, id }) => mergeWithNext(projectDir, id),
};

function tone(seconds: number, rate = 22050): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => (i / rate > 0.15 && i / rate < seconds - 0.15 ? 0.3 * Math.sin((2 * Math.PI * 180 * i) / rate) : 0));
}

async function state(dir: string) {
  const m = await loadManifest(dir);
  const clips = await Promise.all(
    m.clips.map(async (c: ClipRecord) => ({
      id: c.id,
      region: [+c.sourceStart.toFixed(4), +c.sourceEnd.toFixed(4)],
      text: c.text,
      status: c.status,
      wavBytes: (await fs.stat(path.join(dir, c.wav))).size,
    })),
  );
  return clips.sort((a, b) => a.region[0] - b.region[0]);
}

describe('editor commands on the real clip services', () => {
  it('split, trim, status, merge — each undone exactly and redone', async () => {
    const rec = path.join(tmp, 'rec');
    await fs.mkdir(rec, { recursive: true });
    writeFileSync(path.join(rec, 'a.wav'), encodeWav(tone(4), 22050));
    writeFileSync(path.join(rec, 'a.txt'), 'one two three four\n');
    const dir = path.join(tmp, 'project');
    expect((await importRecordings(dir, [rec])).failed).toBe(0);
    const runner = new EditRunner(api, dir);
    const clip0 = (await loadManifest(dir)).clips[0];
    const s0 = await state(dir);

    const mid = (clip0.sourceStart + clip0.sourceEnd) / 2;
    const split = await runner.execute(splitCommand(clip0, mid, ['one two', 'three four']));
    const [a, b] = split.upserted;
    await runner.execute(regionCommand(a, { start: a.sourceStart + 0.2, end: a.sourceEnd }));
    await runner.execute(updateCommand((await loadManifest(dir)).clips.find((c) => c.id === b.id)!, { status: 'reviewed' }));
    const m = await loadManifest(dir);
    const first = m.clips.find((c) => c.id === a.id)!;
    await runner.execute(mergeCommand(first, nextInSource(m.clips, first)!));
    const s4 = await state(dir);
    expect(s4).toHaveLength(1);
    expect(s4[0].text).toBe('one two three four');

    const undone: Awaited<ReturnType<typeof state>>[] = [];
    for (let i = 0; i < 4; i++) {
      await runner.undo();
      undone.push(await state(dir));
    }
    expect(undone[3]).toEqual(s0); // back to the imported clip, byte-for-byte the same WAV size
    expect(undone[0]).toHaveLength(2); // merge undone: two clips again…
    expect(undone[0][1]).toMatchObject({ text: 'three four', status: 'reviewed' }); // …with their own text and status
    for (let i = 0; i < 4; i++) await runner.redo();
    const redone = await state(dir);
    expect(redone.map(({ region, text, status, wavBytes }) => ({ region, text, status, wavBytes }))).toEqual(
      s4.map(({ region, text, status, wavBytes }) => ({ region, text, status, wavBytes })),
    );
  });
});
