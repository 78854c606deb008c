import { Command, CommanderError } from 'commander';
import { endQuietlyOnBrokenPipe } from './brokenPipe';
import { commandWord, moduleFor, registerModule, registerSummaries, type CommandIndex } from './commandIndex';
import { commandModules, type CommandModuleKey } from './commands/index';

/**
 * `formant`: the headless face of Formant Studio. Every command calls the same service
 * modules (electron/services) that the Electron main process and web mode call.
 * Returns the process exit code: 0 all good, 1 something failed, 2 bad usage.
 *
 * With `commandIndex` (the compiled CLI's out/cli/commands.json) only the module of the command asked
 * for is loaded, and help lists the others from the index; without it every module is loaded.
 */
export async function main(argv: string[], opts: { commandIndex?: CommandIndex } = {}): Promise<number> {
  const program = new Command('formant')
    .description('Formant Studio: voice datasets, Tacotron-2 training and offline speech synthesis')
    .version(process.env.npm_package_version ?? '0.1.0')
    .exitOverride()
    // usage errors: one line from the catch below (usageError.ts), not commander's message and the whole help
    .configureOutput({ outputError: () => undefined });
  endQuietlyOnBrokenPipe();
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = Math.max(exitCode, code);
  };
  try {
    const index = opts.commandIndex;
    const wanted = index && moduleFor(index, commandWord(argv.slice(2)));
    if (index && !wanted) registerSummaries(program, index);
    else for (const key of wanted ? [wanted] : (Object.keys(commandModules) as CommandModuleKey[])) await registerModule(program, key, setExit);
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0;
      // `formant` with no command printed the help itself (to stderr); the rest are usage errors
      if (e.code !== 'commander.help') {
        const { usageErrorLine } = await import('./usageError');
        process.stderr.write(`formant: ${usageErrorLine(program, argv.slice(2), e.message)}\n`);
      }
      return 2;
    }
    // loaded here, not at start-up: the contract module brings zod (tens of ms); a ServiceError has loaded it already
    const { ServiceError } = await import('../../shared/contract/rpc');
    if (e instanceof ServiceError) {
      process.stderr.write(`formant: ${e.message}\n`);
      return e.code === 'bad-input' ? 2 : 1;
    }
    // one line, errno codes as sentences (errorMessage.ts); FORMANT_DEBUG=1 for the stack
    const { errorLine } = await import('./errorMessage');
    process.stderr.write(`formant: ${errorLine(e)}\n`);
    return 1;
  }
  return exitCode;
}

/** Each command module exports one of these; `setExit` raises the exit code without throwing. */
export type RegisterCommand = (program: Command, setExit: (code: number) => void) => void;
