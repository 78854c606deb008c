import { promises as fs } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { errnoMessage } from './errnoMessages';
import { httpStatusFor, toErrorShape } from './shell/dispatch';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-errno-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('errno errors as one plain sentence (CLI last line, web-mode answers)', () => {
  it('names what was done, on what, and why in words', async () => {
    const file = path.join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const notDir = await fs.readFile(path.join(file, 'formant.json')).catch((e: unknown) => e);
    expect(errnoMessage(notDir)).toBe(`cannot open ${path.join(file, 'formant.json')}: part of the path is a file, not a folder`);
    const isDir = await fs.writeFile(tmp, 'x').catch((e: unknown) => e);
    expect(errnoMessage(isDir)).toBe(`cannot open ${tmp}: it is a folder, not a file`);
    expect(errnoMessage(new Error('plain'))).toBeNull();
  });

  it('web mode answers a file-system error with a sentence and 422, not a 500', async () => {
    const e = await fs.readdir(path.join(tmp, 'missing', 'x')).catch((err: unknown) => err);
    expect(toErrorShape(e)).toEqual({ code: 'not-found', message: `cannot list the folder ${path.join(tmp, 'missing', 'x')}: it does not exist` });
    const notDir = await fs.readdir(path.join(tmp, 'a-file')).catch((err: unknown) => err);
    const shape = toErrorShape(notDir);
    expect(shape.code).toBe('io');
    expect(httpStatusFor(shape.code)).toBe(422);
  });
});
