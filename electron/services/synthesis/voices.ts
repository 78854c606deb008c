import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ServiceError } from '../../../shared/contract/rpc';
import { VOICE_FILE } from '../../../shared/contract/voice';
import { shellConfig } from '../shell/shellConfig';
import { loadVoiceBundle, type VoiceBundle } from './voiceBundle';

/**
 * Where voices live: the embedded demo voice(s) in `resources/voices/*`, voices the user exported
 * or imported in `<dataDir>/voices/*`, and a project's own `<project>/voices/*`.
 */
export type VoiceSource = 'embedded' | 'user' | 'project';

export interface VoiceListing {
  dir: string;
  source: VoiceSource;
  name: string;
  /** Null when the bundle is broken (see error). */
  bundle: VoiceBundle | null;
  error: string | null;
}

export function embeddedVoicesDir(): string {
  return process.env.FORMANT_VOICES_DIR ? path.resolve(process.env.FORMANT_VOICES_DIR) : path.join(shellConfig().resourcesDir, 'voices');
}

export function userVoicesDir(): string {
  return path.join(shellConfig().dataDir, 'voices');
}

async function bundleDirs(root: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(root, { withFileTypes: true });
  } catch {
    return [];
  }
  const dirs: string[] = [];
  for (const e of entries.filter((x) => x.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    try {
      await fs.access(path.join(root, e.name, VOICE_FILE));
      dirs.push(path.join(root, e.name));
    } catch {
      // not a voice folder
    }
  }
  return dirs;
}

export async function listVoices(opts: { projectDir?: string; extraDirs?: string[] } = {}): Promise<VoiceListing[]> {
  const roots: [string, VoiceSource][] = [[embeddedVoicesDir(), 'embedded'], [userVoicesDir(), 'user']];
  if (opts.projectDir) roots.push([path.join(opts.projectDir, 'voices'), 'project']);
  const found: [string, VoiceSource][] = [];
  for (const [root, source] of roots) for (const d of await bundleDirs(root)) found.push([d, source]);
  for (const d of opts.extraDirs ?? []) found.push([path.resolve(d), 'user']);
  const seen = new Set<string>();
  const out: VoiceListing[] = [];
  for (const [dir, source] of found) {
    if (seen.has(dir)) continue;
    seen.add(dir);
    try {
      const bundle = await loadVoiceBundle(dir);
      out.push({ dir, source, name: bundle.manifest.name, bundle, error: null });
    } catch (e) {
      out.push({ dir, source, name: path.basename(dir), bundle: null, error: (e as Error).message });
    }
  }
  return out;
}

/**
 * The voice to use when none is named: `resources/voices/demo`, else the first valid embedded
 * bundle; a clear error saying how to get one when none is installed.
 */
export async function defaultVoiceDir(): Promise<string> {
  const root = embeddedVoicesDir();
  const demo = path.join(root, 'demo');
  const candidates = [demo, ...(await bundleDirs(root)).filter((d) => d !== demo)];
  for (const d of candidates) {
    try {
      await loadVoiceBundle(d);
      return d;
    } catch {
      // try the next one
    }
  }
  throw new ServiceError(
    'no-voice',
    `no voice is installed: ${root} holds no voice bundle. Train one (\`formant train <project>\`) and export it with ` +
      `\`formant export-voice\` into ${path.join(root, 'demo')} (the embedded demo voice) or pass --voice <voice-dir>`,
  );
}
