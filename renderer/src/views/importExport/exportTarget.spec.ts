import { defaultExportDir, rememberExport, trainingDatasetDir } from './exportTarget';

function memory() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
}

describe('export target shared by Export and Train', () => {
  it('proposes the folder beside the project', () => {
    expect(defaultExportDir('/p/My voice/')).toBe('/p/My voice-ljspeech');
  });
  it('Train reads the default until an export is made, then that export, per project', () => {
    const s = memory();
    expect(trainingDatasetDir('/p/a', s)).toBe('/p/a-ljspeech');
    rememberExport('/p/a', '/elsewhere/a-data', s);
    rememberExport('/p/b', '/elsewhere/b-data', s);
    expect(trainingDatasetDir('/p/a', s)).toBe('/elsewhere/a-data');
    expect(trainingDatasetDir('/p/b', s)).toBe('/elsewhere/b-data');
    expect(trainingDatasetDir('/p/c', s)).toBe('/p/c-ljspeech');
  });
  it('survives unreadable storage', () => {
    const s = memory();
    s.setItem('formant.lastExport', '{not json');
    expect(trainingDatasetDir('/p/a', s)).toBe('/p/a-ljspeech');
    rememberExport('/p/a', '/x', s);
    expect(trainingDatasetDir('/p/a', s)).toBe('/x');
  });
});
