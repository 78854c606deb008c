"""CLI commands that make bundles from checkpoint files without training (NVIDIA's published ones or this trainer's):
from-checkpoints (a voice), export-vocoder (a standalone WaveGlow), add-waveglow (a WaveGlow into an existing voice).
Same protocol as cli.py: JSON lines on stdout, one {"event": "error"} line on failure."""
from __future__ import annotations

import json
import os
import sys


def _json(obj) -> None:
    sys.stdout.write(json.dumps(obj, default=str) + "\n")
    sys.stdout.flush()


def _need_file(path: str, flag: str) -> None:
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{flag} {path}: no such file")


def cmd_from_checkpoints(args) -> int:
    from .export_onnx import export_voice
    _need_file(args.tacotron2, "--tacotron2")
    if args.waveglow:
        _need_file(args.waveglow, "--waveglow")
    r = export_voice(None, args.out, name=args.name, tacotron2_ckpt=args.tacotron2, waveglow_ckpt=args.waveglow, weights=args.weights)
    _json({"event": "exported", "voice_dir": os.path.abspath(args.out), "acoustic": "tacotron2", "tacotron2": r["tacotron2"],
           "waveglow": r["waveglow"], "steps": r["manifest"]["provenance"]["steps"], "sources": r["manifest"]["provenance"].get("sources", [])})
    return 0


def cmd_export_vocoder(args) -> int:
    from .vocoder_bundle import export_vocoder
    _need_file(args.waveglow, "--waveglow")
    m = export_vocoder(args.waveglow, args.out, name=args.name, weights=args.weights)
    _json({"event": "vocoder-exported", "vocoder_dir": os.path.abspath(args.out), "name": m["name"], "mel_preset": m["melPreset"]["name"],
           "steps": m["provenance"]["steps"]})
    return 0


def cmd_add_waveglow(args) -> int:
    from .vocoder_bundle import add_waveglow
    if not os.path.isdir(args.voice_dir):
        raise FileNotFoundError(f"{args.voice_dir}: no such voice folder")
    if not os.path.exists(args.waveglow):
        raise FileNotFoundError(f"--waveglow {args.waveglow}: no such file or folder")
    m = add_waveglow(args.voice_dir, args.waveglow, weights=args.weights)
    _json({"event": "waveglow-added", "voice_dir": os.path.abspath(args.voice_dir), "name": m.get("name"),
           "mel_preset": m["melPreset"]["name"]})
    return 0


def register_published(sub) -> None:
    weights = dict(default="fp32", choices=["fp32", "fp16"], help="fp16: weights stored at half size, computed in fp32")
    p = sub.add_parser("from-checkpoints", help="a voice bundle straight from checkpoint files, e.g. NVIDIA's published "
                                                "tacotron2_statedict.pt and waveglow_256channels_universal_v5.pt (no training)")
    p.add_argument("--tacotron2", required=True, help="Tacotron-2 checkpoint (NVIDIA's tacotron2_statedict.pt or one of ours)")
    p.add_argument("--waveglow", default=None, help="WaveGlow checkpoint (NVIDIA's waveglow_256channels*.pt or one of ours)")
    p.add_argument("--out", required=True)
    p.add_argument("--name", default=None)
    p.add_argument("--weights", **weights)
    p.set_defaults(fn=cmd_from_checkpoints)
    p = sub.add_parser("export-vocoder", help="a standalone WaveGlow bundle (vocoder.json + waveglow.onnx) for any voice of its mel preset")
    p.add_argument("--waveglow", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--name", default=None)
    p.add_argument("--weights", **weights)
    p.set_defaults(fn=cmd_export_vocoder)
    p = sub.add_parser("add-waveglow", help="add (or replace) the WaveGlow of a voice, from a checkpoint or a vocoder bundle")
    p.add_argument("voice_dir")
    p.add_argument("--waveglow", required=True, help="a WaveGlow checkpoint or a vocoder bundle folder")
    p.add_argument("--weights", **weights)
    p.set_defaults(fn=cmd_add_waveglow)
