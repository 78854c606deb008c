import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..', '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-text-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function formant(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'formant.mjs'), ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('formant text', () => {
  it('prints each sentence normalized, cleaned and as ids (JSON), splitting clauses on request', () => {
    const file = path.join(tmp, 'in.txt');
    writeFileSync(file, 'Dr. Smith paid $3.50 at 3:45 pm. Then, after a while, he left!');
    const r = formant('text', '--text-file', file, '--max-chars', '20', '--json');
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows[1]).toMatchObject({ sentence: 0, text: '$3.50 at 3:45 pm.', start: 15, end: 32, cleaned: 'three dollars, fifty cents at three forty-five p m.' });
    expect(rows.map((x: { text: string }) => x.text)).toEqual(['Dr. Smith paid', '$3.50 at 3:45 pm.', 'Then, after a while,', 'he left!']);
    expect(rows[3]).toMatchObject({ sentence: 1, start: 54, end: 62 });
    expect(rows.at(-1).ids).toEqual([45, 42, 11, 49, 42, 43, 57, 2]); // "he left!"
  });

  it('marks characters the table lacks and exits 1; empty input is a usage error', () => {
    const r = formant('text', 'Hello 世界');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('UNKNOWN:    "世" (U+4E16)');
    expect(formant('text', '   ').code).toBe(2);
  });
});
