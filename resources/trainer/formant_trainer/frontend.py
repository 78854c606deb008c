"""The one door to the text frontend (formant_trainer.text, owned by the text area, mirroring shared/text):
text → symbol ids, and the symbol table that voice.json embeds. Keeping the adapter here means the trainer
never has its own copy of cleaners or symbols. The end-of-sequence id is appended exactly when the table has
one, as the synthesis engine does (electron/services/synthesis/textFrontend.ts).

Two text frontends (hparams `text_frontend`): "characters" (transcripts, english cleaners, symbols.json) and
"phonemes" (phonemes.csv entries made by `formant phonemize`, one symbol per codepoint, phonemeSymbols.json)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SymbolInfo:
    symbols: list
    pad_id: int
    eos_id: int | None


def _text():
    try:
        from . import text  # resources/trainer/formant_trainer/text, the text area's package
    except ImportError as e:
        raise RuntimeError("formant_trainer.text (the Python text frontend) is missing or broken: " + str(e)) from e
    return text


CHARACTERS, PHONEMES = "characters", "phonemes"
# voice.json `text.phonemizer` of a phoneme voice: the engine phonemizes input text this way before encoding.
PHONEMIZER = {"engine": "espeak-ng", "voice": "en-us"}


def _table(frontend: str):
    t = _text()
    if frontend == CHARACTERS:
        return t.load_symbol_table()
    if frontend == PHONEMES:
        return t.load_phoneme_symbol_table()
    raise ValueError(f"text_frontend={frontend!r}: expected {CHARACTERS} or {PHONEMES}")


def symbol_info(frontend: str = CHARACTERS) -> SymbolInfo:
    table = _table(frontend)
    return SymbolInfo(list(table.symbols), int(table.pad_id), None if table.eos_id is None else int(table.eos_id))


def text_to_ids(text: str) -> list:
    """english cleaners + symbol ids, exactly as shared/text encodeText; raises the frontend's TextError
    (a clear message naming the unknown characters) when the table cannot spell the text."""
    t = _text()
    table = t.load_symbol_table()
    return list(t.text_to_sequence(text, table, cleaners="english", eos=table.eos_id is not None))


def phonemes_to_ids(phonemes: str) -> list:
    """A phonemes.csv entry → ids of the phoneme table, one per codepoint, no cleaners (the TypeScript phonemizer
    normalized and cleaned before phonemizing); TextError names any codepoint outside the table."""
    table = _table(PHONEMES)
    return list(_text().encode_phonemes(phonemes, table, eos=table.eos_id is not None))
