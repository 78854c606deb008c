import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { RecentProject } from '../../../shared/contract/app';
import { writeFileAtomic } from '../atomicWrite';
import { projectExists } from '../projectStore';

/**
 * The recent-projects list: `<dataDir>/recent-projects.json`, newest first, at most MAX entries,
 * one entry per resolved folder. A corrupt or missing file reads as an empty list (it is a
 * convenience, never worth refusing to start over).
 */
const MAX = 12;
const FILE = 'recent-projects.json';
const Stored = z.object({ projects: z.array(z.object({ dir: z.string(), name: z.string(), openedAt: z.string() })) });
type Stored = z.infer<typeof Stored>;

async function read(dataDir: string): Promise<Stored> {
  try {
    const parsed = Stored.safeParse(JSON.parse(await fs.readFile(path.join(dataDir, FILE), 'utf8')));
    return parsed.success ? parsed.data : { projects: [] };
  } catch {
    return { projects: [] };
  }
}

// Serialize writers in this process so two quick opens don't drop each other.
let chain: Promise<unknown> = Promise.resolve();
function serialized<T>(fn: () => Promise<T>): Promise<T> {
  const next = chain.then(fn, fn);
  chain = next.catch(() => undefined);
  return next;
}

export function rememberProject(dataDir: string, dir: string, name: string, now = new Date()): Promise<void> {
  return serialized(async () => {
    const abs = path.resolve(dir);
    const s = await read(dataDir);
    const projects = [{ dir: abs, name, openedAt: now.toISOString() }, ...s.projects.filter((p) => path.resolve(p.dir) !== abs)].slice(0, MAX);
    await writeFileAtomic(path.join(dataDir, FILE), JSON.stringify({ projects }, null, 2) + '\n');
  });
}

export function forgetProject(dataDir: string, dir: string): Promise<void> {
  return serialized(async () => {
    const abs = path.resolve(dir);
    const s = await read(dataDir);
    const projects = s.projects.filter((p) => path.resolve(p.dir) !== abs);
    if (projects.length !== s.projects.length) await writeFileAtomic(path.join(dataDir, FILE), JSON.stringify({ projects }, null, 2) + '\n');
  });
}

export async function recentProjects(dataDir: string): Promise<RecentProject[]> {
  const s = await read(dataDir);
  return Promise.all(s.projects.map(async (p) => ({ ...p, exists: await projectExists(p.dir) })));
}
