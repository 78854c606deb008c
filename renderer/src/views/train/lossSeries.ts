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

/** The order a model's loss parts read in (FastPitch's: the mel first, then what predicts it, then the alignment's). */
const PART_ORDER = ['mel', 'mel_l1', 'duration', 'pitch', 'energy', 'align', 'bin', 'gate', 'guided_attention'];

/**
 * The latest loss parts beside the total (a step event's `losses`), e.g. FastPitch's mel, duration, pitch,
 * energy, align and bin; empty where a model logs only its total. Values to 3 significant digits.
 */
export function lossParts(losses: Record<string, number> | undefined): { name: string; value: string }[] {
  const entries = Object.entries(losses ?? {}).filter(([k, v]) => k !== 'total' && Number.isFinite(v));
  if (entries.length < 2) return [];
  const rank = (k: string) => (PART_ORDER.includes(k) ? PART_ORDER.indexOf(k) : PART_ORDER.length);
  return entries.sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)).map(([name, v]) => ({ name, value: v.toPrecision(3) }));
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

export interface Tick {
  value: number;
  /** Position along the axis, 0..1 (x: left to right; y: bottom to top). */
  at: number;
  label: string;
}

/** 1, 2 or 5 × a power of ten, the smallest at or above `raw`. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw - 1e-12 * p) ?? 10 * p;
}

function fmt(v: number, step: number): string {
  if (Math.abs(v) >= 1e4 && v % 1000 === 0) return `${v / 1000}k`;
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(Math.min(digits, 6));
}

/** Step ticks: round step counts (0, 2000, 4000 …), about `target` of them inside the plotted range. */
export function stepTicks(sc: Scale, target = 5): Tick[] {
  if (sc.maxStep === sc.minStep) return [{ value: sc.minStep, at: 0.5, label: fmt(sc.minStep, 1) }];
  const step = Math.max(1, niceStep((sc.maxStep - sc.minStep) / target));
  const out: Tick[] = [];
  for (let k = Math.ceil(sc.minStep / step); k * step <= sc.maxStep; k++) {
    const v = k * step;
    out.push({ value: v, at: (v - sc.minStep) / (sc.maxStep - sc.minStep), label: fmt(v, step) });
  }
  return out;
}

/**
 * Loss ticks on the log axis: 1-2-5 per decade where the curve spans a decade or more; otherwise round values
 * (e.g. 1.4, 1.5, 1.6) where a late, flat run sits, so the axis always carries at least two labelled values.
 */
export function lossTicks(sc: Scale, target = 4): Tick[] {
  const lo = 10 ** sc.minLog;
  const hi = 10 ** sc.maxLog;
  const at = (v: number) => (Math.log10(v) - sc.minLog) / (sc.maxLog - sc.minLog);
  let values: { v: number; step: number }[] = [];
  if (sc.maxLog - sc.minLog >= 1) {
    for (let e = Math.floor(sc.minLog); e <= Math.ceil(sc.maxLog); e++) {
      for (const m of sc.maxLog - sc.minLog > 3 ? [1] : [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) values.push({ v, step: 10 ** e });
      }
    }
  }
  if (values.length < 2) {
    const step = niceStep((hi - lo) / target);
    values = [];
    // integer multiples, not a running sum: 14 × 0.1 is exactly where 1.4 is drawn, not 1.4000000000000001
    for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi * (1 + 1e-9); k++) values.push({ v: k * step, step });
  }
  return values.map(({ v, step }) => ({ value: v, at: at(v), label: fmt(v, step) }));
}
