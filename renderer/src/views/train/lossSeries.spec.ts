import { addEvent, downsample, emptySeries, lossParts, lossTicks, projectRelative, scaleOf, stepTicks, svgPath } from './lossSeries';

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

  it('lists the latest loss parts beside the total: FastPitch’s mel first, then its predictors and alignment', () => {
    const fp = { total: 5.9155, bin: 2.1634, align: 3.1698, energy: 1.3081, pitch: 1.1474, duration: 3.9288, mel: 2.1073 };
    expect(lossParts(fp)).toEqual([
      { name: 'mel', value: '2.11' },
      { name: 'duration', value: '3.93' },
      { name: 'pitch', value: '1.15' },
      { name: 'energy', value: '1.31' },
      { name: 'align', value: '3.17' },
      { name: 'bin', value: '2.16' },
    ]);
    expect(lossParts({ total: 1.2, guided_attention: 0.01, gate: 0.2, mel: 1 }).map((p) => p.name)).toEqual(['mel', 'gate', 'guided_attention']);
    expect(lossParts({ total: 3 })).toEqual([]); // WaveGlow: only its total
    expect(lossParts(undefined)).toEqual([]);
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

  it('labels the axes with round values where the curve lies', () => {
    // a long run that fell two decades: 1-2-5 per decade, steps in thousands
    const wide = scaleOf({ train: [[0, 50], [8200, 0.4]], validation: [] })!;
    expect(lossTicks(wide).map((t) => t.label)).toEqual(['0.5', '1', '2', '5', '10', '20', '50']);
    expect(stepTicks(wide).map((t) => t.label)).toEqual(['0', '2000', '4000', '6000', '8000']);
    // a late, flat stretch (1.39 … 1.72): round values inside it, never an empty axis
    const flat = scaleOf({ train: [[800, 1.72], [8200, 1.39]], validation: [[8000, 1.65]] })!;
    const t = lossTicks(flat);
    expect(t.map((x) => x.label)).toEqual(['1.4', '1.5', '1.6', '1.7']);
    for (const x of [...t, ...stepTicks(flat)]) {
      expect(x.at).toBeGreaterThanOrEqual(0);
      expect(x.at).toBeLessThanOrEqual(1);
    }
    // ticks sit where the curve draws that value
    const h = 200;
    const y14 = h - t[0].at * h;
    expect(svgPath([[800, 1.4]], flat, 600, h)).toBe(`M0.0,${y14.toFixed(1)}`);
    expect(stepTicks(flat)[0]).toMatchObject({ value: 2000, label: '2000' });
    // one point: one centred step tick, still two loss labels
    const one = scaleOf({ train: [[5, 2]], validation: [] })!;
    expect(stepTicks(one)).toEqual([{ value: 5, at: 0.5, label: '5' }]);
    expect(lossTicks(one).length).toBeGreaterThanOrEqual(2);
  });

  it('maps plots inside the project to project-relative paths', () => {
    expect(projectRelative('/p/proj', '/p/proj/runs/v/plots/a.png')).toBe('runs/v/plots/a.png');
    expect(projectRelative('/p/proj/', '/elsewhere/a.png')).toBeNull();
  });
});
