"""Voices from published checkpoints without training: files in NVIDIA's layouts (made without NVIDIA's code,
tests/nvidia_files.py) → from-checkpoints / export-vocoder / add-waveglow bundles; bundles are replaced whole or not at
all (an export that fails half-way leaves the previous one)."""
from __future__ import annotations

import hashlib
import json
import os

import numpy as np
import pytest
import torch

from formant_trainer import checkpoint as ckpt
from formant_trainer import export_onnx
from formant_trainer.cli import main
from formant_trainer.hparams import load_hparams
from formant_trainer.model import Tacotron2
from formant_trainer.waveglow import WaveGlow
from nvidia_files import save_nvidia_tacotron2, save_nvidia_waveglow

WG_SIZES = dict(n_flows=4, n_group=8, n_early_every=2, n_early_size=2, n_layers=2, n_channels=8)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    d = tmp_path_factory.mktemp("published")
    t2 = save_nvidia_tacotron2(d / "tacotron2_statedict.pt", load_hparams("default"), legacy_format=True)  # as published (2018)
    wg = save_nvidia_waveglow(d / "waveglow_256channels_universal_v5.pt", legacy_format=True, old_layout=True, **WG_SIZES)
    return d, t2, wg


def _events(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]


def _sha(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def _copy_of(voice, dest, without_waveglow=False):
    import shutil
    shutil.copytree(voice, dest)
    if without_waveglow:
        m = json.loads((dest / "voice.json").read_text())
        m["waveglow"] = None
        m["provenance"]["sources"] = [s for s in m["provenance"]["sources"] if s["model"] != "waveglow"]
        (dest / "voice.json").write_text(json.dumps(m))
        (dest / "waveglow.onnx").unlink()
    return dest


def _folder_bytes(d) -> dict:
    return {n: open(os.path.join(d, n), "rb").read() for n in sorted(os.listdir(d))}


@pytest.fixture(scope="module")
def voice(published, tmp_path_factory):
    d, _, _ = published
    out = tmp_path_factory.mktemp("voices") / "lj-nvidia"
    rc = main(["from-checkpoints", "--tacotron2", str(d / "tacotron2_statedict.pt"),
               "--waveglow", str(d / "waveglow_256channels_universal_v5.pt"), "--out", str(out)])
    assert rc == 0
    return out


def test_from_checkpoints_makes_a_complete_voice_with_provenance(published, voice):
    d, _, _ = published
    m = json.loads((voice / "voice.json").read_text())
    assert sorted(os.listdir(voice)) == ["decoder_step.onnx", "encoder.onnx", "postnet.onnx", "voice.json", "waveglow.onnx"]
    assert m["name"] == "lj-nvidia" and m["melPreset"]["name"] == "nvidia" and m["sampleRate"] == 22050
    assert len(m["text"]["symbols"]) == 148 and m["tacotron2"]["reductionFactor"] == 1
    assert m["waveglow"] == {"graph": "waveglow.onnx", "sigma": 0.6, "nGroup": 8, "hopLength": 256}
    src = {s["model"]: s for s in m["provenance"]["sources"]}
    assert src["tacotron2"] == {"model": "tacotron2", "file": "tacotron2_statedict.pt", "sha256": _sha(d / "tacotron2_statedict.pt"), "steps": 12345}
    assert src["waveglow"]["file"] == "waveglow_256channels_universal_v5.pt" and src["waveglow"]["steps"] == 580000
    assert m["provenance"]["steps"] == 12345 and m["provenance"]["dataset"] == "tacotron2_statedict.pt"
    assert not [n for n in os.listdir(voice.parent) if n.startswith(".")]  # no staging folder left behind


def test_the_graphs_compute_what_the_published_weights_compute(published, voice):
    import onnxruntime as ort
    _, t2_sd, wg_sd = published
    hp = load_hparams("default").replace(n_symbols=148)
    t2 = Tacotron2(hp).eval()
    t2.load_state_dict(t2_sd)
    text = torch.LongTensor([[40, 41, 42, 11, 50, 51]])
    with torch.no_grad():
        memory, _ = t2.encode(text)
    enc = ort.InferenceSession(str(voice / "encoder.onnx"), providers=["CPUExecutionProvider"])
    assert np.abs(enc.run(["memory"], {"text": text.numpy()})[0] - memory.numpy()).max() < 1e-4
    whp = hp.replace(wg_n_flows=4, wg_n_group=8, wg_n_early_every=2, wg_n_early_size=2, wg_n_layers=2, wg_n_channels=8)
    wg = WaveGlow(whp).eval()
    wg.load_state_dict(ckpt.extract_state_dict({"model": wg_sd}))  # NVIDIA's old per-layer cond_layers, converted
    g = torch.Generator().manual_seed(3)
    mel, z = torch.randn(1, 80, 6, generator=g) - 5, torch.randn(1, 8, 6 * 256 // 8, generator=g)
    with torch.no_grad():
        ref = wg.infer_with_z(mel, z, torch.tensor([0.6]))
    sess = ort.InferenceSession(str(voice / "waveglow.onnx"), providers=["CPUExecutionProvider"])
    out = sess.run(["audio"], {"mel": mel.numpy(), "z": z.numpy(), "sigma": np.array([0.6], np.float32)})[0]
    assert float(torch.std(ref)) > 1e-3 and np.abs(out - ref.numpy()).max() < 1e-4


def test_an_unsafe_waveglow_is_refused_and_no_voice_is_written(published, tmp_path, capsys):
    d, _, _ = published

    class RunsCode:
        def __reduce__(self):
            return (os.system, (f"touch {tmp_path / 'pwned'}",))
    torch.save({"model": RunsCode()}, str(tmp_path / "waveglow.pt"))
    rc = main(["from-checkpoints", "--tacotron2", str(d / "tacotron2_statedict.pt"), "--waveglow", str(tmp_path / "waveglow.pt"),
               "--out", str(tmp_path / "voice")])
    err = _events(capsys)[-1]
    assert rc == 2 and err["event"] == "error" and err["code"] == "bad-input"
    assert str(tmp_path / "waveglow.pt") in err["message"] and "refused" in err["message"]
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "voice").exists()


def test_a_checkpoint_of_another_symbol_set_is_refused_by_name(tmp_path, capsys):
    hp = load_hparams("default").replace(n_symbols=100)
    torch.save({"state_dict": Tacotron2(hp).state_dict(), "iteration": 1}, str(tmp_path / "other.pt"))
    assert main(["from-checkpoints", "--tacotron2", str(tmp_path / "other.pt"), "--out", str(tmp_path / "v")]) == 2
    msg = _events(capsys)[-1]["message"]
    assert "other.pt" in msg and "100 symbols" in msg and "148" in msg


def test_standalone_vocoder_then_added_to_a_voice_without_one(published, voice, tmp_path, capsys):
    d, _, _ = published
    assert main(["export-vocoder", "--waveglow", str(d / "waveglow_256channels_universal_v5.pt"), "--out", str(tmp_path / "wg")]) == 0
    v = json.loads((tmp_path / "wg" / "vocoder.json").read_text())
    assert v["format"] == "formant-vocoder" and v["melPreset"]["name"] == "nvidia" and v["waveglow"]["nGroup"] == 8
    assert sorted(os.listdir(tmp_path / "wg")) == ["vocoder.json", "waveglow.onnx"]
    _copy_of(voice, tmp_path / "voice", without_waveglow=True)
    (tmp_path / "voice" / "README.md").write_text("my notes")
    assert json.loads((tmp_path / "voice" / "voice.json").read_text())["waveglow"] is None
    assert main(["add-waveglow", str(tmp_path / "voice"), "--waveglow", str(tmp_path / "wg")]) == 0
    m = json.loads((tmp_path / "voice" / "voice.json").read_text())
    assert m["waveglow"]["graph"] == "waveglow.onnx" and m["waveglow"]["hopLength"] == 256
    assert (tmp_path / "voice" / "waveglow.onnx").read_bytes() == (tmp_path / "wg" / "waveglow.onnx").read_bytes()
    assert (tmp_path / "voice" / "README.md").read_text() == "my notes"
    assert [s["model"] for s in m["provenance"]["sources"]] == ["tacotron2", "waveglow"]


def test_a_waveglow_of_another_mel_preset_is_refused_naming_both(published, voice, tmp_path, capsys):
    d, _, _ = published
    _copy_of(voice, tmp_path / "voice", without_waveglow=True)
    m = json.loads((tmp_path / "voice" / "voice.json").read_text())
    from formant_trainer import audio
    m["melPreset"] = audio.get_preset("seed")
    (tmp_path / "voice" / "voice.json").write_text(json.dumps(m))
    before = _folder_bytes(tmp_path / "voice")
    capsys.readouterr()
    assert main(["add-waveglow", str(tmp_path / "voice"), "--waveglow", str(d / "waveglow_256channels_universal_v5.pt")]) == 2
    msg = _events(capsys)[-1]["message"]
    assert '"seed"' in msg and '"nvidia"' in msg
    assert _folder_bytes(tmp_path / "voice") == before


def test_an_export_that_fails_half_way_leaves_the_previous_bundle(published, voice, tmp_path, monkeypatch):
    d, _, _ = published
    out = _copy_of(voice, tmp_path / "voice", without_waveglow=True)
    (out / "notes.txt").write_text("kept")
    before = _folder_bytes(out)

    def fails(*_a, **_k):
        raise OSError("No space left on device")
    monkeypatch.setattr(export_onnx, "export_waveglow", fails)  # the acoustic graphs are already written by then
    with pytest.raises(OSError, match="No space"):
        export_onnx.export_voice(None, str(out), tacotron2_ckpt=str(d / "tacotron2_statedict.pt"),
                                 waveglow_ckpt=str(d / "waveglow_256channels_universal_v5.pt"), weights="fp16")
    assert _folder_bytes(out) == before
    assert os.listdir(tmp_path) == ["voice"]


def test_a_folder_moved_aside_by_a_killed_export_is_put_back(tmp_path):
    from formant_trainer.bundle_folder import staged_folder
    aside = tmp_path / ".voice.old-4242"  # killed between moving the old bundle aside and renaming the new one in
    aside.mkdir()
    (aside / "voice.json").write_text("old")
    with staged_folder(str(tmp_path / "voice"), owned={"voice.json"}) as stage:
        assert (tmp_path / "voice" / "voice.json").read_text() == "old"
        with open(os.path.join(stage, "voice.json"), "w") as f:
            f.write("new")
    assert (tmp_path / "voice" / "voice.json").read_text() == "new" and os.listdir(tmp_path) == ["voice"]


def test_vocode_takes_nvidias_pickled_waveglow(published, tmp_path):
    import wave
    from formant_trainer.vocode import vocode
    d, _, _ = published
    np.save(tmp_path / "mel.npy", np.random.default_rng(0).standard_normal((80, 10)).astype(np.float32) - 5)
    r = vocode(str(tmp_path / "mel.npy"), str(d / "waveglow_256channels_universal_v5.pt"), str(tmp_path / "out.wav"))
    with wave.open(str(tmp_path / "out.wav")) as w:
        assert w.getframerate() == 22050 and w.getnframes() == 10 * 256
    assert r["seconds"] == round(10 * 256 / 22050, 3)


def test_the_published_tacotron2_reads_with_weights_only(published, monkeypatch):
    from test_safe_load import TORCH2, _count_loads
    d, _, _ = published
    seen = _count_loads(monkeypatch)
    assert ckpt.load(str(d / "tacotron2_statedict.pt"))["iteration"] == 12345
    if TORCH2:  # a plain state dict never needs the restricted unpickler (torch 1.13: see test_safe_load.TORCH2)
        assert seen == [("torch.load", True)]
    seen.clear()
    ckpt.load(str(d / "waveglow_256channels_universal_v5.pt"))
    assert seen == [("torch.load", True), ("safe_pickle",)]
