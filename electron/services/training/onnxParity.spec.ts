import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { VoiceManifest } from '../../../shared/contract/voice';
import { findPython, trainerEnv } from './pythonEnv';
import { trainerDir } from './trainerPaths';

/**
 * The graphs of a tiny exported voice, run in onnxruntime-node, match PyTorch's outputs (reference.json, written
 * by `python -m formant_trainer make-tiny-voice`) within 1e-4. Skips when no Python with torch is set up.
 */
interface RefTensor {
  dims: number[];
  type: 'float32' | 'int64';
  data: number[];
}
type Reference = Record<string, { inputs: Record<string, RefTensor>; outputs: Record<string, RefTensor> }> & { text: string };

function pythonWithTorch(): string | null {
  const py = findPython();
  if (!py) return null;
  const r = spawnSync(py.path, ['-c', 'import torch, onnx'], { stdio: 'ignore' });
  return r.status === 0 ? py.path : null;
}

const py = pythonWithTorch();
const dir = mkdtempSync(path.join(os.tmpdir(), 'formant-parity-'));

describe.skipIf(!py)('ONNX voice bundle parity (onnxruntime-node vs PyTorch)', () => {
  let ref: Reference;
  beforeAll(() => {
    const r = spawnSync(py!, ['-m', 'formant_trainer', 'make-tiny-voice', '--out', dir], { cwd: trainerDir(), env: trainerEnv(), encoding: 'utf8', timeout: 300_000 });
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    ref = JSON.parse(readFileSync(path.join(dir, 'reference.json'), 'utf8')) as Reference;
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a voice.json that satisfies VoiceManifest', () => {
    const m = VoiceManifest.parse(JSON.parse(readFileSync(path.join(dir, 'voice.json'), 'utf8')));
    expect(m.tacotron2).not.toBeNull(); // a Tacotron-2 voice (a duration voice has `fastpitch` instead)
    const t = m.tacotron2!;
    expect(t.reductionFactor).toBeGreaterThanOrEqual(1);
    expect(m.waveglow?.graph).toBe('waveglow.onnx');
    for (const f of [t.encoder, t.decoderStep, t.postnet, m.waveglow!.graph]) expect(existsSync(path.join(dir, f))).toBe(true);
  });

  for (const [graph, file] of [
    ['encoder', 'encoder.onnx'],
    ['decoder_step', 'decoder_step.onnx'],
    ['postnet', 'postnet.onnx'],
    ['waveglow', 'waveglow.onnx'],
  ] as const) {
    it(`${file} matches PyTorch within 1e-4`, async () => {
      const session = await ort.InferenceSession.create(path.join(dir, file));
      const feeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(ref[graph].inputs)) {
        feeds[name] = t.type === 'int64' ? new ort.Tensor('int64', BigInt64Array.from(t.data, (v) => BigInt(v)), t.dims) : new ort.Tensor('float32', Float32Array.from(t.data), t.dims);
      }
      const out = await session.run(feeds);
      const names = Object.keys(ref[graph].outputs);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        const exp = ref[graph].outputs[name];
        const got = out[name];
        expect(got, name).toBeDefined();
        expect([...got.dims]).toEqual(exp.dims);
        const data = got.data as Float32Array;
        let worst = 0;
        for (let i = 0; i < data.length; i++) worst = Math.max(worst, Math.abs(data[i] - exp.data[i]));
        expect(worst, `${graph}.${name}`).toBeLessThan(1e-4);
      }
      await session.release();
    });
  }
});
