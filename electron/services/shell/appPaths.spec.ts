import { existsSync } from 'node:fs';
import path from 'node:path';
import { findCheckoutRoot, findPython, findResourcesDir, pythonCandidates } from './appPaths';
import { noPythonReason } from '../training/pythonEnv';
import { trainerDir } from '../training/trainerPaths';

const repo = path.resolve(import.meta.dirname, '..', '..', '..');

/** A file tree as a set of paths that exist (folders included). */
function tree(...paths: string[]) {
  const all = new Set<string>();
  for (const p of paths) for (let d = path.resolve(p); !all.has(d) && path.dirname(d) !== d; d = path.dirname(d)) all.add(d);
  return (p: string) => all.has(path.resolve(p));
}

describe('where the resources are', () => {
  const checkout = tree('/src/formant/package.json', '/src/formant/resources/trainer/formant_trainer/__init__.py', '/src/formant/out/main/index.js', '/src/formant/test-output/electron-vite-build/main/index.js');

  it('finds the checkout from the sources, the electron-vite build and a build in test-output alike', () => {
    for (const from of ['/src/formant/electron/services/shell', '/src/formant/out/main', '/src/formant/test-output/electron-vite-build/main']) {
      expect(findResourcesDir({ from, exists: checkout })).toBe('/src/formant/resources');
    }
    expect(findCheckoutRoot('/elsewhere/out/main', checkout)).toBeNull();
  });

  it('uses a packaged app’s resourcesPath (extraResources: trainer/, voices/, demo/), even inside a checkout', () => {
    const packaged = tree('/opt/Formant/resources/app.asar/package.json', '/opt/Formant/resources/trainer/formant_trainer/__init__.py');
    expect(findResourcesDir({ from: '/opt/Formant/resources/app.asar/out/main', resourcesPath: '/opt/Formant/resources', exists: packaged })).toBe('/opt/Formant/resources');
    const unpacked = tree('/src/formant/package.json', '/src/formant/resources/trainer/x', '/src/formant/release/linux-unpacked/resources/trainer/x');
    expect(findResourcesDir({ from: '/src/formant/release/linux-unpacked/resources/app.asar/out/main', resourcesPath: '/src/formant/release/linux-unpacked/resources', exists: unpacked })).toBe(
      '/src/formant/release/linux-unpacked/resources',
    );
  });

  it('ignores a development Electron’s own resourcesPath (no trainer in it)', () => {
    expect(findResourcesDir({ from: '/src/formant/out/main', resourcesPath: '/src/formant/node_modules/electron/dist/resources', exists: checkout })).toBe('/src/formant/resources');
  });

  it('resolves this checkout’s trainer from the sources', () => {
    expect(findResourcesDir()).toBe(path.join(repo, 'resources'));
    expect(trainerDir()).toBe(path.join(repo, 'resources', 'trainer'));
    expect(existsSync(path.join(trainerDir(), 'formant_trainer', 'train.py'))).toBe(true);
  });

  it('packages the trainer with the app (electron-builder.yml extraResources)', async () => {
    const yml = await import('node:fs/promises').then((fs) => fs.readFile(path.join(repo, 'electron-builder.yml'), 'utf8'));
    for (const dir of ['trainer', 'voices', 'demo']) expect(yml).toMatch(new RegExp(`from: resources/${dir}\\s+to: ${dir}\\b`));
  });
});

describe('which Python runs the trainer', () => {
  it('an explicit FORMANT_PYTHON always wins, and alone', () => {
    expect(pythonCandidates({ FORMANT_PYTHON: '/opt/py/bin/python3' }, '/repo', 'linux')).toEqual([{ path: '/opt/py/bin/python3', source: 'env' }]);
  });

  it('else the checkout’s .venv, then the system python3', () => {
    expect(pythonCandidates({}, '/repo', 'linux')).toEqual([
      { path: '/repo/.venv/bin/python', source: 'venv' },
      { path: '/usr/bin/python3', source: 'system' },
    ]);
    expect(pythonCandidates({}, 'C:\\repo', 'win32').map((c) => c.source)).toEqual(['venv', 'system']);
    expect(pythonCandidates({}, null, 'linux')).toEqual([{ path: '/usr/bin/python3', source: 'system' }]); // packaged
  });

  it('a FORMANT_PYTHON that is not there is named, not replaced by another interpreter', () => {
    const c = pythonCandidates({ FORMANT_PYTHON: '/nonexistent/python3' }, '/repo', 'linux');
    expect(findPython(c, () => false)).toBeNull();
    expect(noPythonReason(c)).toBe('FORMANT_PYTHON is set to /nonexistent/python3, which does not exist');
  });

  it('takes the first that exists', () => {
    const c = pythonCandidates({}, '/repo', 'linux');
    expect(findPython(c, (p) => p === '/usr/bin/python3')?.source).toBe('system');
    expect(findPython(c, () => true)?.source).toBe('venv');
  });
});
