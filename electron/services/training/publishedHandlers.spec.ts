import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceEvent } from '../../../shared/contract/rpc';
import { createDispatcher } from '../shell/dispatch';
import { publishedCheckpointHandlers } from './publishedHandlers';

// The app's "choose the files" path: the API validates what the view sends before any job starts (the run itself,
// safe loading included, is covered end to end by electron/cli/commands/voice.spec.ts through the same service).
const d = createDispatcher(publishedCheckpointHandlers);
let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-published-api-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('training.voiceFromCheckpoints / training.addWaveGlow', () => {
  it('refuses files that are not there or not files, before starting anything', async () => {
    const events: ServiceEvent[] = [];
    const ctx = { emit: (e: ServiceEvent) => void events.push(e) };
    await expect(d('training.voiceFromCheckpoints', { tacotron2: path.join(tmp, 'tacotron2_statedict.pt'), outDir: path.join(tmp, 'v') }, ctx)).rejects.toMatchObject({
      code: 'bad-input',
      message: expect.stringMatching(/--tacotron2 .*tacotron2_statedict\.pt: no such file/),
    });
    await expect(d('training.voiceFromCheckpoints', { tacotron2: tmp, outDir: path.join(tmp, 'v') }, ctx)).rejects.toMatchObject({ message: expect.stringMatching(/this is a folder/) });
    await expect(d('training.addWaveGlow', { voiceDir: tmp, waveglow: path.join(tmp, 'wg.pt') }, ctx)).rejects.toMatchObject({ message: expect.stringMatching(/not a voice folder/) });
    await expect(d('training.voiceFromCheckpoints', { outDir: path.join(tmp, 'v') }, ctx)).rejects.toMatchObject({ code: 'bad-input' });
    expect(events).toEqual([]);
  });
});
