import type { ProgressBar } from './progress';

/**
 * Runs cancellable CLI work: Ctrl-C or SIGTERM aborts the signal, the service stops cleanly and keeps
 * what it finished (a re-run resumes), and the command ends with one line and exit code 130.
 * Any other failure propagates to `main`, which reports it.
 */
export async function runInterruptible(
  work: (signal: AbortSignal) => Promise<void>,
  opts: { bar?: ProgressBar; setExit: (code: number) => void; cancelledMessage?: string },
): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await work(controller.signal);
  } catch (e) {
    opts.bar?.finish();
    if ((e as { code?: string }).code === 'cancelled') {
      process.stderr.write(`formant: ${opts.cancelledMessage ?? (e as Error).message}\n`);
      opts.setExit(130);
      return;
    }
    throw e;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
