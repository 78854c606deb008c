import { describe, expect, it, beforeEach } from 'vitest';
import type * as ort from 'onnxruntime-node';
import { createSession, gpuCandidates, missingProviderLibrary, providerPlan, resetProviderFailures } from './executionProviders';

const linuxCuda = [
  { name: 'cpu', bundled: true },
  { name: 'webgpu', bundled: true },
  { name: 'cuda', bundled: false },
];
const win = [
  { name: 'cpu', bundled: true },
  { name: 'dml', bundled: true },
];

describe('provider plan', () => {
  it('tries the platform GPU provider first, then the CPU', () => {
    expect(gpuCandidates('linux', linuxCuda)).toEqual(['cuda']);
    expect(gpuCandidates('win32', win)).toEqual(['dml']);
    expect(gpuCandidates('darwin', [{ name: 'cpu', bundled: true }, { name: 'coreml', bundled: true }])).toEqual(['coreml']);
    expect(gpuCandidates('darwin', linuxCuda)).toEqual([]);
    expect(providerPlan('linux', linuxCuda)).toEqual(['cuda', 'cpu']);
  });
  it('honours a forced provider', () => {
    expect(providerPlan('linux', linuxCuda, 'cpu')).toEqual(['cpu']);
    expect(providerPlan('linux', linuxCuda, 'CUDA')).toEqual(['cuda', 'cpu']);
  });
});

describe('createSession', () => {
  beforeEach(() => resetProviderFailures());
  const fakeSession = {} as ort.InferenceSession;

  it('falls back to CPU with a note naming the failure, and does not retry the failed provider', async () => {
    const tried: string[] = [];
    const factory = async (_p: string, o: ort.InferenceSession.SessionOptions) => {
      const ep = String(o.executionProviders?.[0]);
      tried.push(ep);
      if (ep === 'cuda') throw new Error('libonnxruntime_providers_cuda.so: cannot open shared object file\nmore');
      return fakeSession;
    };
    const env = { platform: 'linux' as const, supported: linuxCuda, checkLibrary: false };
    const a = await createSession('x.onnx', { requested: '' }, factory, env);
    expect(a.choice.provider).toBe('cpu');
    expect(a.choice.note).toMatch(/GPU execution provider unavailable \(cuda: libonnxruntime_providers_cuda\.so: cannot open shared object file\); running on CPU/);
    const b = await createSession('y.onnx', { requested: '' }, factory, env);
    expect(b.choice.provider).toBe('cpu');
    expect(tried).toEqual(['cuda', 'cpu', 'cpu']);
  });

  // Both installs are checked, whichever this one is: CPU-only (offline `npm ci`: ONNXRUNTIME_NODE_INSTALL=skip) or with
  // the CUDA provider library (an online install), so the spec runs everywhere instead of skipping.
  it('skips CUDA without trying when its provider library is not installed (CPU-only install), tries it when it is', async () => {
    const tried: string[] = [];
    const r = await createSession('x.onnx', { requested: '' }, async (_p, o) => {
      tried.push(String(o.executionProviders?.[0]));
      return fakeSession;
    }, { platform: 'linux', supported: linuxCuda });
    if (missingProviderLibrary('cuda', 'linux') !== null) {
      expect(tried).toEqual(['cpu']);
      expect(r.choice.note).toMatch(/cuda: libonnxruntime_providers_cuda\.so is not installed.*running on CPU/);
    } else {
      expect(tried).toEqual(['cuda']);
      expect(r.choice.provider).toBe('cuda');
    }
  });

  it('probes a GPU provider once even when graphs load in parallel', async () => {
    const tried: string[] = [];
    const factory = async (_p: string, o: ort.InferenceSession.SessionOptions) => {
      const ep = String(o.executionProviders?.[0]);
      tried.push(ep);
      await new Promise((r) => setTimeout(r, 5));
      if (ep === 'cuda') throw new Error('no device');
      return fakeSession;
    };
    const env = { platform: 'linux' as const, supported: linuxCuda, checkLibrary: false };
    await Promise.all(['a', 'b', 'c'].map((p) => createSession(p, { requested: '' }, factory, env)));
    expect(tried.filter((t) => t === 'cuda')).toEqual(['cuda']);
    expect(tried.filter((t) => t === 'cpu').length).toBe(3);
  });

  it('uses the GPU provider when it loads', async () => {
    const r = await createSession('x.onnx', { requested: '' }, async () => fakeSession, { platform: 'win32', supported: win });
    expect(r.choice).toEqual({ provider: 'dml', note: 'running on the DML execution provider' });
  });

  it('says when the build offers no GPU provider at all', async () => {
    const r = await createSession('x.onnx', { requested: '' }, async () => fakeSession, { platform: 'linux', supported: [{ name: 'cpu', bundled: true }] });
    expect(r.choice.note).toMatch(/no GPU execution provider offered for linux.*running on CPU/);
  });

  it('surfaces a CPU load failure (a broken graph) as an error', async () => {
    await expect(
      createSession('x.onnx', { requested: 'cpu' }, async () => {
        throw new Error('invalid model');
      }),
    ).rejects.toThrow(/invalid model/);
  });
});
