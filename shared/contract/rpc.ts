import { z } from 'zod';

/**
 * The one typed contract between the renderer and the services.
 *
 * A method is a name, a zod schema for its input and one for its output. The same
 * definition is used on both sides of every transport (Electron IPC, the web-mode
 * socket, the CLI calls the services directly): inputs are validated where they
 * arrive in the trusted process, outputs where they arrive in the renderer.
 */
export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  /** One line for humans (shown in web-mode errors and docs). */
  readonly doc: string;
}

export function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, doc: string): MethodDef<I, O> {
  return { input, output, doc };
}

export type MethodMap = Record<string, MethodDef>;
export type InputOf<M extends MethodDef> = z.input<M['input']>;
export type OutputOf<M extends MethodDef> = z.output<M['output']>;

/** Service side: one async function per method, receiving the parsed input. */
export type Handlers<M extends MethodMap> = {
  [K in keyof M]: (input: z.output<M[K]['input']>, ctx: CallContext) => Promise<z.input<M[K]['output']>>;
};

/** Client side: what the renderer calls. */
export type Client<M extends MethodMap> = {
  [K in keyof M]: (input: InputOf<M[K]>) => Promise<OutputOf<M[K]>>;
};

export interface CallContext {
  /** Sends an event to the caller's window / socket (job progress, logs). */
  emit(event: ServiceEvent): void;
}

/** Errors that cross the boundary: a stable code plus a message a person can act on. */
export const ServiceErrorShape = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ServiceErrorShape = z.infer<typeof ServiceErrorShape>;

export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
  toJSON(): ServiceErrorShape {
    return { code: this.code, message: this.message, details: this.details };
  }
}

// ---- events: long work is a job; jobs report progress and can be cancelled ----

export const JobEvent = z.object({
  type: z.literal('job'),
  jobId: z.string(),
  kind: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** 0..1 when known. */
  progress: z.number().min(0).max(1).nullable(),
  message: z.string().default(''),
  /** Per-item results (a file imported, a sentence synthesized…), kind-specific. */
  item: z.unknown().optional(),
  result: z.unknown().optional(),
  error: ServiceErrorShape.optional(),
});
export type JobEvent = z.infer<typeof JobEvent>;

export const LogEvent = z.object({ type: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: z.string() });
export const ServiceEvent = z.discriminatedUnion('type', [JobEvent, LogEvent]);
export type ServiceEvent = z.infer<typeof ServiceEvent>;

/** Validates `raw` against the method's input schema, turning zod issues into one readable ServiceError. */
export function parseInput<M extends MethodDef>(name: string, def: M, raw: unknown): z.output<M['input']> {
  const r = def.input.safeParse(raw);
  if (!r.success) {
    throw new ServiceError('bad-input', `${name}: ${z.prettifyError(r.error)}`);
  }
  return r.data as z.output<M['input']>;
}

export function parseOutput<M extends MethodDef>(name: string, def: M, raw: unknown): z.output<M['output']> {
  const r = def.output.safeParse(raw);
  if (!r.success) {
    throw new ServiceError('bad-output', `${name} returned data that does not match the contract: ${z.prettifyError(r.error)}`);
  }
  return r.data as z.output<M['output']>;
}
