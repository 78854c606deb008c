import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../../shared/contract/index';
import { loadManifest } from '../projectStore';
import { projectAlignmentReport } from './alignmentReport';
import { exportedProject, hasTorch, trainedReport } from './testing/alignmentReportFixture';

/**
 * The duration model's alignment report linked back to a project's clips: a real report (the Python trainer on the
 * project's own export) maps its flagged id onto the right clip; reports of runs on another project's export (same
 * clip ids!), on a hand-made dataset, or torn/corrupt files are left out with a reason, never a crash.
 */
describe.skipIf(!hasTorch())('alignment report of a project', () => {
  let root: string;
  let project: string;
  let other: string;
  let exportDir: string;
  let realReport: string;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-align-report-'));
    project = path.join(root, 'project');
    other = path.join(root, 'other');
    exportDir = await exportedProject(project, 5, root);
    await exportedProject(other, 5, root); // the same ids take1…take5, another project
    // A run outside the project (opened in the Train view this session): the trainer's own report on our export.
    realReport = await trainedReport(exportDir, path.join(root, 'elsewhere', 'run'), 'take3');
  }, 240_000);
  afterAll(async () => {
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  const outsideRun = () => path.join(root, 'elsewhere', 'run');

  it('maps the flagged id of a real trainer report to the project clip of that id', async () => {
    const r = await projectAlignmentReport(project, [outsideRun()]);
    expect(r.ignored).toEqual([]);
    expect(r.report).toMatchObject({ runDir: outsideRun(), model: 'fastpitch', step: 2, settled: true, flagged: ['take3'], datasetDir: exportDir });
    const m = await loadManifest(project);
    // every exported clip was measured, under its project id
    expect(Object.keys(r.report!.clips).sort()).toEqual(m.clips.map((c) => c.id).sort());
    const flaggedClips = m.clips.filter((c) => r.report!.clips[c.id]?.flagged);
    expect(flaggedClips.map((c) => [c.id, c.text])).toEqual([['take3', 'Take number 3.']]);
    expect(r.report!.clips.take1).toMatchObject({ flagged: false });
    expect(r.report!.clips.take1.loss).toBeGreaterThan(0);
    // the API contract accepts what the service answers
    expect(api['dataset.alignmentReport'].output.parse(r)).toEqual(r);
    // without the session's grant, the outside run is unknown: no report, no flags
    expect(await projectAlignmentReport(project)).toEqual({ report: null, ignored: [] });
  });

  it("ignores a run on another project's export, even with the same clip ids and a newer report", async () => {
    const foreign = path.join(project, 'runs', 'foreign');
    await fs.mkdir(foreign, { recursive: true });
    await fs.writeFile(path.join(foreign, 'run.json'), JSON.stringify({ dataset: `${other}-ljspeech` }));
    const text = (await fs.readFile(realReport, 'utf8')).replace(/"take3"/g, '"take1"');
    await fs.writeFile(path.join(foreign, 'alignment_report.json'), text);
    // the same report on a dataset not exported by the app
    const handMade = path.join(project, 'runs', 'hand-made');
    await fs.mkdir(path.join(root, 'hand-ds'), { recursive: true });
    await fs.mkdir(handMade, { recursive: true });
    await fs.writeFile(path.join(handMade, 'run.json'), JSON.stringify({ dataset: path.join(root, 'hand-ds') }));
    await fs.writeFile(path.join(handMade, 'alignment_report.json'), text);

    const r = await projectAlignmentReport(project, [outsideRun()]);
    expect(r.report?.runDir).toBe(outsideRun());
    expect(r.report?.flagged).toEqual(['take3']);
    expect(r.ignored.map((i) => [path.basename(path.dirname(i.path)), i.reason.split(' (')[0]]).sort()).toEqual([
      ['foreign', 'it trained on the export of another project'],
      ['hand-made', `its dataset ${path.join(root, 'hand-ds')} was not exported by Formant Studio`],
    ]);
    // and alone, it gives no flags at all
    expect((await projectAlignmentReport(project)).report).toBeNull();
    await fs.rm(foreign, { recursive: true });
    await fs.rm(handMade, { recursive: true });
  });

  it('ignores corrupt, torn and foreign-format report files of runs on this export; a still-forming report loses to a settled one', async () => {
    const write = async (name: string, body: string) => {
      const dir = path.join(project, 'runs', name);
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(path.join(dir, 'run.json'), JSON.stringify({ dataset: exportDir }));
      await fs.writeFile(path.join(dir, 'alignment_report.json'), body);
      return dir;
    };
    const real = JSON.parse(await fs.readFile(realReport, 'utf8'));
    await write('torn', (await fs.readFile(realReport, 'utf8')).slice(0, 120));
    await write('not-a-report', JSON.stringify({ ...real, format: 'something-else' }));
    await write('bad-clips', JSON.stringify({ ...real, clips: [{ id: 'take1', loss: 'high' }] }));
    await write('empty', '');
    const forming = await write('forming', JSON.stringify({ ...real, settled: false, step: 9, flagged: ['take1'], clips: real.clips.map((c: { id: string }) => ({ ...c, flagged: c.id === 'take1' })) }));

    const r = await projectAlignmentReport(project, [outsideRun()]);
    expect(r.report?.runDir).toBe(outsideRun()); // settled beats the newer, still-forming one
    expect(r.report?.flagged).toEqual(['take3']);
    expect(r.ignored.map((i) => path.basename(path.dirname(i.path))).sort()).toEqual(['bad-clips', 'empty', 'not-a-report', 'torn']);
    expect(r.ignored.find((i) => i.path.includes('torn'))?.reason).toMatch(/^not readable JSON/);

    // alone, the forming report is the one shown, and flags nothing (its own flags are not trusted yet)
    const alone = await projectAlignmentReport(project);
    expect(alone.report).toMatchObject({ runDir: forming, settled: false, step: 9, flagged: [] });
    expect(alone.report!.clips.take1.flagged).toBe(false);
  });

  it('a project without runs has no report and nothing ignored', async () => {
    expect(await projectAlignmentReport(other)).toEqual({ report: null, ignored: [] });
    expect(await projectAlignmentReport(path.join(root, 'no-such-project'))).toEqual({ report: null, ignored: [] });
  });
});
