"""A restricted unpickler for the one published file that `torch.load(weights_only=True)` cannot read: NVIDIA's
`waveglow_256channels*.pt`, a dict whose 'model' is a pickled `glow.WaveGlow` nn.Module. Used as torch.load's
`pickle_module`, it materializes tensors, storages and plain containers only; each module class the file names
(glow.WaveGlow, torch.nn Conv1d, …, from a short allowlist) becomes a `PickledObject` that merely holds the
object's __dict__, so neither NVIDIA's source nor any class's code is needed or run. Any other global (os.system,
builtins.eval, a class outside the list) stops the load with `UnsafePickleError` before it is called."""
from __future__ import annotations

import collections
import pickle

import torch

# Classes of a pickled WaveGlow (NVIDIA glow.py / glow_old.py and the torch.nn modules and hooks inside it).
MODULE_CLASSES = frozenset({
    "glow.WaveGlow", "glow.WN", "glow.Invertible1x1Conv",
    "glow_old.WaveGlow", "glow_old.WN", "glow_old.Invertible1x1Conv",
    "torch.nn.modules.conv.Conv1d", "torch.nn.modules.conv.ConvTranspose1d",
    "torch.nn.modules.container.ModuleList", "torch.nn.utils.weight_norm.WeightNorm",
})

_DTYPES = ("float16", "float32", "float64", "bfloat16", "int8", "int16", "int32", "int64", "uint8", "bool")


def _no_backend() -> None:
    return None


def _plain_globals() -> dict:
    """Functions and types that build tensors and containers; the same kinds torch's weights_only loader allows."""
    import torch._utils as tu
    out = {("collections", "OrderedDict"): collections.OrderedDict, ("builtins", "set"): set,
           ("builtins", "frozenset"): frozenset, ("__builtin__", "set"): set, ("torch", "Size"): torch.Size,
           ("torch", "device"): torch.device}
    # torch ≤ 1.0 pickled every module's `_backend` as a call of this (torch keeps a stub that returns None for old
    # pickles); the object it names no longer exists, so it reads as None here too
    out[("torch.nn.backends.thnn", "_get_thnn_function_backend")] = _no_backend
    out[("torch.nn.parameter", "Parameter")] = torch.nn.Parameter  # torch 0.4's way of pickling a parameter
    for name in ("_rebuild_tensor", "_rebuild_tensor_v2", "_rebuild_parameter", "_rebuild_parameter_with_state"):
        if hasattr(tu, name):
            out[("torch._utils", name)] = getattr(tu, name)
    for name in _DTYPES:
        if hasattr(torch, name):
            out[("torch", name)] = getattr(torch, name)
    for name in dir(torch):
        if name.endswith("Storage") and isinstance(getattr(torch, name), type):
            out[("torch", name)] = getattr(torch, name)
    return out


class UnsafePickleError(pickle.UnpicklingError):
    """The file asks to call something that is not part of a model's weights."""


class PickledObject:
    """Stands in for an instance of `pickled_class`: keeps the state the pickle gives it, runs nothing."""

    pickled_class = "?"

    def __setstate__(self, state):
        if isinstance(state, tuple) and len(state) == 2:  # (dict state, slot state)
            state = {**(state[0] or {}), **(state[1] or {})}
        if not isinstance(state, dict):
            raise UnsafePickleError(f"{self.pickled_class}: unexpected state of type {type(state).__name__}")
        self.__dict__.update(state)

    def __repr__(self) -> str:
        return f"<pickled {self.pickled_class}>"


_STAND_INS: dict[str, type] = {}


def stand_in(qualified: str) -> type:
    if qualified not in _STAND_INS:
        _STAND_INS[qualified] = type(qualified.rsplit(".", 1)[-1], (PickledObject,),
                                     {"pickled_class": qualified, "__module__": __name__, "dump_patches": False})
    return _STAND_INS[qualified]


def _reconstructor(cls, base, state):
    """copyreg._reconstructor (pickle protocols 0/1) for stand-ins only: object.__new__, nothing else."""
    if not (isinstance(cls, type) and issubclass(cls, PickledObject)) or base is not object or state is not None:
        raise UnsafePickleError("copyreg._reconstructor of something other than a module object")
    return object.__new__(cls)


class Unpickler(pickle.Unpickler):
    _plain = None

    def find_class(self, module: str, name: str):
        if Unpickler._plain is None:
            Unpickler._plain = _plain_globals()
        qualified = f"{module}.{name}"
        if (module, name) in Unpickler._plain:
            return Unpickler._plain[(module, name)]
        if qualified in MODULE_CLASSES:
            return stand_in(qualified)
        if (module, name) in (("copyreg", "_reconstructor"), ("copy_reg", "_reconstructor")):
            return _reconstructor
        if (module, name) in (("builtins", "object"), ("__builtin__", "object")):
            return object
        raise UnsafePickleError(f"it asks to run {qualified}, which is not part of a model's weights")


def load(file, **kwargs):
    """pickle.load through the restricted Unpickler (torch calls this for the legacy format's header records)."""
    return Unpickler(file, **kwargs).load()


def torch_load(path: str, map_location="cpu"):
    """torch.load's file handling (zip and legacy formats) with this module as the unpickler. torch.load itself is not
    used: torch 1.13 replaces any pickle_module with the unrestricted `pickle` whenever weights_only is False."""
    from torch import serialization as ser
    kwargs = {"encoding": "utf-8"}
    with ser._open_file_like(path, "rb") as f:
        if ser._is_zipfile(f):
            with ser._open_zipfile_reader(f) as zf:
                return ser._load(zf, map_location, _this_module(), **kwargs)
        return ser._legacy_load(f, map_location, _this_module(), **kwargs)


def _this_module():
    import sys
    return sys.modules[__name__]


def module_state_dict(obj, prefix: str = "") -> dict:
    """An nn.Module's state_dict from its pickled __dict__: `_parameters` and `_buffers`, then `_modules` recursively."""
    out = {}
    for part in ("_parameters", "_buffers"):
        for k, v in (getattr(obj, part, None) or {}).items():
            if isinstance(v, torch.Tensor):
                out[prefix + k] = v.detach() if v.requires_grad else v
    for k, child in (getattr(obj, "_modules", None) or {}).items():
        if child is not None:
            out.update(module_state_dict(child, f"{prefix}{k}."))
    return out

