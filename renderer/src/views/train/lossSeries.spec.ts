import { addEvent, downsample, emptySeries, projectRelative, scaleOf, svgPath } from './lossSeries';

describe('loss series', () => {
  it('collects step and validation losses and replaces a re-logged tail after resume', () => {
    let s = emptySeries();
    for (const [st, l] of [[1, 10], [2, 5], [3, 2.5]]) s = addEvent(s, { event: 'step', step: st, loss: l });
    s = addEvent(s, { event: 'validation', step: 3, loss: 3 });
    s = addEvent(s, { event: 'checkpoint', step: 3 });
    s = addEvent(s, { event: 'step', step: 3, loss: 2.4 }); // resumed from step 2's checkpoint
    expect(s.train).toEqual([[1, 10], [2, 5], [3, 2.4]]);
    expect(s.validation).toEqual([[3, 3]]);
  });

  it('downsamples keeping the ends', () => {
    const pts = Array.from({ length: 1000 }, (_, i) => [i + 1, 1000 - i] as [number, number]);
    const d = downsample(pts, 100);
    expect(d).toHaveLength(100);
    expect(d[0]).toEqual([1, 1000]);
    expect(d[99]).toEqual([1000, 1]);
  });

  it('draws losses on a log scale', () => {
    const s = { train: [[0, 100], [10, 1]] as [number, number][], validation: [] };
    const sc = scaleOf(s)!;
    expect(svgPath(s.train, sc, 100, 50)).toBe('M0.0,0.0 L100.0,50.0');
    expect(scaleOf(emptySeries())).toBeNull();
  });

  it('maps plots inside the project to project-relative paths', () => {
    expect(projectRelative('/p/proj', '/p/proj/runs/v/plots/a.png')).toBe('runs/v/plots/a.png');
    expect(projectRelative('/p/proj/', '/elsewhere/a.png')).toBeNull();
  });
});
