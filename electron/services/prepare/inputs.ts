import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type MetadataEntry, parseMetadataCsv } from './ljspeechMetadata';

/**
 * What `formant import <file-or-folder>...` was given, expanded into audio files (sorted, so a
 * batch is processed in a stable order) plus the LJSpeech metadata.csv files found in the folders.
 * Files named explicitly are always tried (an unknown extension gets ffmpeg's verdict); inside
 * folders only known audio extensions are taken, hidden folders and the project itself are skipped.
 */

export const AUDIO_EXTENSIONS = new Set([
  '.wav', '.wave', '.mp3', '.flac', '.ogg', '.oga', '.opus', '.m4a', '.aac', '.mp4', '.wma', '.aif', '.aiff', '.aifc',
  '.caf', '.webm', '.mka', '.amr', '.au', '.snd', '.w64', '.3gp',
]);

export interface InputFile {
  path: string;
  /** metadata.csv that describes this file (same folder, or the parent of a `wavs/` folder). */
  metadata: Map<string, MetadataEntry> | null;
}

export interface ExpandedInputs {
  files: InputFile[];
  /** Paths that do not exist or cannot be read. */
  missing: { path: string; error: string }[];
  warnings: string[];
}

export async function expandInputs(inputs: string[], projectDir: string): Promise<ExpandedInputs> {
  const project = path.resolve(projectDir);
  const found: string[] = [];
  const missing: ExpandedInputs['missing'] = [];
  const warnings: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    if (path.resolve(dir) === project) return;
    const entries = await fs.readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && AUDIO_EXTENSIONS.has(path.extname(e.name).toLowerCase())) found.push(p);
    }
  };
  for (const input of inputs) {
    let st;
    try {
      st = await fs.stat(input);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      missing.push({ path: input, error: code === 'ENOENT' ? 'no such file or folder' : `cannot read it (${code})` });
      continue;
    }
    if (st.isDirectory()) await walk(input);
    else found.push(input);
  }
  const unique = [...new Set(found.map((f) => path.resolve(f)))].sort();

  const metadataCache = new Map<string, Map<string, MetadataEntry> | null>();
  const metadataFor = async (dir: string): Promise<Map<string, MetadataEntry> | null> => {
    if (metadataCache.has(dir)) return metadataCache.get(dir)!;
    let result: Map<string, MetadataEntry> | null;
    try {
      const bytes = await fs.readFile(path.join(dir, 'metadata.csv'));
      const parsed = parseMetadataCsv(bytes, path.join(path.basename(dir), 'metadata.csv'));
      warnings.push(...parsed.warnings);
      result = parsed.entries;
    } catch {
      result = null;
    }
    metadataCache.set(dir, result);
    return result;
  };
  const files: InputFile[] = [];
  for (const f of unique) {
    const dir = path.dirname(f);
    const stem = path.basename(f, path.extname(f));
    let metadata = await metadataFor(dir);
    if (!metadata?.has(stem)) {
      const parent = await metadataFor(path.dirname(dir));
      if (parent?.has(stem)) metadata = parent;
    }
    files.push({ path: f, metadata: metadata?.has(stem) ? metadata : null });
  }
  return { files, missing, warnings };
}
