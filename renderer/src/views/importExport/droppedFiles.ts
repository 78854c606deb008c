/**
 * Turns a drop (DataTransfer) into what the import needs:
 *  - Electron: real paths of the dropped files and folders (the preload's webUtils.getPathForFile);
 *    the import walks folders itself.
 *  - Web mode: File objects with their path relative to the drop (folders are walked here through
 *    the File System entries API), to be uploaded to the project's staging folder.
 */
export interface DroppedFile {
  file: File;
  /** Path inside the drop, e.g. "session1/take03.wav"; the file name for a loose file. */
  relativePath: string;
}

export interface Drop {
  paths: string[];
  files: DroppedFile[];
}

type Entry = FileSystemEntry;

function readAllEntries(dir: FileSystemDirectoryEntry): Promise<Entry[]> {
  const reader = dir.createReader();
  const all: Entry[] = [];
  return new Promise((resolve, reject) => {
    // readEntries returns at most ~100 entries per call; call until it returns none.
    const next = () =>
      reader.readEntries((batch) => {
        if (!batch.length) return resolve(all);
        all.push(...batch);
        next();
      }, reject);
    next();
  });
}

async function walk(entry: Entry, prefix: string, out: DroppedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, relativePath: prefix + entry.name });
  } else if (entry.isDirectory) {
    for (const child of await readAllEntries(entry as FileSystemDirectoryEntry)) await walk(child, `${prefix}${entry.name}/`, out);
  }
}

/** Hidden files and OS litter never belong in a dataset. */
export function isIgnorable(relativePath: string): boolean {
  const name = relativePath.split('/').pop() ?? '';
  return name.startsWith('.') || name === 'Thumbs.db' || name === 'desktop.ini' || relativePath.split('/').some((p) => p === '__MACOSX');
}

export async function readDrop(dt: DataTransfer, pathForFile: (f: File) => string | null): Promise<Drop> {
  const files = Array.from(dt.files);
  const paths = files.map((f) => pathForFile(f)).filter((p): p is string => Boolean(p));
  if (paths.length && paths.length === files.length) return { paths, files: [] };

  // Entries must be taken synchronously, before the first await (the DataTransfer empties after the event).
  const entries = Array.from(dt.items ?? [])
    .filter((i) => i.kind === 'file')
    .map((i) => i.webkitGetAsEntry?.() ?? null);
  const out: DroppedFile[] = [];
  if (entries.length && entries.every((e) => e)) {
    for (const e of entries) await walk(e!, '', out);
  } else {
    // Synthetic drops (and some browsers) give plain File objects without entries.
    for (const f of files) out.push({ file: f, relativePath: (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name });
  }
  return { paths: [], files: out.filter((f) => !isIgnorable(f.relativePath)) };
}
