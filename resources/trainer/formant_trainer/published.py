"""Published checkpoints as this trainer's checkpoint states, so a voice can be made from them without training:
NVIDIA's `tacotron2_statedict.pt` ({'state_dict', 'optimizer', 'learning_rate', 'iteration'}) and
`waveglow_256channels*.pt` ({'model': a pickled glow.WaveGlow, …}, read as data by safe_pickle), or a bare state dict
in either layout. Sizes are read from the tensors and checked against a model built with them (strict load), so a file
of another shape is refused by name instead of half-loaded. Both published models use the `nvidia` mel preset."""
from __future__ import annotations

import hashlib
import os
import re

from . import checkpoint as ckpt
from .frontend import CHARACTERS, symbol_info
from .hparams import HParams, load_hparams

PUBLISHED_PRESET = "nvidia"


def is_trainer_state(obj) -> bool:
    return isinstance(obj, dict) and "hparams" in obj and isinstance(obj.get("model"), dict)


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def source_record(path: str, kind: str, obj) -> dict:
    """voice.json provenance.sources entry: which file a graph came from (its name and digest, not its folder)."""
    steps = obj.get("iteration", obj.get("step", 0)) if isinstance(obj, dict) else 0
    return {"model": kind, "file": os.path.basename(path), "sha256": sha256(path), "steps": int(steps or 0)}


def _strict_load(model, sd: dict, path: str, what: str) -> None:
    try:
        model.load_state_dict(sd, strict=True)
    except RuntimeError as e:
        first = str(e).strip().splitlines()
        raise ckpt.CheckpointError(f"{path}: its tensors do not fit {what} ({first[1].strip() if len(first) > 1 else first[0]})") from e


def tacotron2_state(obj, path: str) -> dict:
    if is_trainer_state(obj):
        return obj
    from .model import Tacotron2
    sd = ckpt.extract_state_dict(obj)
    if "embedding.weight" not in sd or "decoder.linear_projection.linear_layer.weight" not in sd:
        raise ckpt.CheckpointError(f"{path}: not a Tacotron-2 checkpoint (no embedding or decoder projection among its tensors)")
    sym = symbol_info(CHARACTERS)
    n_symbols = int(sd["embedding.weight"].shape[0])
    if n_symbols != len(sym.symbols):
        raise ckpt.CheckpointError(
            f"{path}: its text embedding has {n_symbols} symbols, Formant Studio's table (NVIDIA's) has {len(sym.symbols)}; "
            "a model trained on another symbol set needs training: use it with `formant train --warm-start` instead")
    hp = load_hparams("default")
    r = int(sd["decoder.linear_projection.linear_layer.weight"].shape[0]) // hp.n_mel_channels
    hp = hp.replace(n_symbols=n_symbols, n_frames_per_step=max(1, r), text_frontend=CHARACTERS)
    _strict_load(Tacotron2(hp), sd, path, "the published Tacotron-2 (NVIDIA's hparams.py sizes)")
    steps = obj.get("iteration", 0) if isinstance(obj, dict) else 0
    return {"model": sd, "hparams": hp.to_dict(), "symbols": sym.symbols, "pad_id": sym.pad_id, "eos_id": sym.eos_id,
            "text_frontend": CHARACTERS, "mel_preset": PUBLISHED_PRESET, "dataset": os.path.basename(path),
            "step": int(steps or 0), "model_name": "tacotron2"}


def _count(sd: dict, pattern: str) -> int:
    rx = re.compile(pattern)
    return len({m.group(1) for k in sd for m in [rx.match(k)] if m})


def waveglow_hparams(sd: dict, path: str, pickled_module=None) -> HParams:
    """WaveGlow sizes from the tensors: flows, group, early outputs, WN layers/channels/kernel; the upsampler's
    kernel and stride must be the nvidia preset's window and hop."""
    from . import audio
    if "upsample.weight" not in sd or "convinv.0.conv.weight" not in sd:
        raise ckpt.CheckpointError(f"{path}: not a WaveGlow checkpoint (no upsample or convinv among its tensors)")
    preset = audio.get_preset(PUBLISHED_PRESET)
    n_mels, _, win = (int(s) for s in sd["upsample.weight"].shape)
    stride = getattr(getattr(pickled_module, "upsample", None), "stride", (int(preset["hopLength"]),))
    if n_mels != int(preset["nMels"]) or win != int(preset["winLength"]) or int(stride[0]) != int(preset["hopLength"]):
        raise ckpt.CheckpointError(
            f"{path}: this WaveGlow upsamples {n_mels} mel bands with a {win}-sample window and hop {int(stride[0])}; "
            f"the {PUBLISHED_PRESET} mel preset needs {preset['nMels']} bands, window {preset['winLength']}, hop {preset['hopLength']}")
    n_flows = _count(sd, r"^convinv\.(\d+)\.")
    sizes = [int(sd[f"convinv.{k}.conv.weight"].shape[0]) for k in range(n_flows)]
    drops = [k for k in range(1, n_flows) if sizes[k] < sizes[k - 1]]
    early_every = drops[0] if drops else n_flows
    early_size = sizes[drops[0] - 1] - sizes[drops[0]] if drops else 2
    v = sd["WN.0.in_layers.0.weight_v"]
    hp = load_hparams("default").replace(
        wg_n_flows=n_flows, wg_n_group=sizes[0], wg_n_early_every=early_every, wg_n_early_size=early_size,
        wg_n_layers=_count(sd, r"^WN\.0\.in_layers\.(\d+)\."), wg_n_channels=int(v.shape[1]), wg_kernel_size=int(v.shape[2]),
        mel_preset=PUBLISHED_PRESET)
    return hp


def waveglow_state(obj, path: str) -> dict:
    if is_trainer_state(obj):
        return obj
    from .waveglow import WaveGlow
    pickled = obj.get("model") if isinstance(obj, dict) else obj
    sd = ckpt.extract_state_dict(obj)
    hp = waveglow_hparams(sd, path, pickled)
    _strict_load(WaveGlow(hp), sd, path, f"a WaveGlow of {hp.wg_n_flows} flows × {hp.wg_n_layers} layers × {hp.wg_n_channels} channels")
    steps = obj.get("iteration", 0) if isinstance(obj, dict) else 0
    return {"model": sd, "hparams": hp.to_dict(), "mel_preset": PUBLISHED_PRESET, "dataset": os.path.basename(path),
            "step": int(steps or 0), "model_name": "waveglow"}


def as_state(obj, kind: str, path: str) -> dict:
    """A checkpoint of this trainer as is; a published file of `kind` converted (tacotron2 | waveglow)."""
    if kind == "tacotron2":
        return tacotron2_state(obj, path)
    if kind == "waveglow":
        return waveglow_state(obj, path)
    if not is_trainer_state(obj):
        raise ckpt.CheckpointError(f"{path}: not a {kind} checkpoint of this trainer (no hparams)")
    return obj
