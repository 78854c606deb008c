import { errnoMessage } from '../services/errnoMessages';

/**
 * The one line `formant` prints for a failure that is not a ServiceError: a file-system or network
 * error as a plain sentence ("cannot write out.wav: it is a folder, not a file"), anything else by its
 * message. Stack traces are for developers: FORMANT_DEBUG=1 prints them.
 */
export function errorLine(e: unknown): string {
  if (process.env.FORMANT_DEBUG) return (e as Error)?.stack ?? String(e);
  const errno = errnoMessage(e);
  if (errno) return errno;
  const message = e instanceof Error ? e.message : String(e);
  const first = message.split('\n').find((l) => l.trim()) ?? 'unexpected error';
  return `${first.trim()} (unexpected; FORMANT_DEBUG=1 shows where it happened)`;
}
