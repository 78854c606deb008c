"""Exports a run (or checkpoints) as a voice bundle (shared/contract/voice.ts): the acoustic model's graphs —
Tacotron-2 as encoder.onnx, decoder_step.onnx (all recurrent/attention state as explicit I/O, pre-net dropout masks
as inputs) and postnet.onnx, or the duration model as the one graph fastpitch.onnx (text, pace, pitch shift → mel,
durations) — plus waveglow.onnx (when a WaveGlow checkpoint exists) and voice.json, which names the model it holds."""
from __future__ import annotations

import inspect
import json
import os
import time

import torch
from torch import nn

from . import __version__, audio, checkpoint as ckpt
from .frontend import PHONEMES, PHONEMIZER
from .fastpitch import FastPitch
from .hparams import HParams, hparams_from_dict
from .model import DecoderState, Tacotron2
from .waveglow import WaveGlow

OPSET = 17
STATE_NAMES = ["attention_hidden", "attention_cell", "decoder_hidden", "decoder_cell",
               "attention_weights", "attention_weights_cum", "attention_context"]
DECODER_INPUTS = ["decoder_input", *STATE_NAMES, "memory", "processed_memory", "prenet_mask1", "prenet_mask2"]
DECODER_OUTPUTS = ["mel_frames", "gate_logit", "decoder_input_out", *[n + "_out" for n in STATE_NAMES]]


class EncoderGraph(nn.Module):
    def __init__(self, model: Tacotron2):
        super().__init__()
        self.model = model

    def forward(self, text):
        return self.model.encode(text)


class DecoderStepGraph(nn.Module):
    def __init__(self, model: Tacotron2):
        super().__init__()
        self.decoder = model.decoder
        self.r, self.n_mels = model.n_frames_per_step, model.n_mel_channels

    def forward(self, decoder_input, attention_hidden, attention_cell, decoder_hidden, decoder_cell, attention_weights,
                attention_weights_cum, attention_context, memory, processed_memory, prenet_mask1, prenet_mask2):
        prenet_out = self.decoder.prenet(decoder_input, [prenet_mask1, prenet_mask2])
        state = DecoderState(attention_hidden, attention_cell, decoder_hidden, decoder_cell, attention_weights,
                             attention_weights_cum, attention_context)
        frames, gate, s = self.decoder.step(prenet_out, state, memory, processed_memory, None)
        mel_frames = frames.view(1, self.r, self.n_mels)
        return (mel_frames, gate, mel_frames[:, -1], s.attention_hidden, s.attention_cell, s.decoder_hidden, s.decoder_cell,
                s.attention_weights, s.attention_weights_cum, s.attention_context)


class PostnetGraph(nn.Module):
    def __init__(self, model: Tacotron2):
        super().__init__()
        self.postnet = model.postnet

    def forward(self, mel):
        return mel + self.postnet(mel)


class FastPitchGraph(nn.Module):
    """text [1, N] int64, pace [1], pitch_shift [1] (semitones) → mel [1, n_mels, F], durations [1, N] int64."""

    def __init__(self, model: FastPitch):
        super().__init__()
        self.model = model

    def forward(self, text, pace, pitch_shift):
        return self.model.infer(text, pace, pitch_shift)


FASTPITCH_GRAPH = "fastpitch.onnx"


def export_fastpitch(model: FastPitch, out_dir: str) -> str:
    model.eval()
    with torch.no_grad():
        _export(FastPitchGraph(model), (torch.randint(1, model.hp.n_symbols, (1, 9)), torch.ones(1), torch.zeros(1)),
                os.path.join(out_dir, FASTPITCH_GRAPH), ["text", "pace", "pitch_shift"], ["mel", "durations"],
                {"text": {1: "N"}, "mel": {2: "F"}, "durations": {1: "N"}})
    return FASTPITCH_GRAPH


class WaveGlowGraph(nn.Module):
    def __init__(self, model: WaveGlow):
        super().__init__()
        self.model = model
        # ONNX has no matrix inverse: invert the 1×1 convolutions once here.
        self.inverse = [c.inverse_weight().detach() for c in model.convinv]

    def forward(self, mel, z, sigma):
        return self.model.infer_with_z(mel, z, sigma, self.inverse)


def _export(module: nn.Module, args: tuple, path: str, inputs: list, outputs: list, dynamic: dict) -> None:
    kw = dict(input_names=inputs, output_names=outputs, dynamic_axes=dynamic, opset_version=OPSET, do_constant_folding=True)
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kw["dynamo"] = False  # the TorchScript exporter: stable names and dynamic axes on torch 1.13 … 2.x
    tmp = f"{path}.{os.getpid()}.tmp"
    module.eval()  # a wrapper made in training mode would put the model back into it (dropout on) after the export
    try:
        torch.onnx.export(module, args, tmp, **kw)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def store_weights_fp16(path: str, min_elements: int = 1024) -> dict:
    """Halves a graph on disk: float32 weights of ≥ min_elements are stored as float16 and cast back to float32
    by a Cast node ahead of the graph. ONNX Runtime folds those casts when the session is created, so inference
    still computes in float32 (the CPU provider has few fp16 kernels); only the weights' rounding (~5e-4
    relative) differs from the fp32 export."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    model = onnx.load(path)
    g = model.graph
    inits, casts, before = [], [], os.path.getsize(path)
    for init in g.initializer:
        if init.data_type == TensorProto.FLOAT and int(np.prod(init.dims)) >= min_elements:
            half = f"{init.name}__fp16"
            inits.append(numpy_helper.from_array(numpy_helper.to_array(init).astype(np.float16), half))
            casts.append(helper.make_node("Cast", [half], [init.name], to=TensorProto.FLOAT, name=f"{init.name}__to_fp32"))
        else:
            inits.append(init)
    del g.initializer[:]
    g.initializer.extend(inits)
    nodes = list(g.node)
    del g.node[:]
    g.node.extend(casts + nodes)  # topological order: the casts feed everything after them
    onnx.checker.check_model(model)
    ckpt.atomic_write_bytes(path, lambda f: f.write(model.SerializeToString()))
    return {"casts": len(casts), "bytes_before": before, "bytes_after": os.path.getsize(path)}


def decoder_example(model: Tacotron2, t: int = 7):
    hp = model.hp
    z = lambda *s: torch.zeros(*s)  # noqa: E731
    return (z(1, hp.n_mel_channels), z(1, hp.attention_rnn_dim), z(1, hp.attention_rnn_dim), z(1, hp.decoder_rnn_dim),
            z(1, hp.decoder_rnn_dim), z(1, t), z(1, t), z(1, hp.encoder_embedding_dim), torch.randn(1, t, hp.encoder_embedding_dim),
            torch.randn(1, t, hp.attention_dim), torch.ones(1, hp.prenet_dim), torch.ones(1, hp.prenet_dim))


def export_tacotron2(model: Tacotron2, out_dir: str) -> dict:
    model.eval()
    hp = model.hp
    t = 7
    with torch.no_grad():
        _export(EncoderGraph(model), (torch.randint(1, hp.n_symbols, (1, t)),), os.path.join(out_dir, "encoder.onnx"),
                ["text"], ["memory", "processed_memory"],
                {"text": {1: "T"}, "memory": {1: "T"}, "processed_memory": {1: "T"}})
        dyn = {n: {1: "T"} for n in ["attention_weights", "attention_weights_cum", "memory", "processed_memory",
                                     "attention_weights_out", "attention_weights_cum_out"]}
        _export(DecoderStepGraph(model), decoder_example(model, t), os.path.join(out_dir, "decoder_step.onnx"),
                DECODER_INPUTS, DECODER_OUTPUTS, dyn)
        _export(PostnetGraph(model), (torch.randn(1, hp.n_mel_channels, 13),), os.path.join(out_dir, "postnet.onnx"),
                ["mel"], ["mel_postnet"], {"mel": {2: "F"}, "mel_postnet": {2: "F"}})
    return {"encoder": "encoder.onnx", "decoderStep": "decoder_step.onnx", "postnet": "postnet.onnx"}


def export_waveglow(model: WaveGlow, out_dir: str) -> str:
    model.eval()
    f = 5
    n = f * model.hop_length // model.n_group
    with torch.no_grad():
        _export(WaveGlowGraph(model), (torch.randn(1, model.upsample.in_channels, f), torch.randn(1, model.n_group, n), torch.tensor([0.6])),
                os.path.join(out_dir, "waveglow.onnx"), ["mel", "z", "sigma"], ["audio"],
                {"mel": {2: "F"}, "z": {2: "N"}, "audio": {1: "S"}})
    return "waveglow.onnx"


def load_model(state: dict, kind: str):
    hp = hparams_from_dict(state["hparams"])
    model = {"tacotron2": Tacotron2, "fastpitch": FastPitch, "waveglow": WaveGlow}[kind](hp)
    model.load_state_dict(state["model"])
    return model.eval(), hp


def text_section(tstate: dict, hp: HParams) -> dict:
    """voice.json `text`: the table the embedding was trained on; a phoneme voice adds `phonemizer`, which tells the
    engine to phonemize (shared/text/phonemize.ts) before encoding. Character voices stay exactly as before."""
    text = {"cleaners": "english", "symbols": list(tstate["symbols"]), "padId": int(tstate.get("pad_id", 0)),
            "eosId": tstate.get("eos_id")}
    if (tstate.get("text_frontend") or hp.text_frontend) == PHONEMES:
        text["phonemizer"] = dict(PHONEMIZER)
    return text


def fastpitch_section(hp: HParams, parameters: int) -> dict:
    return {"graph": FASTPITCH_GRAPH, "nMels": hp.n_mel_channels, "maxPace": hp.fp_max_pace,
            "maxPitchShift": hp.fp_max_pitch_shift, "parameters": parameters}


def waveglow_section(wg_hp: HParams, wg_model: WaveGlow) -> dict:
    return {"graph": "waveglow.onnx", "sigma": wg_hp.wg_sigma_infer, "nGroup": wg_model.n_group, "hopLength": wg_model.hop_length}


def voice_manifest(name: str, hp: HParams, tstate: dict, wg_hp: HParams | None, wg_model: WaveGlow | None,
                   acoustic_model: nn.Module | None = None) -> dict:
    """`acoustic_model`: a FastPitch makes a duration voice (voice.json `fastpitch`, `tacotron2: null`); else Tacotron-2."""
    acoustic = "fastpitch" if isinstance(acoustic_model, FastPitch) else "tacotron2"
    preset = audio.get_preset(tstate.get("mel_preset", hp.mel_preset))
    return {
        "format": "formant-voice", "version": 1, "name": name, "sampleRate": int(preset["sampleRate"]),
        "melPreset": preset,
        "text": text_section(tstate, hp),
        "tacotron2": None if acoustic != "tacotron2" else {
            "reductionFactor": hp.n_frames_per_step, "nMels": hp.n_mel_channels, "stopThreshold": hp.gate_threshold,
            "maxDecoderStepsPerSymbol": hp.max_decoder_steps_per_symbol, "maxDecoderSteps": hp.max_decoder_steps,
            "prenetDim": hp.prenet_dim, "prenetDropout": hp.p_prenet_dropout, "attentionRnnDim": hp.attention_rnn_dim,
            "decoderRnnDim": hp.decoder_rnn_dim, "encoderEmbeddingDim": hp.encoder_embedding_dim, "attentionDim": hp.attention_dim,
            "encoder": "encoder.onnx", "decoderStep": "decoder_step.onnx", "postnet": "postnet.onnx",
        },
        **({"fastpitch": fastpitch_section(hp, sum(p.numel() for p in acoustic_model.parameters()))} if acoustic == "fastpitch" else {}),
        "waveglow": None if wg_model is None else waveglow_section(wg_hp, wg_model),
        "provenance": {"dataset": os.path.basename(os.path.normpath(str(tstate.get("dataset", "")))) or "unknown",
                       "steps": int(tstate.get("step", 0)), "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                       "trainer": f"formant_trainer {__version__}", "torch": torch.__version__},
    }


ACOUSTIC_MODELS = ("tacotron2", "fastpitch")
ACOUSTIC_GRAPHS = {"tacotron2": ("encoder.onnx", "decoder_step.onnx", "postnet.onnx"), "fastpitch": (FASTPITCH_GRAPH,)}


BUNDLE_FILES = {"voice.json", "waveglow.onnx", *(g for graphs in ACOUSTIC_GRAPHS.values() for g in graphs)}


def check_same_preset(acoustic_name: str, acoustic_preset, vocoder_name: str, vocoder_preset) -> None:
    """The preset guard: a WaveGlow only turns mels of the preset it was trained on into speech."""
    a = audio.get_preset(acoustic_preset)
    v = audio.get_preset(vocoder_preset)
    strip = lambda p: {k: x for k, x in p.items() if k != "description"}  # noqa: E731
    if strip(a) != strip(v):
        raise ValueError(f"the WaveGlow {vocoder_name} was trained on mel preset \"{v['name']}\" but {acoustic_name} predicts "
                         f"mel preset \"{a['name']}\"; a vocoder needs the acoustic model's own preset")


def load_explicit(path: str, kind: str) -> dict:
    """A checkpoint file named by the user: this trainer's, or a published one (published.py) converted."""
    from . import published
    return published.as_state(ckpt.load(path), kind, path)


def export_voice(run_dir: str | None, out_dir: str, name: str | None = None, tacotron2_ckpt: str | None = None,
                 waveglow_ckpt: str | None = None, weights: str = "fp32", fastpitch_ckpt: str | None = None,
                 acoustic: str | None = None) -> dict:
    """Latest checkpoints of a run (or explicit files, ours or NVIDIA's published ones) → bundle in out_dir. Returns
    the manifest. `acoustic` (tacotron2|fastpitch) picks the acoustic model where the run holds both; otherwise the one
    it has. weights="fp16" stores the graphs' weights as float16 (half the bytes; see store_weights_fp16).
    The bundle is written into a sibling folder and renamed into place (bundle_folder.py): an export that fails or is
    killed leaves the previous bundle as it was. A damaged newest checkpoint of the run is refused by name."""
    from . import published
    from .bundle_folder import staged_folder
    if weights not in ("fp32", "fp16"):
        raise ValueError(f"--weights {weights!r}: fp32 or fp16")
    if acoustic is not None and acoustic not in ACOUSTIC_MODELS:
        raise ValueError(f"--acoustic {acoustic!r}: expected one of {', '.join(ACOUSTIC_MODELS)}")
    sources = []

    def pick(kind, explicit):
        if explicit:
            raw = ckpt.load(explicit)
            state = published.as_state(raw, kind, explicit)
            if state is not raw:  # a published file: voice.json names it and its digest
                sources.append(published.source_record(explicit, kind, state))
            return state, explicit
        if run_dir:
            found = ckpt.latest_loadable(run_dir, kind, damaged="refuse")
            if found:
                return found
        return None, None
    if fastpitch_ckpt and not acoustic:
        acoustic = "fastpitch"
    if tacotron2_ckpt and not acoustic:
        acoustic = "tacotron2"
    found = {k: pick(k, tacotron2_ckpt if k == "tacotron2" else fastpitch_ckpt) for k in ACOUSTIC_MODELS if k == acoustic or not acoustic}
    found = {k: v for k, v in found.items() if v[0] is not None}
    if not found:
        what = {"tacotron2": "Tacotron-2", "fastpitch": "FastPitch"}.get(acoustic or "", "Tacotron-2 or FastPitch")
        raise FileNotFoundError(f"{run_dir}: no {what} checkpoint to export (train one with `formant train`)")
    if len(found) > 1:
        raise ValueError(f"{run_dir} holds both a Tacotron-2 and a FastPitch checkpoint; say which to export with --acoustic")
    acoustic, (tstate, tpath) = next(iter(found.items()))
    wstate, wpath = pick("waveglow", waveglow_ckpt)
    if wstate is not None:
        check_same_preset(f"the acoustic model {os.path.basename(tpath)}", tstate.get("mel_preset", "nvidia"),
                          os.path.basename(wpath), wstate.get("mel_preset") or wstate["hparams"].get("mel_preset", "nvidia"))
    model, hp = load_model(tstate, acoustic)
    wg_model = wg_hp = None
    if wstate is not None:
        wg_model, wg_hp = load_model(wstate, "waveglow")
    with staged_folder(out_dir, owned=BUNDLE_FILES) as stage:
        if acoustic == "tacotron2":
            export_tacotron2(model, stage)
        else:
            export_fastpitch(model, stage)
        if wg_model is not None:
            export_waveglow(wg_model, stage)
        if weights == "fp16":
            for graph in (*ACOUSTIC_GRAPHS[acoustic], *(("waveglow.onnx",) if wg_model is not None else ())):
                store_weights_fp16(os.path.join(stage, graph))
        manifest = voice_manifest(name or os.path.basename(os.path.normpath(out_dir)), hp, tstate, wg_hp, wg_model, model)
        manifest["provenance"]["weights"] = weights
        if sources:
            manifest["provenance"]["sources"] = sources
        ckpt.atomic_write_bytes(os.path.join(stage, "voice.json"), lambda f: f.write((json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()))
    return {"manifest": manifest, acoustic: tpath, "acoustic": acoustic, "waveglow": wpath}
