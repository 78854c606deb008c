import { api, type Api } from '../../../shared/contract/index';
import { errnoMessage } from '../errnoMessages';
import { ServiceError, parseInput, parseOutput, type CallContext, type Handlers, type ServiceErrorShape } from '../../../shared/contract/rpc';

/**
 * The one entry point every transport uses (Electron IPC, web-mode HTTP): checks that the
 * method exists in the contract, validates the input with its zod schema, runs the handler,
 * and validates what it returns, so a bug in a service surfaces as a clear 'bad-output'
 * error here instead of a confusing one in the renderer.
 */
export type Dispatch = (method: string, rawInput: unknown, ctx: CallContext) => Promise<unknown>;

export function isApiMethod(name: unknown): name is keyof Api {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(api, name);
}

export function createDispatcher(handlers: Partial<Handlers<Api>>): Dispatch {
  return async (name, rawInput, ctx) => {
    if (!isApiMethod(name)) throw new ServiceError('unknown-method', `No API method named ${JSON.stringify(String(name)).slice(0, 80)}`);
    const handler = handlers[name] as ((input: unknown, ctx: CallContext) => Promise<unknown>) | undefined;
    if (!handler) throw new ServiceError('not-implemented', `${name} is not available in this build`);
    const def = api[name];
    const input = parseInput(name, def, rawInput ?? {});
    const output = await handler(input, ctx);
    return parseOutput(name, def, output);
  };
}

/** What crosses the boundary when a call fails: ServiceErrors keep their code; anything else is 'internal'. */
export function toErrorShape(e: unknown): ServiceErrorShape {
  if (e instanceof ServiceError) return e.toJSON();
  const err = e as NodeJS.ErrnoException;
  // File-system errors are the user's to act on (a path that is a file, a full disk): a plain sentence, not a 500.
  const sentence = errnoMessage(e);
  if (err?.code === 'ENOENT') return { code: 'not-found', message: sentence ?? err.message };
  if (err?.code === 'EACCES' || err?.code === 'EPERM') return { code: 'permission-denied', message: sentence ?? err.message };
  if (sentence) return { code: 'io', message: sentence };
  return { code: 'internal', message: err?.message ?? String(e) };
}

/** HTTP status for an error code (web mode). */
export function httpStatusFor(code: string): number {
  switch (code) {
    case 'bad-input':
    case 'unknown-method':
      return 400;
    case 'forbidden':
      return 403;
    case 'not-found':
    case 'no-project':
      return 404;
    case 'project-exists':
      return 409;
    case 'not-implemented':
    case 'unsupported':
      return 501;
    case 'internal':
    case 'bad-output':
      return 500;
    default:
      // A ServiceError the user can act on (bad manifest, cancelled, …).
      return 422;
  }
}
