"""A run keeps its work: a stop signal ends it with a checkpoint and a validation, --set on resume is checked like
on a fresh run, validation leaves the training random stream alone, and a non-finite loss on one DDP rank is
skipped on all of them."""
from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import time

import pytest

from conftest import TRAINER, json_lines, run_trainer, trainer_cmd

FAST = ["--config", "tiny"]


@pytest.mark.parametrize("how, status", [("SIGTERM", 143), ("SIGINT", 130), ("stop", 143)])
def test_a_stop_signal_ends_with_a_checkpoint_and_a_validation_at_that_step(synthetic_dataset, tmp_path, how, status):
    # SIGTERM: the app's Stop; SIGINT: Ctrl-C; a `stop` line on stdin: the app's Stop on Windows
    out = tmp_path / "run"
    env = {**os.environ, "PYTHONPATH": str(TRAINER), **({"FORMANT_STOP_ON_STDIN": "1"} if how == "stop" else {})}
    p = subprocess.Popen(trainer_cmd("train", str(synthetic_dataset), "--out", str(out), *FAST, "--steps", "100000",
                                     "--set", "checkpoint_every=100000", "--set", "validate_every=100000"),
                         cwd=TRAINER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    lines = []
    deadline = time.time() + 240
    try:
        for line in p.stdout:
            lines.append(line)
            if '"event": "step"' in line and json_lines(line)[0]["step"] == 3:
                if how == "stop":
                    p.stdin.write("stop\n")
                    p.stdin.flush()
                else:
                    p.send_signal(getattr(signal, how))
                break
            assert time.time() < deadline, "no third step in time"
        rest, _ = p.communicate(timeout=120)
    finally:
        if p.poll() is None:
            p.kill()
    ev = json_lines("".join(lines) + rest)
    assert p.returncode == status, ev[-3:]
    stopping = next(e for e in ev if e["event"] == "stopping")
    at = stopping["step"]
    assert stopping["signal"] == how and at >= 3
    assert max(e["step"] for e in ev if e["event"] == "step") == at  # no step after the stop
    ck = next(e for e in ev if e["event"] == "checkpoint")
    assert ck["step"] == at and os.path.isfile(ck["path"])
    assert next(e for e in ev if e["event"] == "validation")["step"] == at
    assert ev[-1] == {**ev[-1], "event": "done", "step": at, "stopped": how, "checkpoint": ck["path"]}

    from formant_trainer.checkpoint import latest_loadable
    state, path = latest_loadable(str(out), "tacotron2")  # what --resume continues from
    assert path == ck["path"] and state["step"] == at


def test_a_second_signal_a_while_after_the_first_ends_at_once():
    from formant_trainer.train import StopRequest
    now = [0.0]
    with StopRequest(clock=lambda: now[0]) as stop:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.01)  # the handler runs at the next bytecode boundary
        assert stop.requested and stop.signal_name == "SIGINT"
        os.kill(os.getpid(), signal.SIGINT)  # the same press forwarded by torchrun: ignored
        time.sleep(0.01)
        now[0] = 5.0
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.01)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back


BAD_OVERRIDES = [("batch_sise", 4, "unknown hyper-parameter(s): batch_sise"),
                 ("batch_size", "four", "batch_size='four': expected a whole number"),
                 ("checkpoint_every", 0, "checkpoint_every=0: expected a number above 0"),
                 ("mel_loss", "l2", "mel_loss='l2': expected one of")]


def test_resume_refuses_bad_overrides_like_a_fresh_run(synthetic_dataset, tmp_path):
    from formant_trainer.train import train
    out = tmp_path / "run"
    train(str(synthetic_dataset), str(out), config="tiny", steps=1)
    for name, value, expect in BAD_OVERRIDES:
        for where, kw in (("fresh", dict(out=tmp_path / f"fresh-{name}", config="tiny")), ("resume", dict(out=out, resume=True))):
            with pytest.raises(ValueError) as e:
                train(str(synthetic_dataset), str(kw.pop("out")), steps=2, overrides={name: value}, **kw)
            assert expect in str(e.value), (where, str(e.value))
    assert sorted(p.name for p in (out / "checkpoints").iterdir()) == ["tacotron2_00000001.pt"]  # nothing trained
    # through the command line: the same one-line error, as bad input
    r = run_trainer("train", str(synthetic_dataset), "--out", str(out), "--resume", "--steps", "2", "--set", "batch_size=four")
    err = json_lines(r.stdout)[-1]
    assert r.returncode == 2 and err["code"] == "bad-input" and "expected a whole number" in err["message"], err


@pytest.mark.parametrize("model", ["tacotron2", "fastpitch"])
def test_validation_leaves_the_training_random_stream_alone(synthetic_dataset, tmp_path, capsys, model):
    # dropout draws from the global generator: a validation that reseeded or consumed it would change later losses
    from formant_trainer.train import train

    def losses(validate_every):
        capsys.readouterr()
        train(str(synthetic_dataset), str(tmp_path / f"v{validate_every}"), config="tiny", steps=4, model_name=model,
              overrides={"validate_every": validate_every, "checkpoint_every": 100000})
        ev = json_lines(capsys.readouterr().out)
        return [e["loss"] for e in ev if e["event"] == "step"], [e["step"] for e in ev if e["event"] == "validation"]

    with_val, at = losses(1)
    without, at_end = losses(100000)
    assert at == [1, 2, 3, 4] and at_end == [4]
    assert with_val == without


def _ddp_rank(rank: int, init: str, results) -> None:
    import torch
    import torch.distributed as dist
    from formant_trainer.train import apply_if_finite, make_scaler
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=init, rank=rank, world_size=2)
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    ddp = torch.nn.parallel.DistributedDataParallel(model)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    scaler = make_scaler(False)
    applied = []
    for it in range(3):
        loss = ddp(torch.ones(2, 3) * (rank + 1)).pow(2).mean()
        if it == 1 and rank == 0:
            loss = loss * float("nan")  # only this rank's batch went bad
        applied.append(apply_if_finite(loss, model, opt, scaler, 1.0, torch.device("cpu"), 2) is not None)
    results[rank] = (applied, [float(v) for v in torch.cat([p.detach().flatten() for p in model.parameters()])])
    dist.destroy_process_group()


def test_a_non_finite_loss_on_one_ddp_rank_is_skipped_on_all(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Manager().dict()
    init = f"file://{tmp_path / 'store'}"
    procs = [ctx.Process(target=_ddp_rank, args=(r, init, results)) for r in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    hung = [p.pid for p in procs if p.is_alive()]
    for p in procs:
        if p.is_alive():
            p.kill()
    assert not hung, "a rank waited forever"
    assert [p.exitcode for p in procs] == [0, 0]
    (applied0, w0), (applied1, w1) = results[0], results[1]
    assert applied0 == applied1 == [True, False, True]
    assert w0 == w1 and all(v == v for v in w0)  # same finite weights on both ranks
