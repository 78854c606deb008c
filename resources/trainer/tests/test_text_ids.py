"""The trainer's text is TypeScript's: `formant clean-text` (shared/text's english cleaners) writes cleaned.csv and the
trainer only maps its symbols to ids with shared/text/symbols.json. Checked here: the CLI's output for the synthetic
dataset is what conftest writes, lj-small's ids are the ones the demo voices were trained on (hashes captured from the
trainer's own Python cleaners before they were removed: shared/text/testdata/ljspeech_trainer_ids.json), and text the
table cannot spell, a missing cleaned.csv and a missing entry each get their message."""
from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from conftest import REPO, SYNTH_TEXTS, formant_cli, json_lines, run_trainer, write_synthetic_dataset
from formant_trainer import shared_json
from formant_trainer.data_utils import DatasetError, attach_cleaned_text, read_metadata
from formant_trainer.frontend import symbol_info, text_to_ids
from formant_trainer.symbols import TextError, encode_cleaned, parse_symbol_table

FAST = ["--config", "tiny", "--set", "n_frames_per_step=5", "--set", "batch_size=2"]


def test_ids_of_cleaned_text_by_hand():
    # '_'=0 '-'=1 '!'=2 "'"=3 '('=4 ')'=5 ','=6 '.'=7 ':'=8 ';'=9 '?'=10 ' '=11, 'A'=12 … 'a'=38 … 'z'=63, '@AA'=64 …
    assert text_to_ids("hi, bob!") == [45, 46, 6, 11, 39, 52, 39, 2]
    sym = symbol_info().symbols
    ids = text_to_ids("turn left on {HH AW1 S S T AH0 N} street.")
    assert ids[13:20] == [sym.index("@" + p) for p in "HH AW1 S S T AH0 N".split()] and ids[20] == 11


def test_characters_outside_the_table_are_named():
    with pytest.raises(TextError) as e:
        text_to_ids("hello 世界 {ZZ1}")
    assert e.value.code == "TEXT_UNKNOWN_SYMBOL"
    assert "U+4E16" in str(e.value) and "U+754C" in str(e.value) and "{ZZ1}" in str(e.value)
    # pad and eos are never spelled by text
    t = parse_symbol_table({"pad": "_", "eos": "~", "symbols": ["_", "~", "h", "i"]})
    assert encode_cleaned("hi", t, eos=True) == [2, 3, 1]
    with pytest.raises(TextError):
        encode_cleaned("h_i", t)


def test_bad_tables_are_refused():
    for bad in [{}, {"pad": "_", "symbols": []}, {"pad": "x", "symbols": ["_"]}, {"pad": "_", "symbols": ["_", "_"]}]:
        with pytest.raises(TextError) as e:
            parse_symbol_table(bad)
        assert e.value.code == "TEXT_BAD_SYMBOL_TABLE"


def test_packaged_copy_of_the_table_matches_when_present():
    repo, packaged = shared_json.repo_path(shared_json.SYMBOLS), shared_json.packaged_path(shared_json.SYMBOLS)
    assert len(json.loads(repo.read_text("utf-8"))["symbols"]) == 148
    if packaged.is_file():
        assert json.loads(packaged.read_text("utf-8")) == json.loads(repo.read_text("utf-8"))


def test_formant_clean_text_writes_what_the_synthetic_dataset_holds(tmp_path):
    ds = write_synthetic_dataset(tmp_path / "ds", n=len(SYNTH_TEXTS))
    expected = (ds / "cleaned.csv").read_text(encoding="utf-8")
    (ds / "cleaned.csv").unlink()
    r = formant_cli("clean-text", str(ds))
    assert r.returncode == 0, r.stderr
    assert (ds / "cleaned.csv").read_text(encoding="utf-8") == expected


def test_lj_small_gets_the_ids_the_demo_voices_were_trained_on(lj_small):
    captured = json.loads((REPO / "shared" / "text" / "testdata" / "ljspeech_trainer_ids.json").read_text("utf-8"))["datasets"]["lj-small"]
    utts = attach_cleaned_text(str(lj_small), read_metadata(str(lj_small)))
    got = {u.id: hashlib.sha256(",".join(map(str, text_to_ids(u.cleaned))).encode()).hexdigest()[:16] for u in utts}
    assert got == captured


def test_missing_or_incomplete_cleaned_text_is_refused(tmp_path):
    ds = write_synthetic_dataset(tmp_path / "ds", n=3)
    lines = (ds / "cleaned.csv").read_text(encoding="utf-8").splitlines()
    (ds / "cleaned.csv").write_text(lines[0] + "\n" + lines[2].split("|")[0] + "|\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"no cleaned text for 1 of the 3 metadata.csv id\(s\): SYN-0001"):
        attach_cleaned_text(str(ds), read_metadata(str(ds)))
    (ds / "cleaned.csv").write_text("\n".join(lines[:2]) + "\n" + lines[2].split("|")[0] + "| \n", encoding="utf-8")
    with pytest.raises(DatasetError, match="empty cleaned text for SYN-0002"):
        attach_cleaned_text(str(ds), read_metadata(str(ds)))
    (ds / "cleaned.csv").unlink()
    r = run_trainer("train", str(ds), "--out", str(tmp_path / "run"), *FAST, "--steps", "1")
    err = json_lines(r.stdout)[-1]
    assert r.returncode == 2 and err["code"] == "bad-input"
    assert "cleaned.csv: not found" in err["message"] and "formant clean-text" in err["message"]


def test_a_clip_the_table_cannot_spell_is_left_out_with_its_characters_named(tmp_path):
    ds = write_synthetic_dataset(tmp_path / "ds", n=4)
    text_csv = tmp_path / "elsewhere.csv"  # --text-csv: the file `formant train` writes into the run folder
    shutil.move(ds / "cleaned.csv", text_csv)
    text_csv.write_text(text_csv.read_text(encoding="utf-8").replace("a cat sat.", "a cat sat 世."), encoding="utf-8")
    r = run_trainer("train", str(ds), "--out", str(tmp_path / "run"), *FAST, "--steps", "1", "--text-csv", str(text_csv))
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    warning = next(e for e in json_lines(r.stdout) if e["event"] == "warning" and "cannot spell" in e["message"])
    assert len(warning["details"]) == 1 and warning["details"][0].startswith("SYN-0001:") and "U+4E16" in warning["details"][0]
