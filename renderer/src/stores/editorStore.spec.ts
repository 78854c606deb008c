import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClipRecord, Manifest } from '../../../shared/contract/manifest';
import { splitCommand, type EditCommand } from '../views/editor/editCommands';
import { fakeClipApi } from '../views/editor/fakeClipApi';
import { TEXT_SAVE_DELAY_MS, statusForText, useEditorStore } from './editorStore';

const now = '2026-11-25T00:00:00Z';
const clip = (id: string, start: number, end: number, text: string | null): ClipRecord => ({
  id, sourceId: 's', sourceStart: start, sourceEnd: end, wav: `wavs/${id}.wav`, durationSeconds: end - start + 1, text,
  status: text ? 'transcribed' : 'untranscribed', origin: 'import', createdAt: now, updatedAt: now,
});

function setup(clips: ClipRecord[]) {
  const api = fakeClipApi(clips);
  let manifest = { clips } as Manifest;
  useEditorStore.getState().attach({ api, projectDir: `/p/${Math.random()}`, getManifest: () => manifest, setManifest: (m) => (manifest = m) });
  return { api, get manifest() { return manifest; } };
}

afterEach(() => vi.useRealTimers());

describe('editorStore', () => {
  it('saves typed text after a pause, as one undo step, and restores the field on undo/redo', async () => {
    vi.useFakeTimers();
    const env = setup([clip('a', 0, 3, null)]);
    const s = useEditorStore.getState();
    s.open('a');
    for (const t of ['H', 'He', 'Hello']) useEditorStore.getState().setDraftText(t);
    expect(env.api.calls).toEqual([]); // debounced
    await vi.advanceTimersByTimeAsync(TEXT_SAVE_DELAY_MS + 10);
    await useEditorStore.getState().idle();
    expect(env.manifest.clips[0]).toMatchObject({ text: 'Hello', status: 'transcribed' });
    expect(useEditorStore.getState().save.state).toBe('saved');
    await useEditorStore.getState().undo();
    expect(useEditorStore.getState().draftText).toBe('');
    expect(env.manifest.clips[0].status).toBe('untranscribed');
    await useEditorStore.getState().redo();
    expect(useEditorStore.getState().draftText).toBe('Hello');
  });

  it('ctrl+Z while typing saves the pending text first, then undoes it', async () => {
    const env = setup([clip('a', 0, 3, 'old')]);
    useEditorStore.getState().open('a');
    useEditorStore.getState().setDraftText('new');
    await useEditorStore.getState().undo();
    expect(env.api.calls).toEqual(['update a', 'update a']);
    expect(useEditorStore.getState().draftText).toBe('old');
    expect(useEditorStore.getState().canRedo).toBe(true);
  });

  it('follows the open clip through split/undo and reports errors without losing state', async () => {
    const env = setup([clip('a', 0, 4, 'one two')]);
    useEditorStore.getState().open('a');
    await useEditorStore.getState().run(splitCommand(env.manifest.clips[0], 2));
    expect(env.manifest.clips.map((c) => c.id)).toEqual(['a', 'a_s1']);
    await useEditorStore.getState().undo();
    expect(env.manifest.clips.map((c) => c.id)).toEqual(['a']);
    expect(useEditorStore.getState().clipId).toBe('a');
    expect(useEditorStore.getState().lastAction).toBe('undo split a');
    const bad: EditCommand = { kind: 'region', id: 'a', before: { start: 0, end: 4 }, after: { start: 2, end: 2 } };
    expect(await useEditorStore.getState().run(bad)).toBeNull();
    expect(useEditorStore.getState().save).toMatchObject({ state: 'error', message: 'empty region' });
  });

  it('derives status from text', () => {
    expect(statusForText('untranscribed', 'x')).toBe('transcribed');
    expect(statusForText('reviewed', 'x')).toBe('reviewed');
    expect(statusForText('reviewed', '  ')).toBe('untranscribed');
    expect(statusForText('rejected', null)).toBe('rejected');
  });
});
