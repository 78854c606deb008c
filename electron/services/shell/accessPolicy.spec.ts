import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AccessPolicy, isInside } from './accessPolicy';

describe('AccessPolicy', () => {
  let tmp: string;
  let project: string;
  let outside: string;
  beforeEach(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-access-'));
    project = path.join(tmp, 'proj');
    outside = path.join(tmp, 'secret.txt');
    await fs.mkdir(path.join(project, 'wavs'), { recursive: true });
    await fs.writeFile(path.join(project, 'wavs', 'a.wav'), 'RIFF');
    await fs.writeFile(outside, 'secret');
  });
  afterEach(() => fs.rm(tmp, { recursive: true, force: true }));

  it('serves files of an opened project only', async () => {
    const p = new AccessPolicy();
    await expect(p.resolveProjectFile(project, 'wavs/a.wav')).rejects.toMatchObject({ code: 'forbidden' });
    p.grantProject(project);
    expect(await p.resolveProjectFile(project, 'wavs/a.wav')).toBe(await fs.realpath(path.join(project, 'wavs', 'a.wav')));
    expect(await p.resolveProjectFile(project + path.sep, './wavs/../wavs/a.wav')).toMatch(/a\.wav$/);
  });

  it('refuses traversal, absolute paths, NUL bytes, folders and missing files', async () => {
    const p = new AccessPolicy();
    p.grantProject(project);
    await expect(p.resolveProjectFile(project, '../secret.txt')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(p.resolveProjectFile(project, 'wavs/../../secret.txt')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(p.resolveProjectFile(project, outside)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(p.resolveProjectFile(project, 'wavs/a.wav\0')).rejects.toMatchObject({ code: 'bad-input' });
    await expect(p.resolveProjectFile(project, 'wavs')).rejects.toMatchObject({ code: 'not-found' });
    await expect(p.resolveProjectFile(project, 'wavs/b.wav')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses a symlink inside the project that points outside it', async () => {
    const p = new AccessPolicy();
    p.grantProject(project);
    await fs.symlink(outside, path.join(project, 'wavs', 'link.wav'));
    await expect(p.resolveProjectFile(project, 'wavs/link.wav')).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('allows absolute paths only under chosen folders or open projects', async () => {
    const p = new AccessPolicy();
    await expect(p.resolveAbsolute(outside)).rejects.toMatchObject({ code: 'forbidden' });
    p.grantChosen(outside);
    expect(await p.resolveAbsolute(outside)).toBe(await fs.realpath(outside));
    await expect(p.resolveAbsolute('relative/x.wav')).rejects.toMatchObject({ code: 'bad-input' });
    expect(p.allows(path.join(project, 'wavs'))).toBe(false);
    p.grantProject(project);
    expect(p.allows(path.join(project, 'wavs'))).toBe(true);
  });

  it('isInside does not confuse sibling prefixes', () => {
    expect(isInside('/a/proj', '/a/proj/x')).toBe(true);
    expect(isInside('/a/proj', '/a/proj')).toBe(true);
    expect(isInside('/a/proj', '/a/project2/x')).toBe(false);
    expect(isInside('/a/proj', '/a')).toBe(false);
  });

  it('confines the files API calls read to open projects and the given roots (web mode)', async () => {
    const p = new AccessPolicy();
    const data = path.join(tmp, 'data');
    await fs.mkdir(data);
    await fs.writeFile(path.join(data, 'take.wav'), 'RIFF');
    p.grantProject(project);
    await expect(p.checkApiPaths('dataset.import', { projectDir: project, paths: ['/etc/passwd'] }, { dataDir: data })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/^\/etc\/passwd is outside the open projects/) });
    await expect(p.checkApiPaths('dataset.import', { projectDir: project, paths: [path.join(project, 'wavs'), outside] }, { dataDir: data })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(p.checkApiPaths('align.run', { projectDir: project, audioPath: path.join(data, 'take.wav'), transcriptPath: outside }, { dataDir: data })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(p.checkApiPaths('align.run', { projectDir: project, audioPath: path.relative(process.cwd(), outside) }, { dataDir: data })).rejects.toMatchObject({ code: 'forbidden' });
    // A link inside the project that points out of it is outside.
    await fs.symlink(outside, path.join(project, 'wavs', 'link.wav'));
    await expect(p.checkApiPaths('dataset.import', { projectDir: project, paths: [path.join(project, 'wavs', 'link.wav')] }, { dataDir: data })).rejects.toMatchObject({ code: 'forbidden' });
    // Inside: the project (its uploads), the data folder; paths that do not exist are the method's to report.
    await p.checkApiPaths('dataset.import', { projectDir: project, paths: [path.join(project, 'wavs'), path.join(data, 'take.wav'), path.join(project, 'missing.wav')] }, { dataDir: data });
    await p.checkApiPaths('align.run', { projectDir: project, audioPath: path.join(project, 'wavs', 'a.wav') }, { dataDir: data });
    // Methods that read no caller-named file are not concerned.
    await p.checkApiPaths('clips.update', { projectDir: '/anywhere', id: 'x' }, { dataDir: data });
  });

  it("confines the checkpoints a voice is made from (and the voice folder) to the data folder and open projects", async () => {
    const p = new AccessPolicy();
    const data = path.join(tmp, 'data');
    const t2 = path.join(data, 'checkpoints', 'tacotron2_statedict.pt');
    await p.checkApiPaths('training.voiceFromCheckpoints', { tacotron2: t2, outDir: path.join(data, 'voices', 'lj') }, { dataDir: data });
    // web mode: a browser cannot upload a 100 MB checkpoint, so the advice is to copy it into the data folder
    await expect(p.checkApiPaths('training.voiceFromCheckpoints', { tacotron2: t2, waveglow: outside, outDir: path.join(data, 'voices', 'lj') }, { dataDir: data })).rejects.toMatchObject({
      code: 'forbidden',
      message: `${outside} is outside the open projects and the data folder; in the browser, copy the checkpoint into the data folder (${data}) and give that path`,
    });
    await expect(p.checkApiPaths('training.voiceFromCheckpoints', { tacotron2: t2, outDir: '/usr/share/voices/lj' }, { dataDir: data })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(p.checkApiPaths('training.addWaveGlow', { voiceDir: path.join(data, 'voices', 'lj'), waveglow: outside }, { dataDir: data }, 'drop or choose the file instead')).rejects.toMatchObject({
      message: expect.stringMatching(/data folder; drop or choose the file instead$/),
    });
    // Electron: a file chosen in the native dialog is readable
    p.grantChosen(outside);
    await p.checkApiPaths('training.addWaveGlow', { voiceDir: path.join(data, 'voices', 'lj'), waveglow: outside }, { dataDir: data });
  });
  it('confines training and synthesis paths: reads to the projects, their exports, the data folder and the shipped voices; writes to the projects, their exports and the data folder', async () => {
    const p = new AccessPolicy();
    const data = path.join(tmp, 'data');
    const voices = path.join(tmp, 'resources', 'voices');
    const roots = { dataDir: data, readOnly: [voices] };
    const refused = (method: string, input: object, r = roots) => expect(p.checkApiPaths(method, input, r)).rejects.toMatchObject({ code: 'forbidden' });
    p.grantProject(project);
    const exported = `${project}-ljspeech`; // the export folder the app offers, beside the project
    const elsewhere = path.join(tmp, 'elsewhere');

    // training: the run folder is written, the dataset (and a config file, a warm start, GTA mels) read
    await p.checkApiPaths('training.start', { datasetDir: exported, runDir: path.join(project, 'runs', 'voice'), config: 'tiny' }, roots);
    await p.checkApiPaths('training.start', { datasetDir: path.join(data, 'lj'), runDir: path.join(data, 'runs', 'a'), config: path.join(data, 'my.json'), warmStart: path.join(voices, 'demo-training', 'fastpitch.pt') }, roots);
    await expect(p.checkApiPaths('training.start', { datasetDir: exported, runDir: path.join(elsewhere, 'run') }, roots)).rejects.toMatchObject({
      code: 'forbidden',
      message: `${path.join(elsewhere, 'run')} is outside the open projects and the data folder, where the app writes; in the browser, give a path inside an open project or the data folder (${data})`,
    });
    await refused('training.start', { datasetDir: '/etc', runDir: path.join(data, 'runs', 'a') });
    await refused('training.start', { datasetDir: exported, runDir: path.join(data, 'runs', 'a'), config: '/etc/passwd' });
    await refused('training.start', { datasetDir: exported, runDir: path.join(data, 'runs', 'a'), gtaDir: elsewhere });
    await refused('training.resume', { runDir: path.join(elsewhere, 'run') });
    await refused('training.datasetFit', { datasetDir: '/etc' });
    // in the browser a dataset folder is not uploaded: the refusal says where to put it
    await expect(p.checkApiPaths('training.datasetFit', { datasetDir: path.join(elsewhere, 'lj') }, roots)).rejects.toMatchObject({
      message: `${path.join(elsewhere, 'lj')} is outside the open projects and the data folder; in the browser, give a path inside an open project or the data folder (${data}): copy a dataset or checkpoint from elsewhere there`,
    });
    await refused('training.summary', { runDir: '/var/log' });
    await refused('training.checkpoints', { runDir: '/var/log' });
    await refused('training.sampleAudio', { runDir: path.join(voices, 'demo'), step: 1 }); // shipped: read-only
    await refused('training.exportVoice', { runDir: path.join(project, 'runs', 'voice'), outDir: path.join(elsewhere, 'voice') });
    await p.checkApiPaths('training.exportVoice', { runDir: path.join(project, 'runs', 'voice'), outDir: path.join(data, 'voices', 'mine') }, roots);
    await refused('training.addWaveGlow', { voiceDir: path.join(voices, 'demo'), waveglow: path.join(data, 'wg.pt') }); // never changes a shipped voice

    // synthesis: a voice (shipped, the user's, a project's) is read; the WAV is written only where the app writes
    await p.checkApiPaths('synthesis.synthesize', { text: 'Hi.', voiceDir: path.join(voices, 'demo'), outPath: path.join(data, 'out.wav') }, roots);
    await p.checkApiPaths('synthesis.audition', { text: 'Hi.', voiceDir: path.join(project, 'voices', 'v'), waveglowFromDir: path.join(data, 'voices', 'w') }, roots);
    await refused('synthesis.synthesize', { text: 'Hi.', voiceDir: elsewhere });
    await refused('synthesis.synthesize', { text: 'Hi.', outPath: path.join(os.homedir(), '.bashrc') });
    await refused('synthesis.synthesize', { text: 'Hi.', outPath: path.join(voices, 'demo', 'x.wav') });
    await refused('synthesis.audition', { text: 'Hi.', waveglowFromDir: elsewhere });
    await refused('synthesis.saveWav', { wavBase64: 'UklGRg==', outPath: path.join(os.homedir(), '.bashrc') });
    await p.checkApiPaths('synthesis.saveWav', { wavBase64: 'UklGRg==', outPath: path.join(project, 'take.wav') }, roots);

    // export: into the data folder or the project's export folder, nowhere else
    await p.checkApiPaths('dataset.export', { projectDir: project, outDir: exported }, roots);
    await p.checkApiPaths('dataset.export', { projectDir: project, outDir: path.join(data, 'exports', 'second') }, roots);
    await refused('dataset.export', { projectDir: project, outDir: elsewhere });
    await refused('dataset.export', { projectDir: project, outDir: `${project}-other` });

    // a folder that does not exist yet, under a link that points out of the data folder, is outside
    await fs.mkdir(data, { recursive: true });
    await fs.mkdir(elsewhere, { recursive: true });
    await fs.symlink(elsewhere, path.join(data, 'link'));
    await refused('training.start', { datasetDir: exported, runDir: path.join(data, 'link', 'runs', 'new') });
    await refused('synthesis.saveWav', { wavBase64: 'UklGRg==', outPath: path.join(data, 'link', 'x.wav') });

    // Electron: a folder chosen in the native dialog may be written, with Electron's advice otherwise
    await expect(p.checkApiPaths('training.start', { datasetDir: exported, runDir: path.join(elsewhere, 'run') }, roots, 'drop or choose the file instead')).rejects.toMatchObject({
      message: expect.stringMatching(/where the app writes; choose the folder in the dialog instead$/),
    });
    p.grantChosen(elsewhere);
    await p.checkApiPaths('training.start', { datasetDir: exported, runDir: path.join(elsewhere, 'run') }, roots);
  });
});
