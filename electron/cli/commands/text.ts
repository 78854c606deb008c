import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ServiceError } from '../../../shared/contract/rpc';
import { espeakIpa } from '../../services/synthesis/espeakIpa';
import type { RegisterCommand } from '../formant';
import { integerOption } from '../options';
import { visibleControls } from '../terminalText';
import { readerFromSymbolsFile, readerFromVoice, readText } from './textReading';

/**
 * `formant text "<text>"`: how a voice will read a text — the sentences (and clauses), each one
 * normalized, cleaned, for a phoneme voice its espeak-ng IPA, and as symbol ids — with the same
 * shared/text code synthesis and training use (logic: textReading.ts).
 */
export const registerText: RegisterCommand = (program: Command, setExit) => {
  program
    .command('text [text]')
    .description('show how text is read: sentences, normalized and cleaned text, IPA (phoneme voices), symbol ids')
    .option('--text-file <file>', 'read the text from a UTF-8 file')
    .option('--symbols <file>', 'symbol table: a symbols.json or a voice.json (default: shared/text/symbols.json)')
    .option('--voice <dir>', 'a voice folder (or its voice.json): its symbols, and its phonemizer when it reads phonemes')
    .option('--max-chars <n>', 'also split sentences longer than this into clauses (1–100000)', integerOption('--max-chars', 1, 100_000))
    .option('--json', 'print JSON')
    .action(async (text: string | undefined, opts: { textFile?: string; symbols?: string; voice?: string; maxChars?: number; json?: boolean }) => {
      if (opts.textFile) text = await readFile(opts.textFile, 'utf8');
      if (text === undefined || !text.trim()) throw new ServiceError('bad-input', 'give a text (or --text-file <file>)');
      if (opts.voice && opts.symbols) throw new ServiceError('bad-input', 'give --voice or --symbols, not both');
      const reader = opts.voice ? await readerFromVoice(opts.voice) : await readerFromSymbolsFile(opts.symbols);
      const rows = await readText(text, reader, { maxChars: opts.maxChars, espeak: espeakIpa });
      if (opts.json) {
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      } else {
        if (reader.phonemizer) process.stdout.write(`(phoneme voice: espeak-ng ${reader.phonemizer}; the ids spell the IPA)\n`);
        for (const r of rows) {
          const v = visibleControls;
          process.stdout.write(`[${r.sentence + 1}] ${v(r.text)}\n    normalized: ${v(r.normalized)}\n    cleaned:    ${v(r.cleaned)}\n`);
          if (r.phonemes !== undefined) process.stdout.write(`    phonemes:   ${r.phonemes == null ? '(not phonemized: unknown characters)' : v(r.phonemes)}\n`);
          process.stdout.write(`    ids:        ${r.ids.join(' ')}\n`);
          if (r.unknown.length) process.stdout.write(`    UNKNOWN:    ${r.unknown.map((u) => `${JSON.stringify(u.symbol)} (${u.codePoint})`).join(', ')}\n`);
        }
      }
      // Characters the voice cannot say: reported, and the exit code says so.
      if (rows.some((r) => r.unknown.length)) {
        process.stderr.write('formant: some characters have no symbol in the table (marked UNKNOWN); synthesis would refuse this text\n');
        setExit(1);
      }
    });
};
