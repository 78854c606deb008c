import { Command, Help } from 'commander';
import { commandModules, type CommandModuleKey } from './commands/index';
import type { RegisterCommand } from './formant';

/**
 * What `formant --help` lists, without loading any command module (they import onnxruntime, ffmpeg,
 * zod…, most of a compiled CLI's start-up). build/buildCli.mjs writes it from the compiled modules
 * themselves (out/cli/commands.json), so it cannot drift from them; the sources through tsx have no
 * index and load every module, as before.
 */
export interface IndexedCommand {
  name: string;
  aliases: string[];
  /** The command as help lists it, e.g. `info [options] <project-dir>`. */
  term: string;
  description: string;
}
export type CommandIndex = Partial<Record<CommandModuleKey, IndexedCommand[]>>;

const register = async (key: CommandModuleKey): Promise<RegisterCommand> => commandModules[key]();

/** Loads every command module and records what each adds to the program (the build step calls this). */
export async function describeCommands(): Promise<CommandIndex> {
  const index: CommandIndex = {};
  for (const key of Object.keys(commandModules) as CommandModuleKey[]) {
    const program = new Command('formant');
    (await register(key))(program, () => undefined);
    const help = program.createHelp();
    index[key] = program.commands.map((c) => ({ name: c.name(), aliases: c.aliases(), term: help.subcommandTerm(c), description: help.subcommandDescription(c) }));
  }
  return index;
}

/**
 * The command a command line asks for: its first word that is not an option (`formant help <command>`
 * asks for <command>). Undefined for `formant`, `formant --help`, `formant --version`.
 */
export function commandWord(args: string[]): string | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/** The module that provides `word` (a command name or alias), or undefined when no module does. */
export function moduleFor(index: CommandIndex, word: string | undefined): CommandModuleKey | undefined {
  if (word === undefined) return undefined;
  const entries = Object.entries(index) as [CommandModuleKey, IndexedCommand[]][];
  return entries.find(([, cmds]) => cmds.some((c) => c.name === word || c.aliases.includes(word)))?.[0];
}

/**
 * Adds every indexed command to `program` by name and summary only, for the program's help, its
 * "unknown command (did you mean …?)" error and `help` with no command. None of them can run: a command
 * line naming one of them loads its real module instead (formant.ts).
 */
export function registerSummaries(program: Command, index: CommandIndex): void {
  const terms = new Map<string, string>();
  for (const cmds of Object.values(index)) {
    for (const c of cmds ?? []) {
      program.command(c.name).aliases(c.aliases).description(c.description);
      terms.set(c.name, c.term);
    }
  }
  const base = new Help();
  program.configureHelp({ subcommandTerm: (cmd) => terms.get(cmd.name()) ?? base.subcommandTerm(cmd) });
}

/** Loads the module for `key` and adds its commands. */
export async function registerModule(program: Command, key: CommandModuleKey, setExit: (code: number) => void): Promise<void> {
  (await register(key))(program, setExit);
}
