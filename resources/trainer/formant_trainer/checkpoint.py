"""Checkpoints: written atomically (tmp + fsync + rename + fsync dir) so a run killed at any moment
leaves either the old or the new file, never a torn one; resume picks the newest loadable one.

Layout: <run-dir>/checkpoints/<model>_<step:08d>.pt, a dict with model, optimizer, scaler, step, epoch,
hparams, symbols (the text table the embedding was trained on), mel preset and dataset.
Warm start also reads NVIDIA's published files ({'state_dict': …} for Tacotron-2, {'model': module}
or a state dict for WaveGlow).
"""
from __future__ import annotations

import glob
import os
import re

import torch


def fsync_dir(path: str) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open directories; rename is still atomic there
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: str, write) -> None:
    """`write(fileobj)` into <path>.<pid>.tmp, fsync, rename over path, fsync the directory."""
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        fsync_dir(d)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def save_checkpoint(path: str, state: dict) -> None:
    atomic_write_bytes(path, lambda f: torch.save(state, f))


def checkpoint_dir(run_dir: str) -> str:
    return os.path.join(run_dir, "checkpoints")


def checkpoint_path(run_dir: str, model: str, step: int) -> str:
    return os.path.join(checkpoint_dir(run_dir), f"{model}_{step:08d}.pt")


_NAME = re.compile(r"^(tacotron2|waveglow|fastpitch)_(\d{8})\.pt$")


def list_checkpoints(run_dir: str, model: str | None = None) -> list[tuple[int, str]]:
    """(step, path) oldest first."""
    out = []
    for p in glob.glob(os.path.join(checkpoint_dir(run_dir), "*.pt")):
        m = _NAME.match(os.path.basename(p))
        if m and (model is None or m.group(1) == model):
            out.append((int(m.group(2)), p))
    return sorted(out)


def load(path: str, map_location="cpu") -> dict:
    # weights_only=False: our checkpoints hold plain dicts/lists, NVIDIA's WaveGlow a pickled module.
    try:
        return torch.load(path, map_location=map_location, weights_only=False)
    except TypeError:  # torch < 1.13 has no weights_only
        return torch.load(path, map_location=map_location)


def latest_loadable(run_dir: str, model: str) -> tuple[dict, str] | None:
    for step, path in reversed(list_checkpoints(run_dir, model)):
        try:
            return load(path), path
        except Exception:  # noqa: BLE001 — a damaged file (disk full, copied half): try the previous one
            continue
    return None


def _alive(pid: int) -> bool:
    if os.name == "nt":
        return True  # os.kill(pid, 0) would send CTRL_C_EVENT on Windows; leave the file
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def remove_stale_tmp(run_dir: str) -> None:
    """Deletes <name>.<pid>.tmp files whose writer is gone (a run killed mid-save); a live writer's stay."""
    for p in glob.glob(os.path.join(checkpoint_dir(run_dir), "*.tmp")):
        m = re.search(r"\.(\d+)\.tmp$", p)
        if m and _alive(int(m.group(1))) and int(m.group(1)) != os.getpid():
            continue
        try:
            os.remove(p)
        except OSError:
            pass


def prune(run_dir: str, model: str, keep: int) -> None:
    ckpts = list_checkpoints(run_dir, model)
    for _, p in ckpts[:-keep] if keep > 0 else []:
        try:
            os.remove(p)
        except OSError:
            pass


def extract_state_dict(obj) -> dict:
    """Our checkpoint, NVIDIA's tacotron2_statedict.pt / waveglow_256channels*.pt, or a bare state dict."""
    if isinstance(obj, dict) and "model" in obj and isinstance(obj["model"], dict):
        sd = obj["model"]
    elif isinstance(obj, dict) and "state_dict" in obj:
        sd = obj["state_dict"]
    elif isinstance(obj, dict) and "model" in obj and hasattr(obj["model"], "state_dict"):
        sd = obj["model"].state_dict()
    elif isinstance(obj, dict):
        sd = obj
    elif hasattr(obj, "state_dict"):
        sd = obj.state_dict()
    else:
        raise ValueError("not a checkpoint: expected a state dict, {'state_dict': …} or {'model': …}")
    sd = {k[len("module."):] if k.startswith("module.") else k: v for k, v in sd.items()}
    return convert_nvidia_waveglow(sd)


def convert_nvidia_waveglow(sd: dict) -> dict:
    """Maps NVIDIA's older WaveGlow layout (per-layer WN.k.cond_layers.i, before convert_model.py) and
    torch 2.x parametrized weight norm (…parametrizations.weight.original0/1) to weight_g/weight_v keys."""
    out = {}
    for k, v in sd.items():
        k = k.replace(".parametrizations.weight.original0", ".weight_g").replace(".parametrizations.weight.original1", ".weight_v")
        out[k] = v
    cond = {}
    for k in list(out):
        m = re.match(r"^WN\.(\d+)\.cond_layers\.(\d+)\.(weight_g|weight_v|bias)$", k)
        if m:
            cond.setdefault(int(m.group(1)), {}).setdefault(m.group(3), {})[int(m.group(2))] = out.pop(k)
    for flow, parts in cond.items():
        for name, layers in parts.items():
            out[f"WN.{flow}.cond_layer.{name}"] = torch.cat([layers[i] for i in sorted(layers)], 0)
    return out


def warm_start(model: torch.nn.Module, obj) -> dict:
    """Copies every tensor whose name and shape match; reports what was skipped (e.g. the embedding when
    the symbol table differs from the source's, NVIDIA's ignore_layers)."""
    sd = extract_state_dict(obj)
    own = model.state_dict()
    loaded, skipped = [], []
    for k, v in sd.items():
        if k in own and tuple(own[k].shape) == tuple(v.shape):
            own[k] = v.to(own[k].dtype)
            loaded.append(k)
        else:
            skipped.append(k)
    missing = [k for k in own if k not in sd]
    if not loaded:
        raise ValueError("warm start: no tensor of the checkpoint matches this model (wrong --model or --config?)")
    model.load_state_dict(own)
    return {"loaded": len(loaded), "skipped": skipped, "missing": missing}
