import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadManifest } from '../projectStore';
import { importRecordings } from './importRecordings';

/** QA is part of import (issue 19 #4): the demo's problem takes are flagged the moment they are imported. */
const demo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/demo/recordings');

describe('import measures QA', () => {
  let dir: string;
  afterAll(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('flags the demo recordings named clipped, noisy and quiet, and not the clean one', async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-importqa-'));
    const project = path.join(dir, 'demo');
    await importRecordings(project, [demo]);
    const m = await loadManifest(project);
    expect(m.clips.every((c) => c.qa)).toBe(true);
    const flagsOf = (source: string) => [...new Set(m.clips.filter((c) => c.sourceId === source).flatMap((c) => c.qa!.flags))];
    expect(flagsOf('04-quiet')).toContain('quiet');
    expect(flagsOf('06-noisy')).toContain('low-snr');
    expect(flagsOf('07-clipped')).toContain('clipping');
    expect(flagsOf('01-clean')).not.toContain('quiet');
    expect(flagsOf('01-clean')).not.toContain('low-snr');
    expect(flagsOf('01-clean')).not.toContain('clipping');
    // the loudness as recorded is kept: the quiet take was far below the others
    const lufs = (source: string) => m.clips.find((c) => c.sourceId === source)!.recordedLufs!;
    expect(lufs('04-quiet')).toBeLessThan(-40);
    expect(lufs('01-clean')).toBeGreaterThan(-30);
  }, 60_000);
});
