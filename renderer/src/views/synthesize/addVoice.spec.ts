import { describe, expect, it } from 'vitest';
import { canAddWaveGlow, checkpointMessage, newVoiceDir, voiceFolderName } from './addVoice';

describe('a new voice folder', () => {
  it('is the name as a file name, never a listed voice', () => {
    expect(voiceFolderName('LJSpeech (NVIDIA)')).toBe('ljspeech-nvidia');
    expect(voiceFolderName('Zoë’s voice')).toBe('zoe-s-voice');
    expect(voiceFolderName('../..')).toBe('voice');
    expect(newVoiceDir('/data/voices', 'LJ', [])).toBe('/data/voices/lj');
    expect(newVoiceDir('/data/voices', 'LJ', [{ dir: '/data/voices/lj' }, { dir: '/data/voices/lj-2/' }])).toBe('/data/voices/lj-3');
    expect(newVoiceDir('C:\\Users\\me\\Formant\\voices', 'LJ', [{ dir: 'C:\\Users\\me\\Formant\\voices\\lj' }])).toBe('C:\\Users\\me\\Formant\\voices\\lj-2');
  });

  it('is not added to the voices shipped with the app', () => {
    expect(canAddWaveGlow({ source: 'embedded' })).toBe(false);
    expect(canAddWaveGlow({ source: 'user' })).toBe(true);
    expect(canAddWaveGlow({ source: 'project' })).toBe(true);
    expect(canAddWaveGlow(null)).toBe(false);
  });
});

describe('refusals in plain words', () => {
  it('names the fields, leaves out the readers’ internals and says what to do', () => {
    // the trainer's messages for a damaged download, a file in the wrong field, a missing file (measured)
    expect(
      checkpointMessage(
        '/d/ck (1)/tacotron2_statedict.pt: not a readable checkpoint, the file may be damaged or incomplete (PytorchStreamReader failed reading zip archive: failed finding central directory)',
      ),
    ).toBe('/d/ck (1)/tacotron2_statedict.pt: not a readable checkpoint, the file may be damaged or incomplete. Download it again, or choose another file.');
    expect(checkpointMessage('/d/waveglow.pt: not a Tacotron-2 checkpoint (no embedding or decoder projection among its tensors)')).toBe(
      "/d/waveglow.pt: not a Tacotron-2 checkpoint. Is it the WaveGlow? The Tacotron-2 file is NVIDIA's tacotron2_statedict.pt.",
    );
    expect(checkpointMessage('/d/t2.pt: not a WaveGlow checkpoint (no upsample or convinv among its tensors)')).toMatch(/^\/d\/t2\.pt: not a WaveGlow checkpoint\. Is it the Tacotron-2\?/);
    expect(checkpointMessage('--tacotron2 /d/missing.pt: no such file')).toBe('Tacotron-2 file /d/missing.pt: no such file');
    // the preset guard's message names both presets already: kept as it is
    const preset = 'the WaveGlow wg.pt was trained on mel preset "nvidia" but voice "x" predicts mel preset "formant-16k"; a vocoder needs the acoustic model\'s own preset';
    expect(checkpointMessage(preset)).toBe(preset);
  });
});
