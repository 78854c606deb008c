"""Phoneme input (hparams text_frontend="phonemes"): phonemes.csv next to metadata.csv, the 116-symbol espeak-ng IPA
table (shared/text/phonemeSymbols.json), clear refusals before training, features copies phonemes.csv, a run keeps
its frontend on resume, warm start from a characters checkpoint, and the exported voice.json."""
from __future__ import annotations

import json
import shutil

import pytest
import torch

from conftest import TRAINER, json_lines, run_trainer, write_synthetic_dataset
from formant_trainer import checkpoint as ckpt
from formant_trainer import shared_json
from formant_trainer.data_utils import DatasetError, attach_phonemes, read_metadata
from formant_trainer.frontend import symbol_info

# espeak-ng --ipa -v en-us of conftest.SYNTH_TEXTS, punctuation and spaces kept as shared/text/phonemize.ts keeps them.
PHONEMES = {"hello there.": "həlˈoʊ ðˈɛɹ.", "a cat sat.": "ɐ kˈæt sˈæt.", "one two three.": "wˈʌn tˈuː θɹˈiː.",
            "good morning, sir.": "ɡˈʊd mˈɔːɹnɪŋ, sˈɜː.", "it is late.": "ɪt ɪz lˈeɪt.", "yes, indeed.": "jˈɛs, ˌɪndˈiːd."}
N_PHONEME_SYMBOLS = 116
PHON = ["--config", "tiny", "--set", "text_frontend=phonemes"]


def write_phonemes(ds, edit=None):
    lines = []
    for line in (ds / "metadata.csv").read_text(encoding="utf-8").splitlines():
        uid, text, _ = line.split("|")
        lines.append([uid, PHONEMES[text]])
    if edit:
        lines = edit(lines)
    (ds / "phonemes.csv").write_text("".join(f"{u}|{p}\n" for u, p in lines), encoding="utf-8")
    return ds


@pytest.fixture(scope="module")
def phoneme_dataset(tmp_path_factory):
    return write_phonemes(write_synthetic_dataset(tmp_path_factory.mktemp("phon") / "dataset"))


@pytest.fixture(scope="module")
def phoneme_run(phoneme_dataset, tmp_path_factory):
    """2 steps with the phoneme table, validating at step 2 (free-running sample)."""
    out = tmp_path_factory.mktemp("phonrun") / "run"
    r = run_trainer("train", str(phoneme_dataset), "--out", str(out), *PHON, "--steps", "2", "--set", "validate_every=2")
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    return out, json_lines(r.stdout)


def test_the_phoneme_table_and_its_packaged_copy():
    sym = symbol_info("phonemes")
    assert len(sym.symbols) == N_PHONEME_SYMBOLS and sym.symbols[sym.pad_id] == "_" and sym.eos_id is None
    assert all(len(s) == 1 for s in sym.symbols)  # one codepoint per symbol: the encoding relies on it
    repo, packaged = shared_json.repo_path(shared_json.PHONEME_SYMBOLS), shared_json.packaged_path(shared_json.PHONEME_SYMBOLS)
    if packaged.is_file():
        assert json.loads(packaged.read_text("utf-8")) == json.loads(repo.read_text("utf-8"))


def test_demo_phonemes_config_is_demo_plus_the_frontend():
    demo = json.loads((TRAINER / "configs" / "demo.json").read_text())
    phon = json.loads((TRAINER / "configs" / "demo-phonemes.json").read_text())
    assert phon == {**demo, "text_frontend": "phonemes"}


def test_a_phoneme_dataset_trains_with_the_phoneme_table(phoneme_run, phoneme_dataset):
    out, ev = phoneme_run
    assert [e["step"] for e in ev if e["event"] == "step"] == [1, 2]
    state = ckpt.load(str(out / "checkpoints" / "tacotron2_00000002.pt"))
    assert state["model"]["embedding.weight"].shape[0] == N_PHONEME_SYMBOLS
    assert state["text_frontend"] == "phonemes" and state["hparams"]["text_frontend"] == "phonemes"
    assert state["symbols"] == symbol_info("phonemes").symbols
    run = json.loads((out / "run.json").read_text())
    assert run["tacotron2"]["text_frontend"] == "phonemes"
    # The free-running sample read the phonemes; its text stays the transcript.
    sample = next(e for e in ev if e["event"] == "validation")["sample"]
    meta = {u.id: u.text for u in read_metadata(str(phoneme_dataset))}
    assert sample["text"] == meta[sample["id"]] and sample["phonemes"] == PHONEMES[sample["text"]]


def _drop_second(lines):
    return lines[:1] + lines[2:]


def _empty_third(lines):
    lines[2][1] = ""
    return lines


def _unknown_in_fourth(lines):
    lines[3][1] = lines[3][1].replace("ɪ", "é", 1)
    return lines


@pytest.mark.parametrize("case,expect", [
    ("missing", "no phonemes.csv"),
    ("missing-id", "no phonemes for 1 of the 6 metadata.csv id(s): SYN-0001"),
    ("empty", "empty phonemes for SYN-0002 (line 3)"),
    ("unknown", 'line 4, SYN-0003: the phoneme table espeak-ng-ipa-en has no symbol for "é" (U+00E9)'),
])
def test_incomplete_or_unspellable_phonemes_are_refused(case, expect, tmp_path):
    ds = write_synthetic_dataset(tmp_path / "ds")
    if case != "missing":
        write_phonemes(ds, {"missing-id": _drop_second, "empty": _empty_third, "unknown": _unknown_in_fourth}[case])
    with pytest.raises(DatasetError) as e:
        attach_phonemes(str(ds), read_metadata(str(ds)))
    assert expect in str(e.value)
    assert "formant phonemize" in str(e.value) or case == "unknown"


def test_train_refuses_a_missing_phonemes_csv_before_training(synthetic_dataset, tmp_path):
    r = run_trainer("train", str(synthetic_dataset), "--out", str(tmp_path / "run"), *PHON, "--steps", "1")
    assert r.returncode == 2
    err = json_lines(r.stdout)[-1]
    assert err["event"] == "error" and err["code"] == "bad-input"
    assert "no phonemes.csv" in err["message"] and f"run `formant phonemize {synthetic_dataset}`" in err["message"]
    assert not (tmp_path / "run" / "checkpoints").exists()


def test_resume_with_another_frontend_is_refused(phoneme_run, phoneme_dataset, tmp_path):
    out, _ = phoneme_run
    run = tmp_path / "run"
    shutil.copytree(out, run)
    r = run_trainer("train", str(phoneme_dataset), "--out", str(run), "--resume", "--steps", "3",
                    "--set", "text_frontend=characters")
    assert r.returncode == 2
    msg = json_lines(r.stdout)[-1]["message"]
    assert "trained with text_frontend=phonemes" in msg and "text_frontend=characters is refused" in msg and "--warm-start" in msg
    cfg = tmp_path / "chars.json"
    cfg.write_text(json.dumps({"base": "tiny", "text_frontend": "characters"}))
    r = run_trainer("train", str(phoneme_dataset), "--out", str(run), "--resume", "--steps", "3", "--config", str(cfg))
    assert r.returncode == 2 and "is refused" in json_lines(r.stdout)[-1]["message"]


def test_warm_start_from_characters_skips_only_the_embedding():
    from formant_trainer.hparams import load_hparams
    from formant_trainer.model import Tacotron2
    chars = load_hparams("tiny").replace(n_symbols=len(symbol_info("characters").symbols))
    phon = load_hparams("tiny", {"text_frontend": "phonemes"}).replace(n_symbols=N_PHONEME_SYMBOLS)
    torch.manual_seed(0)
    src, dst = Tacotron2(chars), Tacotron2(phon)
    report = ckpt.warm_start(dst, {"model": src.state_dict()})
    assert report["skipped"] == ["embedding.weight"] and report["missing"] == []
    assert torch.equal(dst.state_dict()["postnet.convolutions.0.0.conv.weight"], src.state_dict()["postnet.convolutions.0.0.conv.weight"])
    assert dst.embedding.weight.shape[0] == N_PHONEME_SYMBOLS


def test_features_copies_phonemes_csv_and_the_features_dir_trains(phoneme_dataset, tmp_path):
    exclude = tmp_path / "exclude.txt"
    exclude.write_text("SYN-0001\n")
    feats = tmp_path / "features"
    r = run_trainer("features", str(phoneme_dataset), "--out", str(feats), "--config", "tiny", "--exclude", str(exclude))
    assert r.returncode == 0, r.stderr[-2000:]
    meta_ids = [l.split("|")[0] for l in (feats / "metadata.csv").read_text(encoding="utf-8").splitlines()]
    lines = (feats / "phonemes.csv").read_text(encoding="utf-8").splitlines()
    src = dict(l.split("|", 1) for l in (phoneme_dataset / "phonemes.csv").read_text(encoding="utf-8").splitlines())
    assert "SYN-0001" not in meta_ids and [l.split("|")[0] for l in lines] == meta_ids
    assert all(l.split("|", 1)[1] == src[l.split("|")[0]] for l in lines)
    assert json_lines(r.stdout)[-1]["phonemes"] == len(meta_ids)
    r = run_trainer("train", str(feats), "--out", str(tmp_path / "run"), *PHON, "--steps", "1")
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert [e["step"] for e in json_lines(r.stdout) if e["event"] == "step"] == [1]


def test_export_of_a_phoneme_run_names_the_phonemizer(phoneme_run, tmp_path):
    ort = pytest.importorskip("onnxruntime")
    import numpy as np
    out, _ = phoneme_run
    r = run_trainer("export-voice", str(out), "--out", str(tmp_path / "voice"))
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    m = json.loads((tmp_path / "voice" / "voice.json").read_text(encoding="utf-8"))
    sym = symbol_info("phonemes")
    assert m["text"] == {"cleaners": "english", "symbols": sym.symbols, "padId": sym.pad_id, "eosId": None,
                         "phonemizer": {"engine": "espeak-ng", "voice": "en-us"}}
    enc = ort.InferenceSession(str(tmp_path / "voice" / "encoder.onnx"), providers=["CPUExecutionProvider"])
    memory, _ = enc.run(None, {"text": np.array([[1, 12, 49, N_PHONEME_SYMBOLS - 1]], dtype=np.int64)})
    assert memory.shape[:2] == (1, 4) and np.isfinite(memory).all()


def test_make_tiny_voice_phonemes_is_a_phoneme_voice_whose_graphs_match_pytorch(tmp_path):
    pytest.importorskip("onnxruntime")
    from formant_trainer.tiny_voice import REFERENCE_PHONEMES, run_reference_onnx
    out = tmp_path / "tiny"
    r = run_trainer("make-tiny-voice", "--out", str(out), "--phonemes")
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert json_lines(r.stdout)[-1]["text_frontend"] == "phonemes"
    m = json.loads((out / "voice.json").read_text(encoding="utf-8"))
    assert m["text"]["phonemizer"] == {"engine": "espeak-ng", "voice": "en-us"}
    assert m["text"]["symbols"] == symbol_info("phonemes").symbols
    ref = json.loads((out / "reference.json").read_text(encoding="utf-8"))
    sym = symbol_info("phonemes").symbols
    assert ref["phonemes"] == REFERENCE_PHONEMES
    assert [sym[i] for i in ref["encoder"]["inputs"]["text"]["data"]] == list(REFERENCE_PHONEMES)
    diffs = run_reference_onnx(str(out))
    assert max(diffs.values()) < 1e-4, diffs
