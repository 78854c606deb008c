import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../../shared/dsp/wav';
import { loadManifest, updateManifest } from '../projectStore';
import { importRecordings } from './importRecordings';
import { exportLjspeech } from './ljspeechExport';
import { utterance } from './testSignals';
import { cleanTranscript, decodeTextBytes } from './transcripts';

/* eslint-disable no-control-regex -- finding control characters is what these expressions are for */
// Issue 17, item 8: control characters reached metadata.csv, a binary .txt was taken for a transcript,
// `formant text` wrote escape sequences to the terminal, an empty folder "imported" with exit 0.
const root = path.resolve(__dirname, '..', '..', '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-transcripts-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const formant = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin', 'formant.mjs'), ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, CI: '1' } });
const take = (seed: number) => encodeWav(utterance({ rate: 22050, seconds: 2, amp: 0.2, seed }).samples, 22050);

describe('transcript hygiene', () => {
  it('removes control characters (NUL, BEL, whole escape sequences) and says so, naming the file', () => {
    const r = cleanTranscript('Red \u001b[31malert\u001b[0m\u0007 at\u0000 dawn\u001b]0;pwned\u0007.', 'take.txt');
    expect(r.text).toBe('Red alert at dawn.');
    expect(r.warnings).toEqual(['take.txt: control characters (ESC, BEL, NUL) are not text and were removed']);
    expect(cleanTranscript('Plain text, tabs\tand\nlines.', 'x').warnings).toEqual([]);
  });

  it('refuses a binary file posing as a transcript, naming it; keeps reading Windows-1252 text', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0]);
    expect(() => decodeTextBytes(png, 'take.txt')).toThrow('take.txt is not a text file (it holds binary data); a transcript must be UTF-8 text');
    const wav = take(1).subarray(0, 4096);
    expect(() => decodeTextBytes(wav, 'renamed.txt')).toThrow(/renamed\.txt is not a text file/);
    expect(decodeTextBytes(Uint8Array.from([0x43, 0x61, 0x66, 0xe9]), 'latin.txt').text).toBe('Café');
  });

  it('import: a binary sidecar fails that recording with one error naming the file; control characters never reach metadata.csv', async () => {
    const src = path.join(tmp, 'in');
    mkdirSync(src, { recursive: true });
    writeFileSync(path.join(src, 'noisy.wav'), take(2));
    writeFileSync(path.join(src, 'noisy.txt'), 'Ring\u0007 the \u001b[1mbell\u001b[0m.\u0000');
    writeFileSync(path.join(src, 'binary.wav'), take(3));
    writeFileSync(path.join(src, 'binary.txt'), take(4));
    const proj = path.join(tmp, 'proj');
    const r = await importRecordings(proj, [src]);
    const bin = r.files.find((f) => f.file.endsWith('binary.wav'))!;
    expect(bin.state).toBe('failed');
    expect(bin.error).toMatch(/binary\.txt is not a text file/);
    const noisy = r.files.find((f) => f.file.endsWith('noisy.wav'))!;
    expect(noisy.warnings.join('\n')).toMatch(/noisy\.txt: control characters \(BEL, ESC, NUL\) are not text and were removed/);
    expect((await loadManifest(proj)).clips.find((c) => c.id === 'noisy')!.text).toBe('Ring the bell.');
    // A transcript stored before this check (an older project) is cleaned on the way out too.
    await updateManifest(proj, (m) => {
      m.clips[0]!.text = 'Old \u0000text\u001b[2J with controls.';
    });
    const out = path.join(tmp, 'out');
    await exportLjspeech(proj, out, { valFraction: 0, seed: 1 });
    const csv = readFileSync(path.join(out, 'metadata.csv'), 'utf8');
    expect(csv).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(csv).toContain('Old text with controls.');
  });

  it('formant import of an empty folder: a clear message, exit 1, no project made', () => {
    mkdirSync(path.join(tmp, 'empty'));
    const r = formant('import', 'new-project', 'empty');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^formant: no recordings to import in empty \(looked for audio files: \.wav .*\)\n$/);
    expect(() => readFileSync(path.join(tmp, 'new-project', 'formant.json'))).toThrow();
  });

  it('formant text shows escape sequences instead of sending them to the terminal', () => {
    const r = formant('text', 'Say \u001b[31mred\u001b[0m now\u0007.');
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(r.stdout).toContain('Say \\x1b[31mred\\x1b[0m now\\x07.');
  });
});
