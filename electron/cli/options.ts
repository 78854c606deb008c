import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ServiceError } from '../../shared/contract/rpc';

/**
 * Parsing and checking of command-line option values, shared by every command: a value that is not
 * what the option takes is refused with one line naming the option, the accepted range and what was
 * given (exit code 2), never silently replaced by a default or passed on unbounded.
 * The parsers are commander argParsers: `.option('--jobs <n>', '…', integerOption('--jobs', 1, 32), 2)`.
 */

function usage(message: string): ServiceError {
  return new ServiceError('bad-input', message);
}

/** A decimal number as people type it ("2", "0.5", "-3", "1e3"); NaN for anything else ("", "abc", "2x"). */
function toNumber(v: string): number {
  return v.trim() === '' ? NaN : Number(v);
}

/** A whole number from `min` to `max` (inclusive). */
export function integerOption(flag: string, min: number, max: number): (v: string) => number {
  return (v) => {
    const n = toNumber(v);
    if (!Number.isInteger(n) || n < min || n > max) throw usage(`${flag} must be a whole number from ${min} to ${max} (got "${v}")`);
    return n;
  };
}

/**
 * A number within bounds; `above` is an exclusive lower bound (for "more than 0"), `min`/`max` inclusive.
 * `what` says in words what the number is, for the message.
 */
export function numberOption(flag: string, bounds: { min?: number; above?: number; max?: number; what?: string }): (v: string) => number {
  const range =
    bounds.min != null && bounds.max != null
      ? `from ${bounds.min} to ${bounds.max}`
      : [bounds.above != null ? `above ${bounds.above}` : bounds.min != null ? `at least ${bounds.min}` : '', bounds.max != null ? `at most ${bounds.max}` : ''].filter(Boolean).join(' and ');
  return (v) => {
    const n = toNumber(v);
    const ok = Number.isFinite(n) && (bounds.above == null || n > bounds.above) && (bounds.min == null || n >= bounds.min) && (bounds.max == null || n <= bounds.max);
    if (!ok) throw usage(`${flag} must be ${bounds.what ?? 'a number'}${range ? ` ${range}` : ''} (got "${v}")`);
    return n;
  };
}

/** A seed: a whole number from 0 to 2³²−1 (what every seeded generator here takes). */
export const seedOption = (flag = '--seed') => integerOption(flag, 0, 2 ** 32 - 1);

/**
 * A file the command will write (`-o out.wav`): refused when it names a folder or lies inside a file,
 * before any work is done (so an hour of synthesis is not lost to a typo).
 */
export async function checkOutputFile(flag: string, file: string, example = 'out.wav'): Promise<void> {
  const st = await statOrNull(file);
  if (st?.isDirectory()) throw usage(`${flag} ${file} is a folder; name the file to write, e.g. ${path.join(file, example)}`);
  const parent = await firstExisting(path.dirname(path.resolve(file)));
  if (parent && !parent.stat.isDirectory()) throw usage(`${flag} ${file}: ${parent.path} is a file, not a folder`);
}

/** A folder the command will write into (`--out <dir>`): refused when it is a file or lies inside one. */
export async function checkOutputFolder(flag: string, dir: string): Promise<void> {
  const found = await firstExisting(path.resolve(dir));
  if (found && !found.stat.isDirectory()) throw usage(`${flag} ${dir}: ${found.path} is a file, not a folder`);
}

async function statOrNull(p: string) {
  try {
    return await fs.stat(p);
  } catch {
    return null;
  }
}

/** The path itself or its nearest ancestor that exists, with its stat (null when none can be read). */
async function firstExisting(p: string): Promise<{ path: string; stat: import('node:fs').Stats } | null> {
  for (let cur = p; ; cur = path.dirname(cur)) {
    const st = await statOrNull(cur);
    if (st) return { path: cur, stat: st };
    if (path.dirname(cur) === cur) return null;
  }
}
