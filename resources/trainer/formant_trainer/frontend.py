"""The one door to the text frontend (formant_trainer.text, owned by the text area, mirroring shared/text):
text → symbol ids, and the symbol table that voice.json embeds. Keeping the adapter here means the trainer
never has its own copy of cleaners or symbols."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SymbolInfo:
    symbols: list
    pad_id: int
    eos_id: int | None


def _text():
    try:
        from . import text  # noqa: F401  (resources/trainer/formant_trainer/text, the text area's package)
    except ImportError as e:
        raise RuntimeError("formant_trainer.text (the Python text frontend) is missing or broken: " + str(e)) from e
    return text


def symbol_info() -> SymbolInfo:
    t = _text()
    table = t.load_symbol_table()
    return SymbolInfo(list(table.symbols), int(table.pad_id), None if table.eos_id is None else int(table.eos_id))


def text_to_ids(text: str) -> list:
    """Cleans (english_cleaners) and maps to ids, exactly as shared/text textToSequence does."""
    t = _text()
    return list(t.text_to_sequence(t.english_cleaners(text), t.load_symbol_table()))
