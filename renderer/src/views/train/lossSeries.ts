/**
 * Loss curves for the Train view: trainer events (or a run summary) → series, and series → an SVG path.
 * Pure, so the plot logic is tested without a DOM.
 */
export type Point = [step: number, loss: number];

export interface LossSeries {
  train: Point[];
  validation: Point[];
}

export const emptySeries = (): LossSeries => ({ train: [], validation: [] });

/** Adds one trainer event; steps that go back (a resumed run re-logging) replace the tail. */
export function addEvent(s: LossSeries, e: { event?: string; step?: number; loss?: number }): LossSeries {
  if (typeof e.step !== 'number' || typeof e.loss !== 'number' || !Number.isFinite(e.loss)) return s;
  const key = e.event === 'step' ? 'train' : e.event === 'validation' ? 'validation' : null;
  if (!key) return s;
  const cur = s[key];
  const kept = cur.length && cur[cur.length - 1][0] >= e.step ? cur.filter(([st]) => st < e.step!) : cur;
  return { ...s, [key]: [...kept, [e.step, e.loss] as Point] };
}

/** At most `max` points, keeping the first and last and the shape (bucket means). */
export function downsample(points: Point[], max: number): Point[] {
  if (points.length <= max) return points;
  const out: Point[] = [];
  const size = points.length / max;
  for (let b = 0; b < max; b++) {
    const chunk = points.slice(Math.floor(b * size), Math.max(Math.floor((b + 1) * size), Math.floor(b * size) + 1));
    out.push([chunk[chunk.length - 1][0], chunk.reduce((a, p) => a + p[1], 0) / chunk.length]);
  }
  out[0] = points[0];
  out[out.length - 1] = points[points.length - 1];
  return out;
}

export interface Scale {
  minStep: number;
  maxStep: number;
  minLog: number;
  maxLog: number;
}

/** One scale for both series: steps linear, loss logarithmic (losses fall by orders of magnitude). */
export function scaleOf(s: LossSeries): Scale | null {
  const all = [...s.train, ...s.validation].filter(([, l]) => l > 0);
  if (!all.length) return null;
  const steps = all.map(([st]) => st);
  const logs = all.map(([, l]) => Math.log10(l));
  const minLog = Math.min(...logs);
  const maxLog = Math.max(...logs);
  return { minStep: Math.min(...steps), maxStep: Math.max(...steps), minLog: minLog === maxLog ? minLog - 0.5 : minLog, maxLog: minLog === maxLog ? maxLog + 0.5 : maxLog };
}

export function svgPath(points: Point[], sc: Scale, width: number, height: number): string {
  const x = (st: number) => (sc.maxStep === sc.minStep ? width / 2 : ((st - sc.minStep) / (sc.maxStep - sc.minStep)) * width);
  const y = (l: number) => height - ((Math.log10(l) - sc.minLog) / (sc.maxLog - sc.minLog)) * height;
  return points
    .filter(([, l]) => l > 0)
    .map(([st, l], i) => `${i ? 'L' : 'M'}${x(st).toFixed(1)},${y(l).toFixed(1)}`)
    .join(' ');
}

/** A project-relative path for mediaUrl, or null when the file lies outside the project. */
export function projectRelative(projectDir: string, file: string | null): string | null {
  if (!file) return null;
  const root = projectDir.replace(/[\\/]+$/, '');
  const norm = file.replace(/\\/g, '/');
  const r = root.replace(/\\/g, '/');
  return norm.startsWith(r + '/') ? norm.slice(r.length + 1) : null;
}
