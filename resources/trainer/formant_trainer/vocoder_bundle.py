"""A WaveGlow on its own: a vocoder bundle (`vocoder.json` + waveglow.onnx) that any voice of the same mel preset can
use (`formant say --waveglow-from <dir>`), or the WaveGlow added to an existing voice. Both written through
bundle_folder.staged_folder, so an interrupted write leaves the previous folder as it was."""
from __future__ import annotations

import json
import os
import shutil
import time

import torch

from . import __version__, audio, checkpoint as ckpt
from .bundle_folder import staged_folder
from .export_onnx import check_same_preset, export_waveglow, load_explicit, load_model, store_weights_fp16, waveglow_section

VOCODER_FILE = "vocoder.json"
VOCODER_FORMAT = "formant-vocoder"


def _write_json(path: str, obj: dict) -> None:
    ckpt.atomic_write_bytes(path, lambda f: f.write((json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode()))


def _read_json(path: str, what: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        raise FileNotFoundError(f"{os.path.dirname(path)} has no {os.path.basename(path)}: not {what}") from None
    except ValueError as e:
        raise ValueError(f"{path} is not valid JSON ({e})") from None


def _waveglow_into(stage: str, state: dict, path: str, weights: str) -> tuple[dict, dict, dict]:
    """Exports a WaveGlow checkpoint's state (ours or NVIDIA's, from load_explicit) into stage
    → (voice.json section, mel preset, provenance source)."""
    from . import published
    model, hp = load_model(state, "waveglow")
    export_waveglow(model, stage)
    if weights == "fp16":
        store_weights_fp16(os.path.join(stage, "waveglow.onnx"))
    preset = audio.get_preset(state.get("mel_preset") or hp.mel_preset)
    return waveglow_section(hp, model), preset, {**published.source_record(path, "waveglow", state), "weights": weights}


def export_vocoder(waveglow_ckpt: str, out_dir: str, name: str | None = None, weights: str = "fp32") -> dict:
    if weights not in ("fp32", "fp16"):
        raise ValueError(f"--weights {weights!r}: fp32 or fp16")
    state = load_explicit(waveglow_ckpt, "waveglow")
    with staged_folder(out_dir, owned={VOCODER_FILE, "waveglow.onnx"}) as stage:
        section, preset, source = _waveglow_into(stage, state, waveglow_ckpt, weights)
        manifest = {
            "format": VOCODER_FORMAT, "version": 1, "name": name or os.path.basename(os.path.normpath(out_dir)),
            "sampleRate": int(preset["sampleRate"]), "melPreset": preset, "waveglow": section,
            "provenance": {"dataset": source["file"], "steps": source["steps"], "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                           "trainer": f"formant_trainer {__version__}", "torch": torch.__version__, "weights": weights,
                           "sources": [source]},
        }
        _write_json(os.path.join(stage, VOCODER_FILE), manifest)
    return manifest


def add_waveglow(voice_dir: str, waveglow: str, weights: str = "fp32") -> dict:
    if weights not in ("fp32", "fp16"):
        raise ValueError(f"--weights {weights!r}: fp32 or fp16")
    """`waveglow`: a WaveGlow checkpoint (ours or NVIDIA's) or a vocoder bundle folder. The voice's mel preset must be
    the WaveGlow's (refused naming both otherwise); its other files are kept."""
    voice = _read_json(os.path.join(voice_dir, "voice.json"), "a voice folder")
    who = f"voice \"{voice.get('name', os.path.basename(os.path.normpath(voice_dir)))}\""
    if os.path.isdir(waveglow):
        vocoder = _read_json(os.path.join(waveglow, VOCODER_FILE), "a vocoder bundle")
        if vocoder.get("format") != VOCODER_FORMAT or not isinstance(vocoder.get("waveglow"), dict):
            raise ValueError(f"{os.path.join(waveglow, VOCODER_FILE)} is not a vocoder bundle manifest")
        check_same_preset(who, voice["melPreset"], f"of vocoder \"{vocoder.get('name')}\"", vocoder["melPreset"])
    else:
        state = load_explicit(waveglow, "waveglow")  # read (and refused if unsafe) before anything is staged
        check_same_preset(who, voice["melPreset"], os.path.basename(waveglow), state.get("mel_preset") or state["hparams"]["mel_preset"])
    with staged_folder(voice_dir, owned=set(), seed_from_existing=True) as stage:
        if os.path.exists(os.path.join(stage, "waveglow.onnx")):
            os.remove(os.path.join(stage, "waveglow.onnx"))  # a hard link to the old graph: replaced, never written through
        if os.path.isdir(waveglow):
            shutil.copy2(os.path.join(waveglow, vocoder["waveglow"]["graph"]), os.path.join(stage, "waveglow.onnx"))
            section = {**vocoder["waveglow"], "graph": "waveglow.onnx"}
            source = {"model": "waveglow", "vocoder": vocoder.get("name"), **(vocoder.get("provenance", {}).get("sources") or [{}])[0]}
        else:
            section, _, source = _waveglow_into(stage, state, waveglow, weights)
        voice["waveglow"] = section
        prov = voice.setdefault("provenance", {})
        prov["sources"] = [s for s in prov.get("sources", []) if s.get("model") != "waveglow"] + [source]
        _write_json(os.path.join(stage, "voice.json"), voice)
    return voice
