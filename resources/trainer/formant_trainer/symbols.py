"""The symbol tables TypeScript owns (shared/text/symbols.json for characters, phonemeSymbols.json for espeak-ng IPA;
found by shared_json.py) and text -> ids. The trainer never cleans or phonemizes: the text arrives in the tables'
alphabet (cleaned.csv written by shared/text's english cleaners, phonemes.csv by its phonemizer), and this module
only maps each symbol to its id, as encodeText in shared/text/symbols.ts does with cleaners "none"."""
from __future__ import annotations

import json
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from . import shared_json


class TextError(ValueError):
    """Text that cannot become ids, or a bad table; `code` matches the TypeScript ServiceError codes."""

    def __init__(self, code: str, message: str, details=None):
        super().__init__(message)
        self.code = code
        self.details = details


UNKNOWN_SYMBOL = 'TEXT_UNKNOWN_SYMBOL'
BAD_TABLE = 'TEXT_BAD_SYMBOL_TABLE'


@dataclass(frozen=True)
class SymbolTable:
    symbols: tuple
    pad: str
    eos: str | None = None
    name: str | None = None
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def pad_id(self) -> int:
        return self.symbols.index(self.pad)

    @property
    def eos_id(self) -> int | None:
        return None if self.eos is None else self.symbols.index(self.eos)

    def id_of(self, symbol: str):
        """The id of a symbol; pad and eos are never produced from text."""
        if not self._index:
            self._index.update({s: i for i, s in enumerate(self.symbols) if s != self.pad and s != self.eos})
        return self._index.get(symbol)


def parse_symbol_table(value) -> SymbolTable:
    """The checks of parseSymbolTable in shared/text/symbols.ts: unique symbols, pad (and eos) among them."""
    def bad(why):
        return TextError(BAD_TABLE, f'invalid symbol table: {why}')
    if not isinstance(value, dict):
        raise bad('not an object')
    symbols = value.get('symbols')
    if not isinstance(symbols, list) or not symbols or not all(isinstance(s, str) and s for s in symbols):
        raise bad('"symbols" must be a non-empty array of non-empty strings')
    if len(set(symbols)) != len(symbols):
        raise bad('a symbol appears twice')
    pad, eos = value.get('pad'), value.get('eos')
    if not isinstance(pad, str) or pad not in symbols:
        raise bad('"pad" must be one of the symbols')
    if eos is not None and (not isinstance(eos, str) or eos not in symbols):
        raise bad('"eos" must be null or one of the symbols')
    return SymbolTable(tuple(symbols), pad, eos, value.get('name') if isinstance(value.get('name'), str) else None)


_cache: dict = {}


def _load(which: tuple) -> SymbolTable:
    try:
        path = shared_json.find(which)
    except shared_json.SharedFileMissing as e:
        raise TextError(BAD_TABLE, str(e)) from e
    key = str(Path(path).resolve())
    if key not in _cache:
        with open(path, encoding='utf-8') as f:
            _cache[key] = parse_symbol_table(json.load(f))
    return _cache[key]


def load_symbol_table() -> SymbolTable:
    return _load(shared_json.SYMBOLS)


def load_phoneme_symbol_table() -> SymbolTable:
    return _load(shared_json.PHONEME_SYMBOLS)


def _code_points(s: str) -> str:
    return ' '.join(f'U+{ord(c):04X}' for c in s)


def _refuse(missing: OrderedDict, what: str) -> TextError:
    listed = ', '.join(f'{json.dumps(s, ensure_ascii=False)} ({s if s.startswith("{") else _code_points(s)})' for s in missing)
    return TextError(UNKNOWN_SYMBOL, f'{what} has no symbol for {listed}',
                     {'unknown': [{'symbol': s, 'count': n} for s, n in missing.items()]})


# "{HH AH0 L OW1}": braces holding phone-shaped tokens only (ARPABET_RE of symbols.ts); other braces are plain text.
_ARPABET_RE = re.compile(r'\{[\t\n\v\f\r ]*([A-Z]{1,2}[0-2]?(?:[\t\n\v\f\r ]+[A-Z]{1,2}[0-2]?)*)[\t\n\v\f\r ]*\}')


def encode_cleaned(cleaned: str, table: SymbolTable | None = None, eos: bool = False) -> list:
    """A cleaned.csv entry (shared/text's english cleaners already ran) -> ids: one per character, ARPAbet in braces one
    per phone ('@' symbols). Characters outside the table raise TEXT_UNKNOWN_SYMBOL naming each with its U+ code."""
    table = table or load_symbol_table()
    ids, missing = [], OrderedDict()

    def add(symbol: str, shown: str) -> None:
        sid = table.id_of(symbol)
        if sid is None:
            missing[shown] = missing.get(shown, 0) + 1
        else:
            ids.append(sid)

    last = 0
    for m in list(_ARPABET_RE.finditer(cleaned)) + [None]:
        for ch in cleaned[last:m.start() if m else len(cleaned)]:
            add(ch, ch)
        if m:
            for phone in m.group(1).split():
                add('@' + phone, '{' + phone + '}')
            last = m.end()
    if missing:
        raise _refuse(missing, "the symbol table (shared/text/symbols.json)")
    if eos and table.eos_id is not None:
        ids.append(table.eos_id)
    return ids


def encode_phonemes(phonemes: str, table: SymbolTable | None = None, eos: bool = False) -> list:
    """espeak-ng IPA (normalized, cleaned and phonemized by shared/text/phonemize.ts) -> ids, one per codepoint.
    Codepoints outside the table raise TEXT_UNKNOWN_SYMBOL naming them."""
    table = table or load_phoneme_symbol_table()
    ids, missing = [], OrderedDict()
    for ch in phonemes:
        sid = table.id_of(ch)
        if sid is None:
            missing[ch] = missing.get(ch, 0) + 1
        else:
            ids.append(sid)
    if missing:
        raise _refuse(missing, f'the phoneme table{f" {table.name}" if table.name else ""}')
    if eos and table.eos_id is not None:
        ids.append(table.eos_id)
    return ids
