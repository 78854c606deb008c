"""Checkpoints: written atomically (tmp + fsync + rename + fsync dir) so a run killed at any moment
leaves either the old or the new file, never a torn one; resume picks the newest loadable one.

Layout: <run-dir>/checkpoints/<model>_<step:08d>.pt, a dict with model, optimizer, scaler, step, epoch,
hparams, symbols (the text table the embedding was trained on), mel preset and dataset.
Warm start also reads NVIDIA's published files ({'state_dict': …} for Tacotron-2, {'model': module}
or a state dict for WaveGlow). Every file is read as data (`load`: weights_only, or safe_pickle for NVIDIA's
pickled WaveGlow module); nothing in a checkpoint can run code.
"""
from __future__ import annotations

import glob
import json
import os
import pickle
import re
import sys
import warnings

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


class CheckpointError(ValueError):
    """A checkpoint that cannot be used: damaged, not a checkpoint, or unsafe to unpickle. The message names the file."""


def _reason(e: Exception) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0][:200]


def load(path: str, map_location="cpu") -> dict:
    """A checkpoint as data: torch.load(weights_only=True) (tensors and plain containers only), except NVIDIA's
    pickled WaveGlow module, which weights_only refuses and safe_pickle reads without running its classes' code.
    Raises CheckpointError (naming the file) for a damaged file or one that asks to run anything else."""
    from . import safe_pickle
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{path}: no such checkpoint file")
    try:
        return torch.load(path, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError:
        pass  # more than tensors and containers (NVIDIA's WaveGlow module, something unsafe), or on torch 1.13 a float
    except Exception as e:  # noqa: BLE001 — torn zip, truncated file, not a torch file at all
        raise CheckpointError(f"{path}: not a readable checkpoint, the file may be damaged or incomplete ({_reason(e)})") from e
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Couldn't retrieve source code for container of type WaveGlow"
            return safe_pickle.torch_load(path, map_location=map_location)
    except safe_pickle.UnsafePickleError as e:
        raise CheckpointError(f"{path}: refused to load: {e}. A checkpoint should hold only weights; "
                              "this file could run code on your computer, so it was not opened") from e
    except Exception as e:  # noqa: BLE001
        raise CheckpointError(f"{path}: not a readable checkpoint, the file may be damaged or incomplete ({_reason(e)})") from e


def _warn(message: str) -> None:
    """A warning event on stdout, the trainer's JSON-lines protocol (cli.py); rank 0 only under torchrun."""
    if os.environ.get("RANK", "0") == "0":
        sys.stdout.write(json.dumps({"event": "warning", "message": message}) + "\n")
        sys.stdout.flush()


def latest_loadable(run_dir: str, model: str, damaged: str = "warn") -> tuple[dict, str] | None:
    """The newest checkpoint of `model` that loads, with its path; None when the run has none.
    A newer file that does not load is never skipped silently: damaged="warn" reports it (a warning event naming it
    and the checkpoint used instead) and goes on with the previous one; damaged="refuse" raises CheckpointError.
    Every checkpoint damaged raises CheckpointError. Damaged files are left in place (nothing is deleted)."""
    bad = []
    for step, path in reversed(list_checkpoints(run_dir, model)):
        try:
            state = load(path)
        except CheckpointError as e:
            if damaged == "refuse":
                raise CheckpointError(f"{e}; pass an earlier checkpoint explicitly to use it instead") from e
            bad.append(str(e))
            continue
        if bad:
            _warn(f"{'; '.join(bad)}. Using the previous checkpoint {os.path.basename(path)} (step {step}) instead; "
                  "the damaged file was left in place")
        return state, path
    if bad:
        raise CheckpointError(f"no usable {model} checkpoint in {checkpoint_dir(run_dir)}: {'; '.join(bad)}")
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
    from .safe_pickle import PickledObject, module_state_dict
    if isinstance(obj, dict) and isinstance(obj.get("model"), PickledObject):
        obj = {"model": module_state_dict(obj["model"])}  # NVIDIA's pickled WaveGlow module, read as data
    elif isinstance(obj, PickledObject):
        obj = module_state_dict(obj)
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
