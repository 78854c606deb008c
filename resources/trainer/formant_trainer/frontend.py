"""The one door to the symbol tables (symbols.py): text in a table's alphabet → ids, and the table voice.json embeds.
TypeScript writes the text (cleaned.csv through shared/text's english cleaners, phonemes.csv through its phonemizer);
the trainer only maps symbols to ids. The end-of-sequence id is appended exactly when the table has one, as the
synthesis engine does (electron/services/synthesis/textFrontend.ts).

Two text frontends (hparams `text_frontend`): "characters" (cleaned.csv, symbols.json) and "phonemes" (phonemes.csv,
phonemeSymbols.json)."""
from __future__ import annotations

from dataclasses import dataclass

from . import symbols as _symbols


@dataclass(frozen=True)
class SymbolInfo:
    symbols: list
    pad_id: int
    eos_id: int | None


CHARACTERS, PHONEMES = "characters", "phonemes"
# voice.json `text.phonemizer` of a phoneme voice: the engine phonemizes input text this way before encoding.
PHONEMIZER = {"engine": "espeak-ng", "voice": "en-us"}


def _table(frontend: str):
    if frontend == CHARACTERS:
        return _symbols.load_symbol_table()
    if frontend == PHONEMES:
        return _symbols.load_phoneme_symbol_table()
    raise ValueError(f"text_frontend={frontend!r}: expected {CHARACTERS} or {PHONEMES}")


def symbol_info(frontend: str = CHARACTERS) -> SymbolInfo:
    table = _table(frontend)
    return SymbolInfo(list(table.symbols), int(table.pad_id), None if table.eos_id is None else int(table.eos_id))


def text_to_ids(cleaned: str) -> list:
    """Cleaned text (a cleaned.csv entry: shared/text's english cleaners already ran) → symbol ids, nothing cleaned;
    raises TextError (a ValueError naming the characters outside the table)."""
    table = _table(CHARACTERS)
    return _symbols.encode_cleaned(cleaned, table, eos=table.eos_id is not None)


def phonemes_to_ids(phonemes: str) -> list:
    """A phonemes.csv entry → ids of the phoneme table, one per codepoint; TextError names any codepoint outside it."""
    table = _table(PHONEMES)
    return _symbols.encode_phonemes(phonemes, table, eos=table.eos_id is not None)
