"""The symbol table (shared/text/symbols.json, which the TypeScript frontend and voice bundles use) and text -> ids.
Mirror of shared/text/symbols.ts. The tables are found by shared_json.py ($FORMANT_SYMBOLS_JSON, the repo's, or
the packaged copy next to formant_trainer/); the phoneme table (shared/text/phonemeSymbols.json, espeak-ng IPA
codepoints; hparams text_frontend="phonemes") likewise with $FORMANT_PHONEME_SYMBOLS_JSON.
"""
from __future__ import annotations

import json
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from .. import shared_json
from .cleaners import english_cleaners



class TextError(ValueError):
    """Text that cannot become ids, or a bad table; `code` matches the TypeScript ServiceError codes."""

    def __init__(self, code: str, message: str, details=None):
        super().__init__(message)
        self.code = code
        self.details = details


UNKNOWN_SYMBOL = 'TEXT_UNKNOWN_SYMBOL'
BAD_TABLE = 'TEXT_BAD_SYMBOL_TABLE'
NO_EOS = 'TEXT_NO_EOS'


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
        if not self._index:
            self._index.update({s: i for i, s in enumerate(self.symbols)})
        return self._index.get(symbol)

    def to_json(self) -> dict:
        return {'pad': self.pad, 'eos': self.eos, 'symbols': list(self.symbols)}


def parse_symbol_table(value) -> SymbolTable:
    def bad(why):
        return TextError(BAD_TABLE, f'invalid symbol table: {why}')
    if not isinstance(value, dict):
        raise bad('not an object')
    symbols = value.get('symbols')
    if not isinstance(symbols, list) or not symbols:
        raise bad('"symbols" must be a non-empty array of strings')
    if not all(isinstance(s, str) and s for s in symbols):
        raise bad('every symbol must be a non-empty string')
    seen = set()
    for s in symbols:
        if s in seen:
            raise bad(f'symbol {json.dumps(s)} appears twice')
        seen.add(s)
    pad = value.get('pad')
    if not isinstance(pad, str) or pad not in seen:
        raise bad('"pad" must be one of the symbols')
    eos = value.get('eos')
    if eos is not None and (not isinstance(eos, str) or eos not in seen):
        raise bad('"eos" must be null or one of the symbols')
    name = value.get('name') if isinstance(value.get('name'), str) else None
    return SymbolTable(tuple(symbols), pad, eos, name)


def _find_table(which: tuple) -> Path:
    try:
        return shared_json.find(which)
    except shared_json.SharedFileMissing as e:
        raise TextError(BAD_TABLE, str(e)) from e


def symbols_json_path() -> Path:
    return _find_table(shared_json.SYMBOLS)


def phoneme_symbols_json_path() -> Path:
    return _find_table(shared_json.PHONEME_SYMBOLS)


_cache: dict = {}


def load_symbol_table(path=None) -> SymbolTable:
    p = Path(path) if path else symbols_json_path()
    key = str(p)
    if key not in _cache:
        with open(p, encoding='utf-8') as f:
            _cache[key] = parse_symbol_table(json.load(f))
    return _cache[key]


def load_phoneme_symbol_table(path=None) -> SymbolTable:
    return load_symbol_table(path or phoneme_symbols_json_path())


def _encode_chars(chars: str, table: SymbolTable, ids: list, missing: OrderedDict) -> None:
    """One id per codepoint into `ids`; codepoints without one (pad and eos count as none) are counted in `missing`."""
    for ch in chars:
        sid = None if ch == table.pad or ch == table.eos else table.id_of(ch)
        if sid is None:
            missing[ch] = missing.get(ch, 0) + 1
        else:
            ids.append(sid)


def encode_phonemes(phonemes: str, table: SymbolTable | None = None, eos: bool = False) -> list:
    """espeak-ng IPA (already normalized, cleaned and phonemized by shared/text/phonemize.ts) -> ids, one symbol
    per Unicode codepoint, no cleaners. Unknown codepoints raise TEXT_UNKNOWN_SYMBOL naming them."""
    table = table or load_phoneme_symbol_table()
    ids, missing = [], OrderedDict()
    _encode_chars(phonemes, table, ids, missing)
    if missing:
        listed = ', '.join(f'{json.dumps(s, ensure_ascii=False)} ({_code_point_label(s)})' for s in missing)
        raise TextError(UNKNOWN_SYMBOL, f'the phoneme table{f" {table.name}" if table.name else ""} has no symbol for {listed}',
                        {'unknown': [{'symbol': s, 'codePoint': _code_point_label(s), 'count': n} for s, n in missing.items()]})
    if eos and table.eos_id is not None:
        ids.append(table.eos_id)
    return ids


_ARPABET_RE = re.compile(r'\{[\t\n\v\f\r ]*([A-Z]{1,2}[0-2]?(?:[\t\n\v\f\r ]+[A-Z]{1,2}[0-2]?)*)[\t\n\v\f\r ]*\}')
_ARPABET_SPLIT_RE = re.compile('[\t\n\v\f\r ]+')


def _code_point_label(s: str) -> str:
    return ' '.join(f'U+{ord(c):04X}' for c in s)


def _clean_segment(text: str, cleaners: str, is_first: bool, is_last: bool) -> str:
    if cleaners == 'none':
        return text
    if cleaners != 'english':  # the trainer's only cleaners; shared/text has more for the app
        raise ValueError(f'unknown cleaners "{cleaners}" (the trainer knows english and none)')
    cleaned = english_cleaners(text)
    if cleaned == '':
        return ' ' if re.fullmatch('[\t\n\v\f\r ]*', text) and not is_first and not is_last and text else ''
    lead = ' ' if not is_first and re.match('[\t\n\v\f\r ]', text) else ''
    trail = ' ' if not is_last and re.search('[\t\n\v\f\r ]\\Z', text) else ''
    return lead + cleaned + trail


def encode_text(text: str, table: SymbolTable | None = None, cleaners: str = 'english', unknown: str = 'error',
                eos: bool = False) -> dict:
    """Text -> {'ids', 'cleaned', 'unknown'} exactly as encodeText in symbols.ts ({ARPAbet} in braces)."""
    table = table or load_symbol_table()
    ids: list = []
    missing: OrderedDict = OrderedDict()
    pieces = []
    parts = []
    last = 0
    for m in _ARPABET_RE.finditer(text):
        parts.append((False, text[last:m.start()]))
        parts.append((True, m.group(1)))
        last = m.end()
    parts.append((False, text[last:]))
    for i, (arpabet, part) in enumerate(parts):
        if arpabet:
            phones = [p for p in _ARPABET_SPLIT_RE.split(part) if p != '']
            for p in phones:
                sid = table.id_of('@' + p)
                if sid is None:
                    missing['{' + p + '}'] = missing.get('{' + p + '}', 0) + 1
                else:
                    ids.append(sid)
            pieces.append('{' + ' '.join(phones) + '}')
            continue
        cleaned = _clean_segment(part, cleaners, i == 0, i == len(parts) - 1)
        pieces.append(cleaned)
        _encode_chars(cleaned, table, ids, missing)
    unknown_list = [{'symbol': s, 'codePoint': s if s.startswith('{') else _code_point_label(s), 'count': n}
                    for s, n in missing.items()]
    if unknown_list and unknown == 'error':
        listed = ', '.join(f"{json.dumps(u['symbol'], ensure_ascii=False)} ({u['codePoint']})" for u in unknown_list)
        raise TextError(UNKNOWN_SYMBOL, f"the voice's symbol table has no symbol for {listed}; rephrase or remove "
                        + ('it' if len(unknown_list) == 1 else 'them'), {'unknown': unknown_list})
    if eos:
        if table.eos_id is None:
            raise TextError(NO_EOS, 'this symbol table has no end-of-sequence symbol')
        ids.append(table.eos_id)
    return {'ids': ids, 'cleaned': ''.join(pieces), 'unknown': unknown_list}


def text_to_sequence(text: str, table: SymbolTable | None = None, cleaners: str = 'english', unknown: str = 'error',
                     eos: bool = False) -> list:
    return encode_text(text, table, cleaners, unknown, eos)['ids']
