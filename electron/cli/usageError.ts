import type { Command } from 'commander';

/**
 * The one line `formant` prints for a usage error commander found (a missing argument, an unknown option
 * or command, too many arguments): commander's own message without its "error:" prefix and with its
 * "(Did you mean …?)" on the same line, then where the whole usage is — `see formant <command> --help` —
 * instead of the full help after it, which buried the one line that mattered.
 */
export function usageErrorLine(program: Command, args: string[], message: string): string {
  const text = message
    .replace(/^error:\s*/i, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/\.$/, '');
  return `${text}; see ${commandPath(program, args).join(' ')} --help`;
}

/** `formant` and the (sub)commands the words of `args` name, as far as they name one: ['formant', 'voice', 'add-waveglow']. */
function commandPath(program: Command, args: string[]): string[] {
  const names = [program.name()];
  let cmd = program;
  for (const word of args) {
    if (word.startsWith('-')) continue;
    const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) break;
    names.push(sub.name());
    cmd = sub;
  }
  return names;
}
