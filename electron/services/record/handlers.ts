import type { recordMethods } from '../../../shared/contract/record';
import type { Handlers } from '../../../shared/contract/rpc';
import { ServiceError } from '../../../shared/contract/rpc';
import { resolveUserPath } from '../shell/projectPaths';
import { nextPrompts } from './nextPrompts';
import { cleanTranscript } from '../prepare/transcripts';
import { preparePrompts } from './promptMatch';
import { saveProjectPrompts } from './promptSets';
import { saveTake } from './saveTake';

/** Service side of shared/contract/record.ts (the Record view). A take is small: saved in the call, no job. */
function fromBase64(b64: string, what: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new ServiceError('bad-input', `${what} did not arrive intact (not base64); nothing was saved.`);
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

export const recordHandlers: Handlers<typeof recordMethods> = {
  'record.saveTake': async ({ projectDir, text, wavBase64, replaces }) => saveTake(resolveUserPath(projectDir), { text, wav: fromBase64(wavBase64, 'The take'), replaces }),
  'record.prompts': async ({ projectDir, set, count }) => {
    const batch = await nextPrompts(resolveUserPath(projectDir), set, count);
    // espeak reads the offered prompts now, while the person reads the first one: the check after Stop is then ~20 ms.
    // (Keyed by the text as saveTake cleans it.)
    const texts = [...batch.retakes.map((r) => r.text), ...batch.prompts.map((p) => p.text)].map((t) => cleanTranscript(t, 'the prompt').text);
    void preparePrompts(texts).catch(() => undefined);
    return batch;
  },
  'record.loadPrompts': async ({ projectDir, name, bytesBase64 }) => saveProjectPrompts(resolveUserPath(projectDir), name, fromBase64(bytesBase64, 'The prompt file')),
};
