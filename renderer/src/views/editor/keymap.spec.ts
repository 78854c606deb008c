import { describe, expect, it } from 'vitest';
import { actionForKey } from './keymap';

describe('actionForKey', () => {
  it('maps the editing keys', () => {
    expect(actionForKey({ key: ' ' })).toEqual({ type: 'playPause' });
    expect(actionForKey({ key: 'i' })).toEqual({ type: 'trimIn' });
    expect(actionForKey({ key: 'O' })).toEqual({ type: 'trimOut' });
    expect(actionForKey({ key: 'I', shift: true })).toEqual({ type: 'extendIn' });
    expect(actionForKey({ key: 's' })).toEqual({ type: 'split' });
    expect(actionForKey({ key: 'Enter' })).toEqual({ type: 'saveNext' });
    expect(actionForKey({ key: 'ArrowLeft', shift: true })).toEqual({ type: 'seekBy', seconds: -1 });
  });
  it('undo/redo with ctrl or cmd, in the text field too', () => {
    expect(actionForKey({ key: 'z', ctrl: true, inText: true })).toEqual({ type: 'undo' });
    expect(actionForKey({ key: 'Z', meta: true, shift: true })).toEqual({ type: 'redo' });
    expect(actionForKey({ key: 'y', ctrl: true })).toEqual({ type: 'redo' });
    expect(actionForKey({ key: 's', ctrl: true })).toBeNull(); // leave browser/app chords alone
  });
  it('lets the transcript field type letters and spaces', () => {
    expect(actionForKey({ key: ' ', inText: true })).toBeNull();
    expect(actionForKey({ key: 'i', inText: true })).toBeNull();
    expect(actionForKey({ key: 'Enter', inText: true })).toEqual({ type: 'saveNext' });
    expect(actionForKey({ key: 'Escape', inText: true })).toEqual({ type: 'escape' });
  });
});
