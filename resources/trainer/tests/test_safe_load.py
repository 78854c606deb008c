"""Checkpoints are data: every file is read with weights_only or, for NVIDIA's pickled WaveGlow module, the restricted
unpickler (safe_pickle.py); NVIDIA's source is never needed and a pickle that tries to run code is refused."""
from __future__ import annotations

import os
import pickle
import sys

import pytest
import torch

from formant_trainer import checkpoint as ckpt
from formant_trainer.hparams import load_hparams
from formant_trainer.waveglow import WaveGlow
from nvidia_files import save_nvidia_waveglow

SIZES = dict(n_flows=4, n_group=8, n_early_every=2, n_early_size=2, n_layers=2, n_channels=8)


def _hp():
    return load_hparams("tiny").replace(wg_n_flows=4, wg_n_group=8, wg_n_early_every=2, wg_n_early_size=2, wg_n_layers=2,
                                        wg_n_channels=8, wg_kernel_size=3)


@pytest.mark.parametrize("legacy_format", [False, True], ids=["zip", "legacy"])
@pytest.mark.parametrize("old_layout", [False, True], ids=["cond_layer", "cond_layers"])
def test_nvidia_pickled_waveglow_loads_without_glow_source(tmp_path, legacy_format, old_layout):
    path = tmp_path / "waveglow_256channels_universal_v5.pt"
    saved = save_nvidia_waveglow(path, old_layout=old_layout, legacy_format=legacy_format, **SIZES)
    assert "glow" not in sys.modules
    with pytest.raises(ModuleNotFoundError):  # what an unrestricted torch.load does without NVIDIA's source
        torch.load(str(path), weights_only=False)
    obj = ckpt.load(str(path))
    assert "glow" not in sys.modules and obj["iteration"] == 580000
    model = WaveGlow(_hp())
    model.load_state_dict(ckpt.extract_state_dict(obj), strict=True)
    assert torch.equal(model.WN[1].in_layers[1].weight_v, saved["WN.1.in_layers.1.weight_v"])
    assert torch.equal(model.convinv[3].conv.weight, saved["convinv.3.conv.weight"])
    assert torch.equal(model.upsample.weight, saved["upsample.weight"])
    if old_layout:
        assert torch.equal(model.WN[2].cond_layer.weight_v[16:32], saved["WN.2.cond_layers.1.weight_v"])
    else:
        assert torch.equal(model.WN[2].cond_layer.weight_g, saved["WN.2.cond_layer.weight_g"])


class _RunsCode:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize("legacy_format", [False, True], ids=["zip", "legacy"])
def test_a_pickle_that_runs_code_is_refused_and_nothing_runs(tmp_path, legacy_format):
    marker = tmp_path / "pwned"
    path = tmp_path / "waveglow_256channels_universal_v5.pt"
    kw = {"_use_new_zipfile_serialization": False} if legacy_format else {}
    torch.save({"model": _RunsCode(marker), "weights": torch.ones(3)}, str(path), **kw)
    with pytest.raises(ckpt.CheckpointError) as e:
        ckpt.load(str(path))
    assert not marker.exists()
    msg = str(e.value)
    assert msg.startswith(str(path)) and "refused" in msg and "system" in msg and "\n" not in msg


def test_a_hand_made_pickle_calling_eval_is_refused(tmp_path):
    path = tmp_path / "evil.pt"
    # GLOBAL builtins.eval, then REDUCE with one argument: the classic pickle exploit, no torch involved.
    path.write_bytes(b"cbuiltins\neval\n(S'__import__(\"os\").system(\"touch " + str(tmp_path / "pwned").encode() + b"\")'\ntR.")
    with pytest.raises(ckpt.CheckpointError, match="refused"):
        ckpt.load(str(path))
    assert not (tmp_path / "pwned").exists()


def _count_loads(monkeypatch) -> list:
    """Which readers ckpt.load used: ('torch.load', weights_only) and ('safe_pickle',)."""
    from formant_trainer import safe_pickle
    seen = []
    real, restricted = torch.load, safe_pickle.torch_load
    monkeypatch.setattr(torch, "load", lambda *a, **k: seen.append(("torch.load", k.get("weights_only"))) or real(*a, **k))
    monkeypatch.setattr(safe_pickle, "torch_load", lambda *a, **k: seen.append(("safe_pickle",)) or restricted(*a, **k))
    return seen


# torch 1.13's weights_only reader knows no Python floats (BINFLOAT), so there every checkpoint with hyper-parameters
# goes through safe_pickle, which is just as restricted; from torch 2.0 on, weights_only reads them.
TORCH2 = int(torch.__version__.split(".")[0]) >= 2


def test_our_checkpoints_load_with_weights_only(tmp_path, monkeypatch):
    hp = load_hparams("tiny")
    state = {"model": WaveGlow(hp).state_dict(), "hparams": hp.to_dict(), "step": 3, "symbols": ["_", "a"]}
    ckpt.save_checkpoint(str(tmp_path / "waveglow_00000003.pt"), state)
    seen = _count_loads(monkeypatch)
    back = ckpt.load(str(tmp_path / "waveglow_00000003.pt"))
    assert back["step"] == 3 and back["hparams"]["wg_sigma_infer"] == hp.wg_sigma_infer
    assert seen == ([("torch.load", True)] if TORCH2 else [("torch.load", True), ("safe_pickle",)])


def test_a_damaged_file_is_named_in_one_line(tmp_path):
    good = tmp_path / "x.pt"
    torch.save({"model": {"w": torch.ones(1000)}}, str(good))
    bad = tmp_path / "tacotron2_00000010.pt"
    bad.write_bytes(good.read_bytes()[:300])
    with pytest.raises(ckpt.CheckpointError) as e:
        ckpt.load(str(bad))
    assert str(e.value).startswith(str(bad)) and "damaged" in str(e.value) and "\n" not in str(e.value)


def test_a_damaged_newest_checkpoint_is_reported_not_skipped_silently(tmp_path, capsys):
    run = tmp_path / "run"
    for step in (10, 20):
        ckpt.save_checkpoint(ckpt.checkpoint_path(str(run), "tacotron2", step), {"model": {}, "step": step})
    newest = ckpt.checkpoint_path(str(run), "tacotron2", 20)
    with open(newest, "r+b") as f:
        f.truncate(100)
    state, path = ckpt.latest_loadable(str(run), "tacotron2")
    assert state["step"] == 10
    out = capsys.readouterr().out
    assert '"event": "warning"' in out and "tacotron2_00000020.pt" in out and "tacotron2_00000010.pt" in out
    assert os.path.exists(newest)  # left for the user to look at, not deleted
    with pytest.raises(ckpt.CheckpointError, match="tacotron2_00000020.pt"):
        ckpt.latest_loadable(str(run), "tacotron2", damaged="refuse")
    with open(path, "r+b") as f:
        f.truncate(100)
    with pytest.raises(ckpt.CheckpointError, match="no usable tacotron2 checkpoint"):
        ckpt.latest_loadable(str(run), "tacotron2")


def test_pickle_protocol_0_module_state_is_read_through_the_restricted_reconstructor():
    from formant_trainer import safe_pickle
    import io
    glow_cls = safe_pickle.stand_in("glow.WaveGlow")
    # copyreg._reconstructor(cls, object, None) + BUILD, as protocols 0/1 pickle an object
    data = b"ccopy_reg\n_reconstructor\n(cglow\nWaveGlow\nc__builtin__\nobject\nNtR(dS'n_flows'\nI12\nsb."
    obj = safe_pickle.Unpickler(io.BytesIO(data)).load()
    assert isinstance(obj, glow_cls) and obj.n_flows == 12
    with pytest.raises(pickle.UnpicklingError):
        safe_pickle.Unpickler(io.BytesIO(b"ccopy_reg\n_reconstructor\n(cglow\nWaveGlow\ncbuiltins\ndict\nNtR.")).load()
