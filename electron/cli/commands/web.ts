import { spawn } from 'node:child_process';
import type { RegisterCommand } from '../formant';
import { onStopSignal } from '../interruptible';

/** `formant web`: the studio in a browser, served from this machine (see electron/web/server.ts). */
function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`formant: could not open a browser; open ${url} yourself\n`));
  child.unref();
}

export const registerWeb: RegisterCommand = (program) => {
  program
    .command('web')
    .description('serve the studio on localhost and print its URL (for remote machines, headless use and tests)')
    .option('--port <n>', 'port to listen on (default: $PORT or 5317; 0 picks a free one)')
    .option('--host <addr>', 'interface to listen on (127.0.0.1 keeps it private to this machine)', '127.0.0.1')
    .option('--open', 'open the URL in the default browser')
    .option('--data-dir <dir>', 'where recent projects and the demo project live (default: the OS app-data folder)')
    .option('--no-build', 'serve out/renderer as is, even when older than the sources')
    .action(async (opts: { port?: string; host: string; open?: boolean; dataDir?: string; build: boolean }) => {
      const { startWebServer } = await import('../../web/server');
      const { ServiceError } = await import('../../../shared/contract/rpc');
      const raw = opts.port ?? process.env.PORT ?? '5317';
      const port = Number(raw);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ServiceError('bad-input', `--port must be 0..65535 (got "${raw}")`);
      if (opts.host !== '127.0.0.1' && opts.host !== 'localhost' && opts.host !== '::1')
        process.stderr.write(`formant: listening on ${opts.host}: anyone who can reach it and has the link can use your projects\n`);
      const server = await startWebServer({
        host: opts.host,
        port,
        dataDir: opts.dataDir,
        build: opts.build,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`Formant Studio is running at ${server.openUrl}\n(the link carries this session's access token; Ctrl+C stops the server)\n`);
      if (opts.open) openInBrowser(server.openUrl);
      await new Promise<void>((resolve) => {
        const release = onStopSignal(
          () => {
            process.stdout.write('stopping…\n');
            server.close().then(() => (release(), resolve()), resolve);
          },
          { message: 'stopped (work in progress was left to resume)' },
        );
      });
      // Closed: work still running in this process (an import, a synthesis job) does not keep it alive.
      setTimeout(() => process.exit(), 200).unref();
    });
};
