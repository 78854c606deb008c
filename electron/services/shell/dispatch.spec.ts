import { ServiceError } from '../../../shared/contract/rpc';
import { createDispatcher, httpStatusFor, toErrorShape } from './dispatch';

const ctx = { emit: () => undefined };

describe('createDispatcher', () => {
  it('refuses names that are not API methods, including prototype keys', async () => {
    const d = createDispatcher({});
    await expect(d('nope', {}, ctx)).rejects.toMatchObject({ code: 'unknown-method' });
    await expect(d('__proto__', {}, ctx)).rejects.toMatchObject({ code: 'unknown-method' });
    await expect(d('toString', {}, ctx)).rejects.toMatchObject({ code: 'unknown-method' });
  });

  it('answers not-implemented for a method whose area has not landed', async () => {
    await expect(createDispatcher({})('project.open', { dir: '/x' }, ctx)).rejects.toMatchObject({ code: 'not-implemented' });
  });

  it('validates input before the handler runs', async () => {
    let called = false;
    const d = createDispatcher({
      'jobs.cancel': async () => {
        called = true;
        return { cancelled: true };
      },
    });
    await expect(d('jobs.cancel', { jobId: 42 }, ctx)).rejects.toMatchObject({ code: 'bad-input' });
    await expect(d('jobs.cancel', null, ctx)).rejects.toMatchObject({ code: 'bad-input' });
    expect(called).toBe(false);
    expect(await d('jobs.cancel', { jobId: 'j1' }, ctx)).toEqual({ cancelled: true });
  });

  it('catches a handler that breaks the contract', async () => {
    const d = createDispatcher({ 'jobs.list': async () => ({ jobIds: 'oops' }) as never });
    await expect(d('jobs.list', {}, ctx)).rejects.toMatchObject({ code: 'bad-output' });
  });

  it('maps errors to shapes and HTTP statuses', () => {
    expect(toErrorShape(new ServiceError('no-project', 'x'))).toMatchObject({ code: 'no-project', message: 'x' });
    expect(toErrorShape(new Error('boom'))).toMatchObject({ code: 'internal' });
    expect(toErrorShape(Object.assign(new Error('gone'), { code: 'ENOENT' }))).toMatchObject({ code: 'not-found' });
    expect(httpStatusFor('bad-input')).toBe(400);
    expect(httpStatusFor('forbidden')).toBe(403);
    expect(httpStatusFor('internal')).toBe(500);
    expect(httpStatusFor('bad-manifest')).toBe(422);
  });
});
