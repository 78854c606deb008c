"""Train the shipped demo voice in resumable, wall-clock-bounded chunks and export it into the repo.

    python resources/trainer/scripts/demo_voice.py --minutes 40          # (demo_voice.sh wraps this)
    python resources/trainer/scripts/demo_voice.py --model fastpitch --minutes 40   # the duration-model demo voice

--model picks the acoustic model and with it the config, the committed state and the bundle (MODELS below).

1. dataset: <data-dir> = ../shared/data/lj-train minus the 20 sentences bench:voice holds out
   (bench/voice.heldout.json): a metadata.csv + a `wavs` symlink, so no audio is copied.
2. resume: the run directory (outside the repo, $FORMANT_DEMO_RUN) continues from its newest checkpoint; on a fresh
   machine it is seeded from the committed compact state, resources/voices/<bundle>-training/<model>.pt.
   The demo voices read phonemes: `formant phonemize` (the app's one phonemizer, espeak-ng WebAssembly) writes the data
   dir's phonemes.csv, so node must be on PATH.
3. train with `python -m formant_trainer train --model <model>` (the model's demo config) until the budget is spent, then
   stop at the next checkpoint the trainer writes (no step is lost; a hard stop follows after --grace-minutes).
4. pack the newest checkpoint into resources/voices/<bundle>-training/<model>.pt (weights fp32, Adam moments bf16:
   same range as fp32, half the bytes), atomically, plus run.json and metrics.jsonl (every 10th step line).
5. record the chunk in <bundle>-training/history.json (steps, machine, batch, learning rate, clips, batching, seconds;
   a chunk that continues the last entry with the same settings extends it).
6. export the bundle into resources/voices/<bundle>/ (via a temp dir, then a rename; weights stored fp16, computed
   fp32) and add the config and the history to its provenance.
   fastpitch (the duration model) → resources/voices/demo, the default voice; tacotron2 → resources/voices/demo-tacotron2.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINER = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(TRAINER))
sys.path.insert(0, TRAINER)

HELDOUT = os.path.join(ROOT, "bench", "voice.heldout.json")
# per acoustic model: its config, the committed resumable state (<bundle>-training/<model>.pt) and the bundle
MODELS = {
    "tacotron2": {"config": "demo-phonemes.json", "bundle": "demo-tacotron2"},
    "fastpitch": {"config": "demo-fastpitch.json", "bundle": "demo"},
}
MODEL = "tacotron2"
CONFIG = STATE_DIR = BUNDLE_DIR = ""


def use_model(model: str) -> None:
    """Points CONFIG, STATE_DIR and BUNDLE_DIR at `model`'s demo voice."""
    global MODEL, CONFIG, STATE_DIR, BUNDLE_DIR
    MODEL = model
    CONFIG = os.path.join(TRAINER, "configs", MODELS[model]["config"])
    BUNDLE_DIR = os.path.join(ROOT, "resources", "voices", MODELS[model]["bundle"])
    STATE_DIR = BUNDLE_DIR + "-training"


use_model("tacotron2")


def log(msg: str) -> None:
    sys.stderr.write(f"[demo-voice {time.strftime('%H:%M:%S')}] {msg}\n")
    sys.stderr.flush()


def prepare_dataset(source: str, data_dir: str) -> int:
    """LJSpeech layout the trainer reads: metadata.csv without the held-out ids, wavs/ → the source's wavs."""
    meta = os.path.join(source, "metadata.csv")
    if not os.path.isfile(meta):
        raise SystemExit(f"{source}: no metadata.csv (expected ../shared/data/lj-train, an LJSpeech folder)")
    held = {s["id"] for s in json.load(open(HELDOUT, encoding="utf-8"))["sentences"]}
    os.makedirs(data_dir, exist_ok=True)
    wavs = os.path.join(data_dir, "wavs")
    if os.path.islink(wavs):
        os.remove(wavs)
    if not os.path.exists(wavs):
        os.symlink(os.path.abspath(os.path.join(source, "wavs")), wavs)
    with open(meta, encoding="utf-8") as f:
        lines = [l for l in f if l.strip() and l.split("|", 1)[0] not in held]
    tmp = os.path.join(data_dir, f"metadata.csv.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.writelines(lines)
    os.replace(tmp, os.path.join(data_dir, "metadata.csv"))
    # phonemes.csv by the same TypeScript phonemizer synthesis uses (the trainer never phonemizes); atomic, and only
    # rewritten when it is older than metadata.csv or its ids differ
    r = subprocess.run(["node", os.path.join(ROOT, "bin", "formant.mjs"), "phonemize", data_dir], cwd=ROOT,
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"formant phonemize {data_dir} failed (exit {r.returncode}): {(r.stderr or r.stdout)[-2000:]}")
    return len(lines)


def seed_run_dir(run_dir: str, state_dir: str | None = None) -> int | None:
    """A fresh machine: turn the committed compact state back into a trainer checkpoint (fp32 moments)."""
    import torch
    from formant_trainer import checkpoint as ckpt
    state_dir = state_dir or STATE_DIR
    if ckpt.list_checkpoints(run_dir, MODEL):
        return None
    src = os.path.join(state_dir, f"{MODEL}.pt")
    if not os.path.isfile(src):
        return None
    state = ckpt.load(src)
    for s in state["optimizer"]["state"].values():
        for k, v in list(s.items()):
            if torch.is_tensor(v) and v.is_floating_point() and k != "step":
                s[k] = v.float()
    state.pop("compact", None)
    step = int(state["step"])
    ckpt.save_checkpoint(ckpt.checkpoint_path(run_dir, MODEL, step), state)
    for name in ("run.json", "metrics.jsonl"):
        if os.path.isfile(os.path.join(state_dir, name)):
            shutil.copyfile(os.path.join(state_dir, name), os.path.join(run_dir, name))
    return step


def pack_state(run_dir: str, data_source: str, state_dir: str | None = None) -> dict | None:
    import torch
    from formant_trainer import checkpoint as ckpt
    state_dir = state_dir or STATE_DIR
    found = ckpt.latest_loadable(run_dir, MODEL)
    if found is None:
        return None
    state, path = found
    for s in state["optimizer"]["state"].values():
        for k, v in list(s.items()):
            if torch.is_tensor(v) and v.is_floating_point() and k != "step":
                s[k] = v.to(torch.bfloat16)  # Adam moments: bf16 keeps fp32's exponent range (exp_avg_sq underflows in fp16)
    state["dataset"] = data_source  # a path on this machine means nothing on the next one
    state["compact"] = "optimizer moments bf16; weights fp32"
    os.makedirs(state_dir, exist_ok=True)
    ckpt.save_checkpoint(os.path.join(state_dir, f"{MODEL}.pt"), state)
    for name in ("run.json", "metrics.jsonl"):
        p = os.path.join(run_dir, name)
        if os.path.isfile(p):
            with open(p, "rb") as f:
                data = f.read()
            if name == "metrics.jsonl":
                data = thin_metrics(data)
            ckpt.atomic_write_bytes(os.path.join(state_dir, name), lambda fo, d=data: fo.write(d))
    return {"step": int(state["step"]), "from": path, "bytes": os.path.getsize(os.path.join(state_dir, f"{MODEL}.pt")),
            "hparams": state.get("hparams") or {}}


def thin_metrics(data: bytes, every: int = 10) -> bytes:
    """metrics.jsonl as committed: every `every`-th training-step line and all other events (validations, samples,
    warnings). The loss curve keeps its shape, the file stops growing by ~350 bytes per step; thinning a thinned
    file changes nothing, so a packed run that resumes and packs again stays thin."""
    keep = []
    for line in data.splitlines(keepends=True):
        try:
            event = json.loads(line)
        except ValueError:
            continue  # a line cut by a kill: drop it
        if event.get("event") == "step" and int(event.get("step", 0)) % every != 0:
            continue
        keep.append(line if line.endswith(b"\n") else line + b"\n")
    return b"".join(keep)


def describe_machine() -> str:
    import torch
    version = torch.__version__.split("+")[0]
    if torch.cuda.is_available():
        return f"{torch.cuda.get_device_name(0)} (torch {version} + CUDA {torch.version.cuda})"
    return f"{os.cpu_count()}-core CPU (torch {version})"


def chunk_entry(start: int, end: int, hp: dict, machine: str, seconds: float | None = None) -> dict:
    """One history.json entry: the steps a chunk trained, what they were trained with and, where known, the wall-clock
    seconds it took (bench:voice adds them up into CPU- and GPU-hours)."""
    fp = MODEL == "fastpitch"
    return {"steps": [start, end], "input": hp.get("text_frontend", "characters"), "machine": machine,
            "batch": hp["fp_batch_size" if fp else "batch_size"], "learningRate": hp["fp_learning_rate" if fp else "learning_rate"],
            "clips": f"≤ {hp['max_wav_seconds']:g} s",
            "batching": "length buckets" if hp.get("length_bucket_pool", 0) > 0 else "shuffled",
            **({"seconds": round(seconds)} if seconds is not None else {})}


def record_chunk(start: int, end: int, hp: dict, machine: str, state_dir: str | None = None, seconds: float | None = None) -> list:
    """Adds a chunk to <state_dir>/history.json (atomically), or extends the last entry when this chunk continues it
    with the same settings; nothing when no step was trained. The history goes into voice.json's provenance."""
    from formant_trainer import checkpoint as ckpt
    path = os.path.join(state_dir or STATE_DIR, "history.json")
    history = []
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as f:
            history = json.load(f)
    if end <= start:
        return history
    entry = chunk_entry(start, end, hp, machine, seconds)
    last = history[-1] if history else None
    same = lambda k, v: k in ("steps", "seconds") or last.get(k) == v  # noqa: E731
    if last and last.get("steps", [None, None])[1] == start and all(same(k, v) for k, v in entry.items()) \
            and ("seconds" in last) == (seconds is not None):
        last["steps"] = [last["steps"][0], end]
        if seconds is not None:
            last["seconds"] = round(last["seconds"] + seconds)
    else:
        history.append(entry)
    body = "[\n" + ",\n".join("  " + json.dumps(e, ensure_ascii=False) for e in history) + "\n]\n"
    ckpt.atomic_write_bytes(path, lambda f: f.write(body.encode()))
    return history


def latest_step(run_dir: str) -> int | None:
    from formant_trainer import checkpoint as ckpt
    found = ckpt.list_checkpoints(run_dir, MODEL)
    return found[-1][0] if found else None


def export_bundle(run_dir: str, data_source: str) -> dict:
    from formant_trainer import checkpoint as ckpt
    from formant_trainer.export_onnx import export_voice
    tmp = BUNDLE_DIR + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    name = os.path.basename(BUNDLE_DIR)
    r = export_voice(run_dir, tmp, name=name, weights="fp16", acoustic=MODEL)  # half the bytes in git; bench:voice measured with these
    man = r["manifest"]
    with open(CONFIG, encoding="utf-8") as f:
        config = json.load(f)
    man["provenance"].update(dataset=f"{data_source} (LJSpeech 1.1 subset, public domain; 20 sentences held out: bench/voice.heldout.json)",
                             config={"file": os.path.relpath(CONFIG, ROOT), **config},
                             trainingState=os.path.relpath(os.path.join(STATE_DIR, f"{MODEL}.pt"), ROOT))
    history = os.path.join(STATE_DIR, "history.json")  # how the state came to be: chunks, machines, warm starts
    if os.path.isfile(history):
        with open(history, encoding="utf-8") as f:
            man["provenance"]["training"] = json.load(f)
    ckpt.atomic_write_bytes(os.path.join(tmp, "voice.json"),
                            lambda f: f.write((json.dumps(man, indent=2, ensure_ascii=False) + "\n").encode()))
    old = BUNDLE_DIR + ".old"
    shutil.rmtree(old, ignore_errors=True)
    if os.path.isdir(BUNDLE_DIR):
        os.replace(BUNDLE_DIR, old)
    os.replace(tmp, BUNDLE_DIR)
    shutil.rmtree(old, ignore_errors=True)
    return {"steps": man["provenance"]["steps"], "bytes": sum(os.path.getsize(os.path.join(BUNDLE_DIR, n)) for n in os.listdir(BUNDLE_DIR))}


def train_chunk(python: str, data_dir: str, run_dir: str, minutes: float, grace_minutes: float, overrides: list[str] = ()) -> int:
    """Runs the trainer; after `minutes`, stops it right after its next checkpoint (or hard after the grace).
    `overrides` (NAME=VALUE) also apply on resume, and the checkpoints then carry them on."""
    from formant_trainer import checkpoint as ckpt
    resume = bool(ckpt.list_checkpoints(run_dir, MODEL))
    cmd = [python, "-m", "formant_trainer", "train", data_dir, "--out", run_dir, "--model", MODEL]
    cmd += ["--resume"] if resume else ["--config", CONFIG]
    for o in overrides:
        cmd += ["--set", o]
    log(("resuming: " if resume else "new run: ") + " ".join(cmd))
    proc = subprocess.Popen(cmd, cwd=TRAINER, stdout=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.time() + minutes * 60
    stopping = False

    def stop(*_):
        nonlocal deadline
        deadline = min(deadline, time.time())  # SIGINT/SIGTERM to this script: stop at the next checkpoint too
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    metrics = open(os.path.join(run_dir, "..", os.path.basename(run_dir) + ".log.jsonl"), "a", encoding="utf-8")
    for line in proc.stdout:  # type: ignore[union-attr]
        metrics.write(line)
        metrics.flush()
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        if ev.get("event") == "step" and ev["step"] % 10 == 0:
            log(f"step {ev['step']} loss {ev['loss']:.3f} ({ev['steps_per_s']:.3f} steps/s)")
        elif ev.get("event") == "validation":
            log(f"validation step {ev['step']} loss {ev['loss']:.3f} aligned {ev.get('aligned')}/{ev.get('utterances')}")
        elif ev.get("event") in ("error", "warning"):
            log(json.dumps(ev)[:400])
        if time.time() > deadline and not stopping and ev.get("event") == "checkpoint":
            stopping = True
            log(f"budget spent: stopping after checkpoint {ev['step']}")
            # SIGTERM, not SIGINT: a trainer started from a background shell inherits SIGINT ignored. The
            # checkpoint it just announced is complete (written atomically before the event).
            os.killpg(proc.pid, signal.SIGTERM)
        if time.time() > deadline + grace_minutes * 60 and not stopping:
            stopping = True
            log("no checkpoint within the grace period: hard stop (the newest checkpoint is kept)")
            os.killpg(proc.pid, signal.SIGTERM)
    return proc.wait()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="tacotron2", choices=sorted(MODELS), help="which demo voice: its config, state and bundle")
    ap.add_argument("--minutes", type=float, default=40.0, help="training wall-clock budget of this chunk")
    ap.add_argument("--grace-minutes", type=float, default=5.0, help="how long to wait for the next checkpoint after the budget")
    ap.add_argument("--source", default=os.path.join(ROOT, "..", "shared", "data", "lj-train"))
    ap.add_argument("--data-dir", default=os.environ.get("FORMANT_DEMO_DATA", "/tmp/formant-demo/lj-train-demo"))
    ap.add_argument("--run-dir", default=os.environ.get("FORMANT_DEMO_RUN", "/tmp/formant-demo/run"))
    ap.add_argument("--python", default=os.environ.get("FORMANT_PYTHON", os.path.join(ROOT, ".venv", "bin", "python")))
    ap.add_argument("--export-only", action="store_true", help="skip training: pack the state and export the bundle")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="hyper-parameter override passed to the trainer (repeatable), e.g. max_wav_seconds=10.5")
    args = ap.parse_args()
    use_model(args.model)
    if args.run_dir == ap.get_default("run_dir") and args.model != "tacotron2":
        args.run_dir += f"-{args.model}"
    python = args.python if os.path.exists(args.python) else sys.executable
    os.makedirs(args.run_dir, exist_ok=True)
    seeded = seed_run_dir(args.run_dir)
    if seeded is not None:
        log(f"seeded {args.run_dir} from {STATE_DIR} at step {seeded}")
    start = latest_step(args.run_dir) or 0
    if not args.export_only:
        n = prepare_dataset(args.source, args.data_dir)
        log(f"dataset {args.data_dir}: {n} utterances (held-out removed)")
        t0 = time.time()
        rc = train_chunk(python, args.data_dir, args.run_dir, args.minutes, args.grace_minutes, args.set)
        seconds = time.time() - t0
        log(f"trainer exited with {rc}")
    packed = pack_state(args.run_dir, "lj-train")
    if packed is None:
        log("no checkpoint yet: nothing to pack or export")
        return 1
    if not args.export_only and packed["step"] > start:
        record_chunk(start, packed["step"], packed["hparams"], describe_machine(), seconds=seconds)
        log(f"history.json: steps {start} → {packed['step']} recorded")
    log(f"packed step {packed['step']} → {STATE_DIR}/{MODEL}.pt ({packed['bytes'] / 1e6:.1f} MB)")
    b = export_bundle(args.run_dir, "lj-train")
    log(f"exported {BUNDLE_DIR} (step {b['steps']}, {b['bytes'] / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
