import { auditionProblem, waveglowUserNote } from './auditionCheck';

describe('audition checks before the wait', () => {
  it('takes one sentence, and says how many there are otherwise', () => {
    expect(auditionProblem('The lamp was lit at dusk.')).toBeNull();
    expect(auditionProblem('Mr. Smith lit the lamp at 10 p.m. on Friday.')).toBeNull();
    expect(auditionProblem('The lamp was lit. Ships passed safely.')).toMatch(/one sentence; this text has 2/);
    expect(auditionProblem('   ')).toMatch(/Type a sentence/);
    expect(auditionProblem('a'.repeat(601))).toMatch(/at most 600/);
  });
  it('explains a missing WaveGlow without command-line advice', () => {
    const note = waveglowUserNote('voice "demo" has no WaveGlow vocoder; use --vocoder griffin-lim or a voice exported with a WaveGlow');
    expect(note).toMatch(/no WaveGlow vocoder, so B is Griffin-Lim with 8 iterations/);
    expect(note).not.toMatch(/--vocoder/);
    expect(waveglowUserNote('mel presets differ; use --waveglow-from another')).toBe('mel presets differ');
    expect(waveglowUserNote(null)).toBeNull();
  });
});
