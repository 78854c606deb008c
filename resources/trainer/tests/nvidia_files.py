"""Files in the layouts NVIDIA publishes, made without NVIDIA's code: `tacotron2_statedict.pt` ({'state_dict', 'optimizer',
'learning_rate', 'iteration'}) and `waveglow_256channels*.pt` ({'model': a pickled glow.WaveGlow nn.Module, …}). The
WaveGlow side uses stand-in classes named glow.WaveGlow / glow.WN / glow.Invertible1x1Conv, built like NVIDIA's glow.py
(torch.nn.utils.weight_norm on Conv1d), registered in sys.modules only while saving: loading must work without them."""
from __future__ import annotations

import sys
import types
import warnings

import torch
from torch import nn


def _glow_module(old_layout: bool) -> types.ModuleType:
    """`old_layout`: the first published WaveGlow (glow_old.py era), one cond layer per WN layer (WN.k.cond_layers.i)."""
    glow = types.ModuleType("glow")
    wn = torch.nn.utils.weight_norm

    class WN(nn.Module):
        def __init__(self, n_in, n_mel, n_layers, n_channels, kernel):
            super().__init__()
            self.n_layers, self.n_channels = n_layers, n_channels
            self.in_layers, self.res_skip_layers = nn.ModuleList(), nn.ModuleList()
            self.start = wn(nn.Conv1d(n_in, n_channels, 1), name="weight")
            self.end = nn.Conv1d(n_channels, 2 * n_in, 1)
            if old_layout:
                self.cond_layers = nn.ModuleList([wn(nn.Conv1d(n_mel, 2 * n_channels, 1), name="weight") for _ in range(n_layers)])
            else:
                self.cond_layer = wn(nn.Conv1d(n_mel, 2 * n_channels * n_layers, 1), name="weight")
            for i in range(n_layers):
                d = 2 ** i
                self.in_layers.append(wn(nn.Conv1d(n_channels, 2 * n_channels, kernel, dilation=d, padding=(kernel * d - d) // 2), name="weight"))
                self.res_skip_layers.append(wn(nn.Conv1d(n_channels, 2 * n_channels if i < n_layers - 1 else n_channels, 1), name="weight"))

    class Invertible1x1Conv(nn.Module):
        def __init__(self, c):
            super().__init__()
            self.conv = nn.Conv1d(c, c, 1, bias=False)
            w = torch.linalg.qr(torch.randn(c, c))[0]
            if torch.det(w) < 0:
                w[:, 0] = -w[:, 0]
            self.conv.weight.data = w.view(c, c, 1).contiguous()

    class WaveGlow(nn.Module):
        def __init__(self, n_mel, n_flows, n_group, n_early_every, n_early_size, n_layers, n_channels, kernel):
            super().__init__()
            self.upsample = nn.ConvTranspose1d(n_mel, n_mel, 1024, stride=256)
            self.n_flows, self.n_group, self.n_early_every, self.n_early_size = n_flows, n_group, n_early_every, n_early_size
            self.WN, self.convinv = nn.ModuleList(), nn.ModuleList()
            n_half, n_remaining = n_group // 2, n_group
            for k in range(n_flows):
                if k % n_early_every == 0 and k > 0:
                    n_half -= n_early_size // 2
                    n_remaining -= n_early_size
                self.convinv.append(Invertible1x1Conv(n_remaining))
                self.WN.append(WN(n_half, n_mel * n_group, n_layers, n_channels, kernel))
                nn.init.normal_(self.WN[-1].end.weight, 0, 0.02)
            self.n_remaining_channels = n_remaining

    for cls in (WN, Invertible1x1Conv, WaveGlow):
        cls.__module__, cls.__qualname__ = "glow", cls.__name__
        setattr(glow, cls.__name__, cls)
    return glow


class _Torch10Backend:
    """What torch ≤ 1.0 stored in every module's `_backend`: pickled as a call of
    torch.nn.backends.thnn._get_thnn_function_backend() (NVIDIA's 2018–2019 files hold it)."""

    def __reduce__(self):
        import torch.nn.backends.thnn as thnn
        return (thnn._get_thnn_function_backend, ())


def save_nvidia_waveglow(path, n_flows=4, n_group=8, n_early_every=2, n_early_size=2, n_layers=2, n_channels=8, kernel=3,
                         old_layout=False, legacy_format=False, seed=0) -> dict:
    """Writes {'model': glow.WaveGlow, 'iteration', 'optimizer', 'learning_rate'} and returns the module's state dict
    (NVIDIA's key names) for comparison. glow is in sys.modules only during the save. legacy_format: the pre-1.6
    file format, with torch 1.0's `_backend` in every module as those files have it."""
    assert "glow" not in sys.modules
    glow = _glow_module(old_layout)
    sys.modules["glow"] = glow
    try:
        torch.manual_seed(seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch.nn.utils.weight_norm is deprecated in torch 2.x (NVIDIA used it)
            model = glow.WaveGlow(80, n_flows, n_group, n_early_every, n_early_size, n_layers, n_channels, kernel)
            opt = torch.optim.Adam(model.parameters(), lr=1e-4)
            if legacy_format:
                model.apply(lambda m: m.__dict__.__setitem__("_backend", _Torch10Backend()))
            kw = {"_use_new_zipfile_serialization": False} if legacy_format else {}
            torch.save({"model": model, "iteration": 580000, "optimizer": opt.state_dict(), "learning_rate": 1e-4}, str(path), **kw)
        return {k: v.detach().clone() for k, v in model.state_dict().items()}
    finally:
        del sys.modules["glow"]


def save_nvidia_tacotron2(path, hp, seed=0, legacy_format=False) -> dict:
    """NVIDIA's tacotron2_statedict.pt layout: our Tacotron-2 has NVIDIA's key names (test_model.py checks them)."""
    from formant_trainer.frontend import symbol_info
    from formant_trainer.model import Tacotron2
    torch.manual_seed(seed)
    model = Tacotron2(hp.replace(n_symbols=len(symbol_info("characters").symbols)))
    sd = model.state_dict()
    torch.save({"state_dict": sd, "optimizer": torch.optim.Adam(model.parameters()).state_dict(), "learning_rate": 1e-3,
                "iteration": 12345}, str(path), **({"_use_new_zipfile_serialization": False} if legacy_format else {}))
    return sd
