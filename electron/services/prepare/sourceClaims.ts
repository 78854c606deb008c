import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Manifest } from '../../../shared/contract/manifest';
import { PROCESS_SPACE_TAG, pidAlive } from '../projectLock';
import { loadManifest, manifestPath, withManifestLock } from '../projectStore';

/**
 * Source ids across processes. An import picks a new source's id (the file name, else
 * `<name>-<sha8>`) from the manifest it read when it started; another process importing at the
 * same time into the same project may pick the same id for another recording (two `take1.wav` from
 * two sessions), and each would then overwrite the other's source copy, clip WAVs and manifest entry.
 *
 * So a new id is reserved under the project lock: the manifest is read again when another process
 * changed it since (its bytes' sha256), the ids other live imports hold are avoided, and a claim file
 * `.import-claims/<id>` (created exclusively: pid, machine tag, sha256) marks it until the manifest
 * names the source (the import's next save), then it goes. A claim of a process that is gone (same
 * machine tag, pid not running) or untouched for an hour (another machine) is ignored and removed.
 * The same recording claimed by another import (same sha256) keeps its id: both write the same bytes.
 */
const CLAIMS_DIR = '.import-claims';
const FOREIGN_STALE_MS = 60 * 60_000;

interface Claim {
  pid: number;
  tag: string;
  host: string;
  sha256: string;
}

export class SourceClaims {
  private readonly mine = new Set<string>();
  /** sha256 of the manifest as this process last saw it (an mtime is too coarse: two saves can share a tick). */
  private knownDigest: string | null = null;
  private readonly dir: string;

  constructor(private readonly projectDir: string) {
    this.dir = path.join(projectDir, CLAIMS_DIR);
  }

  /** After this process saved the manifest (inside the lock): that change needs no re-read. */
  async noteOwnSave(): Promise<void> {
    this.knownDigest = await this.digest();
  }

  private async digest(): Promise<string | null> {
    const bytes = await fs.readFile(manifestPath(this.projectDir)).catch(() => null);
    return bytes ? createHash('sha256').update(bytes).digest('hex') : null;
  }

  /**
   * Reserves a new source id: `pick` chooses it with `taken` saying which ids other live imports
   * hold; `onFresh` receives the manifest when another process changed it since the last look.
   */
  async reserve(sha256: string, pick: (taken: (id: string) => boolean) => string, onFresh: (m: Manifest) => void): Promise<string> {
    return withManifestLock(this.projectDir, async () => {
      const digest = await this.digest();
      if (digest === null || digest !== this.knownDigest) {
        onFresh(await loadManifest(this.projectDir));
        this.knownDigest = digest;
      }
      const others = await this.liveClaims();
      const blocked = new Set<string>(); // a claim file there already (a name differing only in letter case, on such a disk)
      for (;;) {
        const id = pick((x) => this.mine.has(x) || blocked.has(x) || (others.has(x) && others.get(x) !== sha256));
        if (this.mine.has(id) || others.has(id)) return id;
        const claim: Claim = { pid: process.pid, tag: PROCESS_SPACE_TAG, host: os.hostname(), sha256 };
        try {
          await this.createClaim(id, JSON.stringify(claim) + '\n');
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
          blocked.add(id);
          continue;
        }
        this.mine.add(id);
        return id;
      }
    });
  }

  /** The claim file, created exclusively; the folder again when another import removed it empty meanwhile (its release runs outside the lock). */
  private async createClaim(id: string, body: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await fs.mkdir(this.dir, { recursive: true });
      try {
        await fs.writeFile(path.join(this.dir, id), body, { flag: 'wx' });
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 5) throw e;
      }
    }
  }

  /** Ids claimed by other live imports → the sha256 each is importing (stale claims removed on the way). */
  private async liveClaims(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return out;
    }
    for (const id of names) {
      if (this.mine.has(id)) continue;
      const file = path.join(this.dir, id);
      const [raw, st] = await Promise.all([fs.readFile(file, 'utf8').catch(() => ''), fs.stat(file).catch(() => null)]);
      if (!st) continue;
      let c: Claim | null;
      try {
        c = JSON.parse(raw) as Claim;
      } catch {
        c = null;
      }
      const gone = c ? (c.tag === PROCESS_SPACE_TAG ? !pidAlive(c.pid) : Date.now() - st.mtimeMs > FOREIGN_STALE_MS) : Date.now() - st.mtimeMs > 10_000;
      if (gone) await fs.rm(file, { force: true });
      else out.set(id, c?.sha256 ?? '');
    }
    return out;
  }

  /** The manifest names these sources now (or they failed): their claims go. */
  async release(ids: Iterable<string>): Promise<void> {
    for (const id of ids) {
      if (!this.mine.delete(id)) continue;
      await fs.rm(path.join(this.dir, id), { force: true });
    }
    await fs.rmdir(this.dir).catch(() => undefined); // only when empty
  }

  async releaseAll(): Promise<void> {
    await this.release([...this.mine]);
  }
}
