import { Command, CommanderError } from 'commander';
import { ServiceError } from '../../shared/contract/rpc';
import { commands } from './commands/index';

/**
 * `formant`: the headless face of Formant Studio. Every command calls the same service
 * modules (electron/services) that the Electron main process and web mode call.
 * Returns the process exit code: 0 all good, 1 something failed, 2 bad usage.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('formant')
    .description('Formant Studio: voice datasets, Tacotron-2 training and offline speech synthesis')
    .version(process.env.npm_package_version ?? '0.1.0')
    .exitOverride()
    .showHelpAfterError();
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = Math.max(exitCode, code);
  };
  for (const register of commands) register(program, setExit);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof ServiceError) {
      process.stderr.write(`formant: ${e.message}\n`);
      return e.code === 'bad-input' ? 2 : 1;
    }
    process.stderr.write(`formant: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
  return exitCode;
}

/** Each command module exports one of these; `setExit` raises the exit code without throwing. */
export type RegisterCommand = (program: Command, setExit: (code: number) => void) => void;
