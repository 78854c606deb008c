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
    await expect(p.checkApiReads('dataset.import', { projectDir: project, paths: ['/etc/passwd'] }, [data])).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/^\/etc\/passwd is outside the open projects/) });
    await expect(p.checkApiReads('dataset.import', { projectDir: project, paths: [path.join(project, 'wavs'), outside] }, [data])).rejects.toMatchObject({ code: 'forbidden' });
    await expect(p.checkApiReads('align.run', { projectDir: project, audioPath: path.join(data, 'take.wav'), transcriptPath: outside }, [data])).rejects.toMatchObject({ code: 'forbidden' });
    await expect(p.checkApiReads('align.run', { projectDir: project, audioPath: path.relative(process.cwd(), outside) }, [data])).rejects.toMatchObject({ code: 'forbidden' });
    // A link inside the project that points out of it is outside.
    await fs.symlink(outside, path.join(project, 'wavs', 'link.wav'));
    await expect(p.checkApiReads('dataset.import', { projectDir: project, paths: [path.join(project, 'wavs', 'link.wav')] }, [data])).rejects.toMatchObject({ code: 'forbidden' });
    // Inside: the project (its uploads), the data folder; paths that do not exist are the method's to report.
    await p.checkApiReads('dataset.import', { projectDir: project, paths: [path.join(project, 'wavs'), path.join(data, 'take.wav'), path.join(project, 'missing.wav')] }, [data]);
    await p.checkApiReads('align.run', { projectDir: project, audioPath: path.join(project, 'wavs', 'a.wav') }, [data]);
    // Methods that read no caller-named file are not concerned.
    await p.checkApiReads('clips.update', { projectDir: '/anywhere', id: 'x' }, [data]);
  });

  it("confines the checkpoints a voice is made from (and the voice folder) to the data folder and open projects", async () => {
    const p = new AccessPolicy();
    const data = path.join(tmp, 'data');
    const t2 = path.join(data, 'checkpoints', 'tacotron2_statedict.pt');
    await p.checkApiReads('training.voiceFromCheckpoints', { tacotron2: t2, outDir: path.join(data, 'voices', 'lj') }, [data]);
    // web mode: a browser cannot upload a 100 MB checkpoint, so the advice is to copy it into the data folder
    await expect(p.checkApiReads('training.voiceFromCheckpoints', { tacotron2: t2, waveglow: outside, outDir: path.join(data, 'voices', 'lj') }, [data])).rejects.toMatchObject({
      code: 'forbidden',
      message: `${outside} is outside the open projects and the data folder; in the browser, copy the checkpoint into the data folder (${data}) and give that path`,
    });
    await expect(p.checkApiReads('training.voiceFromCheckpoints', { tacotron2: t2, outDir: '/usr/share/voices/lj' }, [data])).rejects.toMatchObject({ code: 'forbidden' });
    await expect(p.checkApiReads('training.addWaveGlow', { voiceDir: path.join(data, 'voices', 'lj'), waveglow: outside }, [data], 'drop or choose the file instead')).rejects.toMatchObject({
      message: expect.stringMatching(/data folder; drop or choose the file instead$/),
    });
    // Electron: a file chosen in the native dialog is readable
    p.grantChosen(outside);
    await p.checkApiReads('training.addWaveGlow', { voiceDir: path.join(data, 'voices', 'lj'), waveglow: outside }, [data]);
  });
});
