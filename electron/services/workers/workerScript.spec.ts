import path from 'node:path';
import { locateWorkerScript } from './workerScript';

const spec = { here: '/app/out/main', built: 'synthesisWorker.js', dev: 'workerEntry.mjs', env: 'FORMANT_SYNTH_WORKER' };
const existing = (...files: string[]) => (p: string) => files.includes(p);

describe('locateWorkerScript', () => {
  it('prefers the environment override, resolved to an absolute path', () => {
    expect(locateWorkerScript(spec, { FORMANT_SYNTH_WORKER: 'w.js' }, existing('/app/out/main/synthesisWorker.js'))).toEqual({ path: path.resolve('w.js'), from: 'env' });
  });
  it('finds the compiled entry next to the bundle, or one folder up from a chunk folder', () => {
    expect(locateWorkerScript(spec, {}, existing('/app/out/main/synthesisWorker.js', '/app/out/main/workerEntry.mjs'))).toEqual({ path: '/app/out/main/synthesisWorker.js', from: 'built' });
    expect(locateWorkerScript({ ...spec, here: '/app/out/main/chunks' }, {}, existing('/app/out/main/synthesisWorker.js'))).toEqual({ path: '/app/out/main/synthesisWorker.js', from: 'built' });
  });
  it('falls back to the tsx bootstrap beside the sources, and to null when there is neither', () => {
    const src = { ...spec, here: '/repo/electron/services/synthesis' };
    expect(locateWorkerScript(src, {}, existing('/repo/electron/services/synthesis/workerEntry.mjs'))).toEqual({ path: '/repo/electron/services/synthesis/workerEntry.mjs', from: 'dev' });
    expect(locateWorkerScript(spec, {}, existing())).toBeNull();
  });
  it('finds both real worker entries from the sources', async () => {
    const { griffinLimWorkerScript } = await import('./griffinLimThreads');
    const { workerScript } = await import('../synthesis/workerClient');
    expect(griffinLimWorkerScript()).toMatchObject({ from: 'dev', path: expect.stringMatching(/griffinLimWorkerDev\.mjs$/) });
    expect(workerScript()).toMatch(/workerEntry\.mjs$/);
  });
});
