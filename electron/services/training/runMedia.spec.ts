import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { melSpectrogram } from '../../../shared/dsp/mel';
import { MEL_PRESETS } from '../../../shared/dsp/melPresets';
import { writeNpy } from '../../../shared/dsp/npy';
import { handleMediaRequest } from '../../main/mediaProtocol';
import { startWebServer, type WebServer } from '../../web/server';
import { AccessPolicy } from '../shell/accessPolicy';
import { sampleNpyPath } from './samplePaths';

/**
 * A training run outside every project: once the training API opened it, web mode's /media and the
 * Electron media protocol serve its plots and validation sample WAVs — and nothing else of it.
 */
describe('media of training runs', () => {
  let tmp: string;
  let run: string;
  let server: WebServer;
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
  const auth = () => ({ headers: { 'X-Formant-Token': server.token } });
  // Replies are read field by field (Node's fetch types json() as unknown; the page's DOM types say any).
  const api = async (method: string, body: unknown): Promise<any> => (await fetch(`${server.url}api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Formant-Token': server.token }, body: JSON.stringify(body) })).json();
  const media = (q: Record<string, string>) => fetch(`${server.url}media?${new URLSearchParams(q)}`, auth());
  const proto = (q: Record<string, string>) => handleMediaRequest(new Request(`formant-media://media/?${new URLSearchParams(q)}`));

  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-runmedia-'));
    run = path.join(tmp, 'data', 'runs', 'run'); // outside every project; in the data folder, as web mode's training calls require
    await fs.mkdir(path.join(run, 'plots'), { recursive: true });
    await fs.mkdir(path.join(run, 'samples'));
    await fs.mkdir(path.join(run, 'checkpoints'));
    await fs.writeFile(path.join(run, 'run.json'), JSON.stringify({ tacotron2: { hparams: { mel_preset: 'nvidia' } } }));
    await fs.writeFile(path.join(run, 'plots', 'alignment_00000010.png'), png);
    await fs.writeFile(path.join(run, 'checkpoints', 'tacotron2_00000010.pt'), 'weights');
    await fs.writeFile(path.join(tmp, 'secret.png'), 'secret');
    await fs.symlink(path.join(tmp, 'secret.png'), path.join(run, 'plots', 'link.png'));
    const x = new Float32Array(22050 * 0.4).map((_, i) => 0.3 * Math.sin((2 * Math.PI * 180 * i) / 22050));
    const mel = melSpectrogram(x, MEL_PRESETS.nvidia);
    await fs.writeFile(sampleNpyPath(run, 10), writeNpy(mel.data, [mel.nMels, mel.frames]));
    const rendererDir = path.join(tmp, 'renderer');
    await fs.mkdir(rendererDir);
    await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html>');
    server = await startWebServer({ port: 0, dataDir: path.join(tmp, 'data'), rendererDir, build: false });
  });
  afterAll(async () => {
    await server?.close();
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('serves nothing of a run the training API has not opened', async () => {
    const r = await media({ run, path: 'plots/alignment_00000010.png' });
    expect(r.status).toBe(403);
    expect((await proto({ run, path: 'plots/alignment_00000010.png' })).status).toBe(403);
  });

  it('serves the PNG and the sample WAV of an opened run outside the project, in web mode and over the Electron protocol', async () => {
    const summary = await api('training.summary', { runDir: run });
    expect(summary.ok).toBe(true);
    expect(summary.result.plots.alignment).toBe(path.join(run, 'plots', 'alignment_00000010.png'));
    expect(summary.result.samples).toMatchObject([{ step: 10, wav: null, alignment: path.join(run, 'plots', 'alignment_00000010.png') }]);

    const img = await media({ run, path: 'plots/alignment_00000010.png' });
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await img.arrayBuffer())).toEqual(png);

    const audio = await api('training.sampleAudio', { runDir: run, step: 10 });
    expect(audio).toMatchObject({ ok: true, result: { wav: path.join(run, 'samples', 'sample_00000010.wav'), sampleRate: 22050 } });
    const wav = await media({ run, path: 'samples/sample_00000010.wav' });
    expect(wav.status).toBe(200);
    expect(wav.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await wav.arrayBuffer()).subarray(0, 4).toString()).toBe('RIFF');
    expect((await api('training.summary', { runDir: run })).result.samples[0].wav).toBe(audio.result.wav);

    const viaProto = await proto({ run, path: 'samples/sample_00000010.wav' });
    expect(viaProto.status).toBe(200);
    expect(viaProto.headers.get('content-type')).toBe('audio/wav');
    expect((await proto({ run, path: 'plots/alignment_00000010.png' })).status).toBe(200);
  });

  it('still refuses everything else of it, and every other path', async () => {
    await api('training.summary', { runDir: run });
    for (const p of ['run.json', 'checkpoints/tacotron2_00000010.pt', 'samples/sample_00000010.npy', '../secret.png', 'plots/../../secret.png', 'plots/link.png', path.join(tmp, 'secret.png'), 'plots', 'constructor/x.png']) {
      expect([p, (await media({ run, path: p })).status]).toEqual([p, 403]);
      expect([p, (await proto({ run, path: p })).status]).toEqual([p, 403]);
    }
    // a granted run does not open its parents, nor the run folder as a project
    expect((await media({ run: path.dirname(run), path: 'run/plots/alignment_00000010.png' })).status).toBe(403);
    expect((await media({ project: run, path: 'plots/alignment_00000010.png' })).status).toBe(403);
    expect((await media({ run: tmp, path: 'plots/x.png' })).status).toBe(403);
    expect((await fetch(`${server.url}media?${new URLSearchParams({ run, path: 'plots/alignment_00000010.png' })}`)).status).toBe(401);
    expect((await media({ run, path: 'plots/missing.png' })).status).toBe(404);
  });

  it('confines run media per policy (unit)', async () => {
    const p = new AccessPolicy();
    await expect(p.resolveRunFile(run, 'plots/alignment_00000010.png')).rejects.toMatchObject({ code: 'forbidden' });
    p.grantRun(run + path.sep);
    expect(await p.resolveRunFile(run, './plots/alignment_00000010.png')).toBe(await fs.realpath(path.join(run, 'plots', 'alignment_00000010.png')));
    await expect(p.resolveRunFile(run, 'plots/a.png\0')).rejects.toMatchObject({ code: 'bad-input' });
    await expect(p.resolveRunFile(run, 'plots/link.png')).rejects.toMatchObject({ code: 'forbidden' });
    expect(p.allows(path.join(run, 'plots'))).toBe(false);
  });
});
