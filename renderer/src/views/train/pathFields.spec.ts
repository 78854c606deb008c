import { describe, expect, it } from 'vitest';
import { fieldOfError } from './pathFields';

const values = { datasetDir: '/home/me/voice-ljspeech', runDir: '/home/me/runs/voice', warmStart: '' };

describe('fieldOfError', () => {
  it('puts a refused dataset folder beside the dataset field', () => {
    expect(fieldOfError('/home/me/voice-ljspeech is outside the open projects and the data folder; drop or choose the file instead', values)).toBe('datasetDir');
  });

  it('puts a refused run folder beside the run folder field', () => {
    expect(fieldOfError('/home/me/runs/voice is outside the open projects and the data folder, where the app writes; choose the folder in the dialog instead', values)).toBe('runDir');
  });

  it('puts a missing warm-start checkpoint beside its field', () => {
    expect(fieldOfError('/tmp/ckpt.pt does not exist', { ...values, warmStart: '/tmp/ckpt.pt' })).toBe('warmStart');
  });

  it('takes the whole path, not a prefix of a longer one', () => {
    const v = { datasetDir: '/a/run', runDir: '/a/run-2', warmStart: '' };
    expect(fieldOfError('/a/run-2 is outside the open projects', v)).toBe('runDir');
    expect(fieldOfError('/a/run is outside the open projects', v)).toBe('datasetDir');
  });

  it('leaves errors that name no field to the form (and ignores empty fields)', () => {
    expect(fieldOfError('The trainer needs PyTorch', values)).toBeNull();
    expect(fieldOfError(' is outside', { datasetDir: '', runDir: '', warmStart: '' })).toBeNull();
  });

  it('finds a path the person typed with spaces around it', () => {
    expect(fieldOfError('/x/ds does not exist', { datasetDir: '  /x/ds ', runDir: '', warmStart: '' })).toBe('datasetDir');
    expect(fieldOfError(' /x/ds is outside the open projects', { datasetDir: ' /x/ds', runDir: '', warmStart: '' })).toBe('datasetDir');
  });
});
