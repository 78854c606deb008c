import { userText } from './jobText';

describe('job messages without the staging folder', () => {
  it('names a dropped file as it was dropped', () => {
    expect(userText('/home/me/voice/.staging/b-1234/session/take-01.wav')).toBe('session/take-01.wav');
    expect(userText('C:\\p\\.staging\\b1\\take.wav: cannot decode (truncated)')).toBe('take.wav: cannot decode (truncated)');
  });
  it('leaves other messages alone', () => {
    expect(userText('/data/recordings/take.wav')).toBe('/data/recordings/take.wav');
    expect(userText(undefined)).toBe('');
  });
});
