import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ServiceError } from '../../../shared/contract/rpc';
import {
  DEFAULT_SYMBOL_TABLE, encodeText, normalizeText, parseSymbolTable, splitClauses, splitSentences, type SymbolTable,
} from '../../../shared/text/index';
import type { RegisterCommand } from '../formant';

/**
 * `formant text "<text>"`: how a voice will read a text — the sentences (and clauses), each one
 * normalized, cleaned and as symbol ids — with the same shared/text code synthesis and training use.
 */

async function tableFrom(file: string | undefined): Promise<SymbolTable> {
  if (!file) return DEFAULT_SYMBOL_TABLE;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new ServiceError('bad-input', `--symbols ${file}: cannot read JSON (${(e as Error).message})`);
  }
  // A voice.json holds its table under "text"; symbols.json is the table itself.
  const t = (json as { text?: { symbols?: string[]; padId?: number; eosId?: number | null } }).text;
  if (t && Array.isArray(t.symbols) && typeof t.padId === 'number') {
    return parseSymbolTable({ symbols: t.symbols, pad: t.symbols[t.padId], eos: t.eosId == null ? null : t.symbols[t.eosId] });
  }
  return parseSymbolTable(json);
}

export const registerText: RegisterCommand = (program: Command, setExit) => {
  program
    .command('text [text]')
    .description('show how text is read: sentences, normalized and cleaned text, symbol ids')
    .option('--text-file <file>', 'read the text from a UTF-8 file')
    .option('--symbols <file>', 'symbol table: a symbols.json or a voice.json (default: shared/text/symbols.json)')
    .option('--max-chars <n>', 'also split sentences longer than this into clauses', (v) => Number(v))
    .option('--json', 'print JSON')
    .action(async (text: string | undefined, opts: { textFile?: string; symbols?: string; maxChars?: number; json?: boolean }) => {
      if (opts.textFile) text = await readFile(opts.textFile, 'utf8');
      if (text === undefined || !text.trim()) throw new ServiceError('bad-input', 'give a text (or --text-file <file>)');
      if (opts.maxChars !== undefined && !(opts.maxChars >= 1)) throw new ServiceError('bad-input', '--max-chars must be a number ≥ 1');
      const table = await tableFrom(opts.symbols);
      const pieces = splitSentences(text).flatMap((s, sentence) =>
        (opts.maxChars ? splitClauses(s.text, opts.maxChars) : [{ text: s.text, start: 0, end: s.text.length }]).map((c) => ({
          sentence,
          text: c.text,
          start: s.start + c.start,
          end: s.start + c.end,
        })),
      );
      const rows = pieces.map((p) => {
        const enc = encodeText(p.text, table, { unknown: 'drop' });
        return { ...p, normalized: normalizeText(p.text), cleaned: enc.cleaned, ids: enc.ids, unknown: enc.unknown };
      });
      if (opts.json) {
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      } else {
        for (const r of rows) {
          process.stdout.write(`[${r.sentence + 1}] ${r.text}\n    normalized: ${r.normalized}\n    cleaned:    ${r.cleaned}\n    ids:        ${r.ids.join(' ')}\n`);
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
