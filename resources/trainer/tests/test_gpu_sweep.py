"""scripts/gpu_sweep.py: several runs side by side for a wall-clock budget, each packed into parts that reassemble.
It is the one prepared script of a GPU lease (one try, no second chance), so it is exercised here on the CPU."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile

import pytest

from conftest import TRAINER

SWEEP = TRAINER / "scripts" / "gpu_sweep.py"
sys.path.insert(0, str(TRAINER / "scripts"))


def run_sweep(*args, timeout=240):
    return subprocess.run([sys.executable, str(SWEEP), *map(str, args)], cwd=TRAINER, capture_output=True, text=True,
                          timeout=timeout)


def unpack(out, name):
    parts = sorted(out.glob(f"{name}.state.tgz.part-*"))
    assert parts, f"no state parts for {name}"
    data = b"".join(p.read_bytes() for p in parts)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tf:
        return sorted(tf.getnames())


def test_run_specs_are_checked():
    import gpu_sweep
    r = gpu_sweep.parse_run("a:config=configs/demo.json,set=batch_size=4;max_wav_seconds=9")
    assert r["config"].endswith("configs/demo.json") and r["set"] == ["batch_size=4", "max_wav_seconds=9"]
    for bad, msg in [("a:config=x,seed=y", "exactly one"), ("a:", "exactly one"), ("a:colour=red", "unknown item"),
                     ("a b:config=x", "NAME")]:
        with pytest.raises(SystemExit, match=msg):
            gpu_sweep.parse_run(bad)


def test_two_runs_side_by_side_then_a_seeded_continuation(synthetic_dataset, tmp_path):
    out, work = tmp_path / "out", tmp_path / "work"
    common = ["--features", synthetic_dataset, "--work", work, "--seconds", 1,
              "--set", "batch_size=2", "--set", "checkpoint_every=1000", "--set", "validate_every=1000", "--set", "n_val=1"]
    r = run_sweep(*common, "--out", out, "--run", "a:config=tiny", "--run", "b:config=tiny,set=n_frames_per_step=2")
    assert r.returncode == 0, r.stdout + r.stderr
    summary = {s["name"]: s for s in json.loads((out / "summary.json").read_text())}
    assert set(summary) == {"a", "b"} and all(s["rc"] == 0 and s["packed"]["step"] >= 1 for s in summary.values())
    names = unpack(out, "b")
    assert "b/tacotron2.pt" in names and "b/run.json" in names and "b/metrics.jsonl" in names
    events = [json.loads(l) for l in (out / "b.jsonl").read_text().splitlines() if l.startswith("{")]
    start = next(e for e in events if e["event"] == "start")
    assert start["batch_size"] == 2  # the common --set reached the trainer

    # the next lease continues a packed state (seed=): the step count goes on from where it stopped
    with tarfile.open(fileobj=io.BytesIO(b"".join(p.read_bytes() for p in sorted(out.glob("a.state.tgz.part-*")))),
                      mode="r:gz") as tf:
        tf.extractall(tmp_path / "back")
    out2 = tmp_path / "out2"
    r = run_sweep(*common, "--out", out2, "--run", f"a:seed={tmp_path / 'back' / 'a'}")
    assert r.returncode == 0, r.stdout + r.stderr
    again = json.loads((out2 / "summary.json").read_text())[0]
    assert again["first_step"] > summary["a"]["packed"]["step"]
