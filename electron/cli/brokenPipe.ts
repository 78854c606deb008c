/**
 * Output to a reader that has gone (`formant text … | head -1`, a closed pager): writing to stdout then fails
 * with EPIPE, which Node reports as an unhandled 'error' event and a stack trace. Command-line tools end
 * quietly there, with status 0 — the reader got what it asked for. stderr gone: nothing left to tell anyone.
 * Every project write is atomic, so ending mid-command is as safe as Ctrl-C.
 */
let installed = false;

export function endQuietlyOnBrokenPipe(): void {
  if (installed) return;
  installed = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  process.stderr.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}
