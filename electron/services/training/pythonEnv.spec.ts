import { checkEnv, pythonCandidates, torchAtLeast } from './pythonEnv';
import { runTrainer } from './trainerProcess';

describe('finding the trainer’s Python', () => {
  it('takes an explicit $FORMANT_PYTHON alone, else the repo .venv, then the system python3 (shell/appPaths.ts)', () => {
    expect(pythonCandidates({ FORMANT_PYTHON: '/opt/py/bin/python3' }, '/repo').map((x) => x.source)).toEqual(['env']);
    const c = pythonCandidates({}, '/repo');
    expect(c.map((x) => x.source)).toEqual(['venv', 'system']);
    expect(c[0].path).toMatch(/[\\/]repo[\\/]\.venv[\\/]/);
  });

  it('explains what is missing when there is no Python at all', async () => {
    const env = await checkEnv([{ path: '/nonexistent/python3', source: 'system' }]);
    expect(env.ok).toBe(false);
    expect(env.python).toBeNull();
    expect(env.problems[0]).toMatch(/No Python found.*setup-venv\.sh.*FORMANT_PYTHON/);
    await expect(runTrainer(['env'], { python: null })).rejects.toMatchObject({ code: 'python-missing' });
  });

  it('explains a Python without torch', async () => {
    // /bin/false stands in for an interpreter that cannot run the trainer at all.
    const env = await checkEnv([{ path: '/bin/false', source: 'env' }]);
    expect(env.ok).toBe(false);
    expect(env.problems.join(' ')).toMatch(/could not run the trainer|no PyTorch/);
  });

  it('compares torch versions', () => {
    expect(torchAtLeast('1.13.1', 1, 13)).toBe(true);
    expect(torchAtLeast('2.13.0+cpu', 1, 13)).toBe(true);
    expect(torchAtLeast('1.12.0', 1, 13)).toBe(false);
  });
});
