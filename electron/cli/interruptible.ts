import type { ProgressBar } from './progress';

/** How long cancellable work gets to stop cleanly after Ctrl-C/SIGTERM before the process ends anyway. */
export const STOP_GRACE_MS = 800;

/**
 * Runs cancellable CLI work: Ctrl-C or SIGTERM aborts the signal, the service stops cleanly and keeps
 * what it finished (a re-run resumes), and the command ends with one line and exit code 130.
 * Work that does not stop within `graceMs` (a system call that never returns, a stuck device) is not
 * waited for: the process ends anyway, by the signal — every project write is atomic, so that is as safe as a kill —
 * and a second Ctrl-C ends it at once. Any other failure propagates to `main`, which reports it.
 */
export async function runInterruptible(
  work: (signal: AbortSignal) => Promise<void>,
  opts: { bar?: ProgressBar; setExit: (code: number) => void; cancelledMessage?: string; graceMs?: number },
): Promise<void> {
  const controller = new AbortController();
  const release = onStopSignal(() => controller.abort(), { bar: opts.bar, message: opts.cancelledMessage ?? 'stopped before the work could finish cleanly; run the command again to resume', graceMs: opts.graceMs });
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
    release();
  }
}

/**
 * Ctrl-C / SIGTERM handling for a command that keeps the process alive: the first signal calls `stop`,
 * and ends the process by that signal if it is still running `graceMs` later; a second signal ends it
 * at once. Returns the function that removes the handlers.
 */
export function onStopSignal(stop: () => void, opts: { bar?: ProgressBar; message: string; graceMs?: number }): () => void {
  let signalled = false;
  let timer: NodeJS.Timeout | undefined;
  const exitNow = (sig: NodeJS.Signals) => {
    opts.bar?.finish();
    process.stderr.write(`formant: ${opts.message}\n`);
    // Not process.exit(): it waits for the I/O thread pool, and a thread stuck in a system call (a FIFO,
    // a hung network mount) would hold it forever. Dying of the signal itself, with Node's handler
    // gone, is immediate, and the shell reports it the usual way (exit status 130 for Ctrl-C).
    release();
    process.kill(process.pid, sig);
  };
  const handler = (sig: NodeJS.Signals) => {
    if (signalled) return exitNow(sig);
    signalled = true;
    // Not unref'd: work stuck on a promise that holds no handle must not let Node exit with 0 meanwhile.
    timer = setTimeout(() => exitNow(sig), opts.graceMs ?? STOP_GRACE_MS);
    stop();
  };
  const release = () => {
    clearTimeout(timer);
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return release;
}
