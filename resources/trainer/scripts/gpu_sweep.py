"""Several training runs at once on one leased GPU, for a fixed wall-clock budget, each packed for the trip back.

Why: the Tacotron-2 step is bound by launch latency (one small decoder step per frame), so one run leaves the GPU mostly
idle; N runs side by side each keep most of their solo speed, and one lease answers N questions (a config sweep).

    python scripts/gpu_sweep.py --features <features-dir> --out <dir> --seconds 470 \\
        --run 'chars:seed=../voices/demo-tacotron2-training' --run 'phon:config=configs/demo-phonemes.json' \\
        --run 'phon-warm:config=configs/demo-phonemes.json,warm=../voices/demo-tacotron2-training/tacotron2.pt' \\
        --set batch_size=64 --set max_wav_seconds=10.5

A run spec is NAME:KEY=VALUE[,KEY=VALUE...] with keys config (a new run: a named config or a JSON file), seed (continue a compact state: the
resources/voices/demo-tacotron2-training layout), warm (a new run warm-started from a checkpoint) and set (NAME=VALUE;NAME=VALUE,
overrides for this run only, after the common --set). Relative paths are from resources/trainer/.
Writes, per run: <out>/<name>.jsonl (the trainer's events), <out>/<name>.state.tgz.part-* (compact state: fp32 weights,
bf16 Adam moments, run.json, metrics.jsonl, plots, samples; split under the lease's per-file cap), and <out>/summary.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINER = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, TRAINER)
import demo_voice  # noqa: E402  (seed_run_dir / pack_state)

PART_BYTES = 15 * 1024 * 1024


def parse_run(spec: str) -> dict:
    name, _, rest = spec.partition(":")
    if not name or not name.replace("-", "").replace("_", "").isalnum():
        raise SystemExit(f"--run {spec!r}: NAME must be letters, digits, - or _")
    run = {"name": name, "config": None, "seed": None, "warm": None, "set": []}
    for item in filter(None, rest.split(",")):
        key, eq, value = item.partition("=")
        if not eq or key not in ("config", "seed", "warm", "set"):
            raise SystemExit(f"--run {spec!r}: unknown item {item!r} (config=, seed=, warm=, set=)")
        if key == "set":
            run["set"] += [s for s in value.split(";") if s]
        elif key == "config" and "/" not in value and not value.endswith(".json"):
            run[key] = value  # a named config: tiny | default
        else:
            run[key] = value if os.path.isabs(value) else os.path.join(TRAINER, value)
    if bool(run["seed"]) == bool(run["config"]):
        raise SystemExit(f"--run {spec!r}: give exactly one of config= (a new run) or seed= (continue a state)")
    return run


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--features", required=True, help="dataset dir (a features dir travels: mels, not audio)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--work", default="/tmp/formant-sweep", help="run directories")
    ap.add_argument("--seconds", type=float, required=True, help="training wall-clock budget of every run")
    ap.add_argument("--run", action="append", required=True)
    ap.add_argument("--set", action="append", default=[], help="override for every run (NAME=VALUE)")
    ap.add_argument("--python", default=sys.executable)
    args = ap.parse_args()
    runs = [parse_run(s) for s in args.run]
    if len({r["name"] for r in runs}) != len(runs):
        raise SystemExit("run names must differ")
    os.makedirs(args.out, exist_ok=True)
    features = os.path.abspath(args.features)
    t0 = time.time()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    procs = []
    for r in runs:
        run_dir = os.path.join(args.work, r["name"])
        shutil.rmtree(run_dir, ignore_errors=True)
        os.makedirs(run_dir)
        cmd = [args.python, "-m", "formant_trainer", "train", features, "--out", run_dir, "--time-budget", str(args.seconds)]
        if r["seed"]:
            step = demo_voice.seed_run_dir(run_dir, r["seed"])
            if step is None:
                raise SystemExit(f"{r['name']}: no tacotron2.pt in {r['seed']}")
            cmd.append("--resume")
        else:
            cmd += ["--config", r["config"]]
            if r["warm"]:
                cmd += ["--warm-start", r["warm"]]
        for o in args.set + r["set"]:
            cmd += ["--set", o]
        print(f"[sweep +{time.time() - t0:.0f}s] {r['name']}: {' '.join(cmd)}", flush=True)
        out = open(os.path.join(args.out, r["name"] + ".jsonl"), "w", encoding="utf-8")
        err = open(os.path.join(args.out, r["name"] + ".err.txt"), "w", encoding="utf-8")
        procs.append((r, run_dir, subprocess.Popen(cmd, cwd=TRAINER, stdout=out, stderr=err, env=env), out, err))
    hard = args.seconds + 120  # the budget ends at a step boundary, then a checkpoint and a validation follow
    summary = []
    for r, run_dir, p, out, err in procs:
        try:
            rc = p.wait(timeout=max(1.0, hard - (time.time() - t0)))
        except subprocess.TimeoutExpired:
            p.terminate()
            rc = p.wait()
        out.close()
        err.close()
        with open(os.path.join(args.out, r["name"] + ".jsonl"), encoding="utf-8") as f:
            events = [json.loads(l) for l in f if l.startswith("{")]
        steps = [e for e in events if e.get("event") == "step"]
        vals = [e for e in events if e.get("event") == "validation"]
        state_dir = os.path.join(args.work, r["name"] + ".state")
        shutil.rmtree(state_dir, ignore_errors=True)
        packed = demo_voice.pack_state(run_dir, "lj-train", state_dir)
        if packed is not None:
            for sub in ("plots", "samples"):
                if os.path.isdir(os.path.join(run_dir, sub)):
                    shutil.copytree(os.path.join(run_dir, sub), os.path.join(state_dir, sub))
            tgz = os.path.join(args.work, r["name"] + ".state.tgz")
            with tarfile.open(tgz, "w:gz") as tf:
                tf.add(state_dir, arcname=r["name"])
            with open(tgz, "rb") as f:
                for i, chunk in enumerate(iter(lambda: f.read(PART_BYTES), b"")):
                    with open(os.path.join(args.out, f"{r['name']}.state.tgz.part-{i:02d}"), "wb") as o:
                        o.write(chunk)
        s = {"name": r["name"], "rc": rc, "steps": len(steps), "first_step": steps[0]["step"] if steps else None,
             "last": steps[-1] if steps else None, "validation": vals[-1] if vals else None,
             "packed": packed and {k: packed[k] for k in ("step", "bytes")}}
        summary.append(s)
        last = s["last"] or {}
        print(f"[sweep +{time.time() - t0:.0f}s] {r['name']}: exit {rc}, {len(steps)} steps to {last.get('step')}, "
              f"loss {last.get('loss')}, {last.get('steps_per_s')} steps/s; validation "
              f"{(s['validation'] or {}).get('loss')} aligned {(s['validation'] or {}).get('aligned')}", flush=True)
    with open(os.path.join(args.out, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1)
    return 0 if all(s["rc"] == 0 for s in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
