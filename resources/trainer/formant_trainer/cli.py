"""`python -m formant_trainer <command>`: train, export-voice, gta, make-tiny-voice, checkpoints, env.
Progress and results are JSON lines on stdout; errors are one JSON line {"event":"error", "code", "message"}
plus a non-zero exit status (2 = bad input, 1 = unexpected failure)."""
from __future__ import annotations

import argparse
import json
import os
import sys
import traceback


def _json(obj) -> None:
    sys.stdout.write(json.dumps(obj, default=str) + "\n")
    sys.stdout.flush()


def cmd_env(_args) -> int:
    import platform
    info = {"event": "env", "python": sys.executable, "python_version": platform.python_version()}
    try:
        import torch
        info.update(torch=torch.__version__, cuda=torch.cuda.is_available(),
                    cuda_devices=[torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())],
                    distributed=torch.distributed.is_available())
    except Exception as e:  # noqa: BLE001
        info.update(torch=None, error=f"torch: {e}")
    for mod in ("numpy", "onnx", "onnxruntime", "matplotlib", "soundfile"):
        try:
            m = __import__(mod)
            info[mod] = getattr(m, "__version__", "?")
        except Exception:  # noqa: BLE001
            info[mod] = None
    try:
        from .frontend import symbol_info
        info["symbols"] = len(symbol_info().symbols)
    except Exception as e:  # noqa: BLE001
        info["symbols"] = None
        info["text_error"] = str(e)
    try:  # apart: a missing phoneme table only rules out text_frontend=phonemes
        from .frontend import symbol_info
        info["phoneme_symbols"] = len(symbol_info("phonemes").symbols)
    except Exception as e:  # noqa: BLE001
        info["phoneme_symbols"] = None
        info["phoneme_error"] = str(e)
    _json(info)
    return 0


def _overrides(pairs: list[str] | None) -> dict:
    out = {}
    for p in pairs or []:
        if "=" not in p:
            raise ValueError(f"--set {p!r}: expected name=value")
        k, v = p.split("=", 1)
        try:
            out[k] = json.loads(v)
        except ValueError:
            out[k] = v
    return out


def cmd_train(args) -> int:
    from .train import train
    r = train(args.dataset_dir, args.out, config=args.config, steps=args.steps, resume=args.resume,
              warm_start=args.warm_start, model_name=args.model, overrides=_overrides(args.set), time_budget=args.time_budget,
              gta_dir=args.gta, text_csv=args.text_csv)
    # stopped by a signal (with its checkpoint and validation written): the shell's status for that signal, so a
    # script's `train && export-voice` does not go on as if the run had finished
    return 0 if not r.get("stopped") else 130 if r["stopped"] == "SIGINT" else 143


def cmd_features(args) -> int:
    from .data_utils import write_features
    from .hparams import load_hparams
    hp = load_hparams(args.config or "default")
    exclude = set()
    if args.exclude:
        with open(args.exclude, encoding="utf-8") as f:
            exclude = {s["id"] for s in json.load(f)["sentences"]} if args.exclude.endswith(".json") else {l.strip() for l in f if l.strip()}
    last = [0.0]

    def progress(i, n):
        import time
        if time.time() - last[0] > 1 or i == n:
            last[0] = time.time()
            _json({"event": "progress", "done": i, "total": n})
    info = write_features(args.dataset_dir, args.out, hp, dtype=args.dtype, exclude=exclude, progress=progress, text_csv=args.text_csv)
    _json({"event": "features", "out": os.path.abspath(args.out), **{k: v for k, v in info.items() if k != "key"}})
    return 0


def cmd_export(args) -> int:
    from .export_onnx import export_voice
    if not os.path.isdir(args.run_dir):
        raise FileNotFoundError(f"{args.run_dir}: no such run directory")
    r = export_voice(args.run_dir, args.out, name=args.name, tacotron2_ckpt=args.tacotron2, waveglow_ckpt=args.waveglow,
                     weights=args.weights, fastpitch_ckpt=args.fastpitch, acoustic=args.acoustic)
    _json({"event": "exported", "voice_dir": os.path.abspath(args.out), "acoustic": r["acoustic"], r["acoustic"]: r[r["acoustic"]],
           "waveglow": r["waveglow"], "steps": r["manifest"]["provenance"]["steps"]})
    return 0


def cmd_tiny(args) -> int:
    from .tiny_voice import make_tiny_voice
    r = make_tiny_voice(args.out, dataset=args.dataset, steps=args.steps, reference=not args.no_reference, phonemes=args.phonemes,
                        text_csv=args.text_csv,
                        model=args.model)
    _json({"event": "exported", **r})
    return 0


def cmd_checkpoints(args) -> int:
    from . import checkpoint as ckpt
    _json({"event": "checkpoints", "run_dir": os.path.abspath(args.run_dir),
           "checkpoints": [{"model": os.path.basename(p).split("_")[0], "step": s, "path": p, "bytes": os.path.getsize(p),
                            "mtime": os.path.getmtime(p)} for s, p in ckpt.list_checkpoints(args.run_dir)]})
    return 0


def cmd_bench(args) -> int:
    from .bench import main as bench
    return bench(args.dataset_dir, args.tiny_steps, args.default_steps, device=args.device, configs=args.config, steps=args.steps,
                 text_csv=args.text_csv)


def cmd_vocode(args) -> int:
    from .vocode import vocode
    r = vocode(args.mel, args.checkpoint, args.out, sigma=args.sigma, fp16=None if not args.no_fp16 else False, denoise=args.denoise)
    _json({"event": "vocoded", **r})
    return 0


def cmd_gta(args) -> int:
    from .gta import gta_mels
    ids = None
    if args.ids:
        with open(args.ids, encoding="utf-8") as f:
            ids = [s["id"] for s in json.load(f)["sentences"]] if args.ids.endswith(".json") else [l.strip() for l in f if l.strip()]

    def progress(i, n):
        _json({"event": "progress", "done": i, "total": n})
    r = gta_mels(args.dataset_dir, args.checkpoint, args.out, ids=ids, seed=args.seed, progress=progress, text_csv=args.text_csv)
    _json({"event": "gta", "out": os.path.abspath(args.out), "step": r["step"], "clips": len(r["clips"]), "mse": r["mse"]})
    return 0


TEXT_CSV_HELP = ("cleaned.csv to read (default: the dataset's): the transcripts through shared/text's english cleaners, "
                 "written by `npx formant clean-text` and `npx formant train`")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m formant_trainer", description="Formant Studio trainer (Tacotron-2, WaveGlow → ONNX)")
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("train", help="train Tacotron-2 or WaveGlow on an LJSpeech-layout dataset")
    p.add_argument("dataset_dir")
    p.add_argument("--out", required=True, help="run directory (checkpoints/, plots/, metrics.jsonl, run.json)")
    p.add_argument("--config", default=None, help="tiny | default | <file.json> (ignored with --resume: the run's own config)")
    p.add_argument("--steps", type=int, default=None, help="train until this global step")
    p.add_argument("--resume", action="store_true", help="continue from the newest checkpoint in --out")
    p.add_argument("--warm-start", default=None, help="initialize weights from a checkpoint (ours or NVIDIA's)")
    p.add_argument("--model", default="tacotron2", choices=["tacotron2", "waveglow", "fastpitch"])
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="override one hyper-parameter (repeatable)")
    p.add_argument("--time-budget", type=float, default=None, metavar="SECONDS",
                   help="stop cleanly (checkpoint + validation) once this much wall-clock time is spent")
    p.add_argument("--gta", default=None, metavar="DIR",
                   help="WaveGlow: train on Tacotron-2's teacher-forced mels (the `gta` command's --out) instead of the real ones")
    p.add_argument("--text-csv", default=None, metavar="FILE", help=TEXT_CSV_HELP)
    p.set_defaults(fn=cmd_train)
    p = sub.add_parser("features", help="a feature-only copy of a dataset (metadata.csv + mels/*.npy) to train where the audio can't go")
    p.add_argument("dataset_dir")
    p.add_argument("--out", required=True)
    p.add_argument("--config", default=None, help="tiny | default | <file.json>: its mel preset and trimming are used")
    p.add_argument("--dtype", default="float16", choices=["float16", "float32"])
    p.add_argument("--exclude", default=None, help="ids to leave out: a file of one id per line, or bench/voice.heldout.json")
    p.add_argument("--text-csv", default=None, metavar="FILE", help=TEXT_CSV_HELP)
    p.set_defaults(fn=cmd_features)
    p = sub.add_parser("export-voice", help="write a voice bundle (ONNX graphs + voice.json) from a run")
    p.add_argument("run_dir")
    p.add_argument("--out", required=True)
    p.add_argument("--name", default=None)
    p.add_argument("--tacotron2", default=None, help="a specific Tacotron-2 checkpoint (default: the run's newest)")
    p.add_argument("--fastpitch", default=None, help="a specific FastPitch (duration model) checkpoint (default: the run's newest)")
    p.add_argument("--acoustic", default=None, choices=["tacotron2", "fastpitch"],
                   help="which acoustic model to export where the run holds both (default: the one it has)")
    p.add_argument("--waveglow", default=None, help="a specific WaveGlow checkpoint, e.g. NVIDIA's (default: the run's newest)")
    p.add_argument("--weights", default="fp32", choices=["fp32", "fp16"], help="fp16: weights stored at half size, computed in fp32")
    p.set_defaults(fn=cmd_export)
    p = sub.add_parser("make-tiny-voice", help="a tiny (untrained or briefly trained) voice for tests, with parity reference data")
    p.add_argument("--out", required=True)
    p.add_argument("--dataset", default=None, help="train briefly on this dataset first")
    p.add_argument("--steps", type=int, default=0)
    p.add_argument("--no-reference", action="store_true")
    p.add_argument("--phonemes", action="store_true", help="a phoneme-input voice (text_frontend=phonemes, voice.json text.phonemizer)")
    p.add_argument("--model", default="tacotron2", choices=["tacotron2", "fastpitch"], help="the acoustic model of the voice")
    p.add_argument("--text-csv", default=None, metavar="FILE", help=TEXT_CSV_HELP)
    p.set_defaults(fn=cmd_tiny)
    p = sub.add_parser("gta", help="teacher-forced (ground-truth-aligned) mels of a Tacotron-2 checkpoint: <out>/<id>.npy + gta.json")
    p.add_argument("dataset_dir")
    p.add_argument("--checkpoint", required=True, help="a tacotron2_*.pt of a run (or a voice's packed training state)")
    p.add_argument("--out", required=True)
    p.add_argument("--ids", help="only these clips: a file of ids, one per line, or a bench/voice.heldout.json")
    p.add_argument("--seed", type=int, default=1, help="pre-net dropout masks (reset per clip)")
    p.add_argument("--text-csv", default=None, metavar="FILE", help=TEXT_CSV_HELP)
    p.set_defaults(fn=cmd_gta)

    p = sub.add_parser("checkpoints", help="list a run's checkpoints as JSON")
    p.add_argument("run_dir")
    p.set_defaults(fn=cmd_checkpoints)
    p = sub.add_parser("bench", help="training speed (steps/s, s/epoch) of the tiny and default configs")
    p.add_argument("dataset_dir")
    p.add_argument("--tiny-steps", type=int, default=10)
    p.add_argument("--default-steps", type=int, default=1, help="0 skips the (slow) default config")
    p.add_argument("--device", default="cpu", help="cpu | cuda | auto")
    p.add_argument("--config", action="append", metavar="NAME[@BATCH]", help="time these instead (tiny | default | file.json), repeatable")
    p.add_argument("--steps", type=int, default=10, help="timed steps per --config entry")
    p.add_argument("--text-csv", default=None, metavar="FILE", help=TEXT_CSV_HELP)
    p.set_defaults(fn=cmd_bench)
    p = sub.add_parser("vocode", help="WaveGlow checkpoint: mel .npy [80, frames] → WAV (fp16 on CUDA)")
    p.add_argument("mel")
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--sigma", type=float, default=0.6)
    p.add_argument("--denoise", type=float, default=0.0, help="denoiser strength (0 = off; NVIDIA uses 0.01–0.1)")
    p.add_argument("--no-fp16", action="store_true")
    p.set_defaults(fn=cmd_vocode)
    p = sub.add_parser("env", help="report Python, torch, CUDA and package versions as JSON")
    p.set_defaults(fn=cmd_env)
    from .cli_published import register_published
    register_published(sub)
    return ap


def _quiet_torch() -> None:
    try:
        import torch
        if hasattr(torch.backends, "nnpack") and hasattr(torch.backends.nnpack, "set_flags"):
            torch.backends.nnpack.set_flags(False)  # CPUs without NNPACK support print one warning per conv otherwise
    except Exception:  # noqa: BLE001 — `env` must still report a missing/broken torch
        pass


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    _quiet_torch()
    try:
        return args.fn(args)
    except KeyboardInterrupt:
        _json({"event": "error", "code": "interrupted", "message": "interrupted"})
        return 130
    except (ValueError, FileNotFoundError, RuntimeError) as e:
        bad_input = type(e).__name__ in ("DatasetError", "TrainError", "ValueError", "FileNotFoundError", "CheckpointError")
        _json({"event": "error", "code": "bad-input" if bad_input else "failed", "message": str(e)})
        if not bad_input:
            traceback.print_exc()
        return 2 if bad_input else 1
