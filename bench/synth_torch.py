"""PyTorch-eager reference for `npm run bench:synth` (bench/synth.bench.ts).

  make  <dir> [--config default|tiny]   untrained, seeded Tacotron-2 checkpoint (t2.pt) + its voice bundle, via the
                                        trainer package (export_voice), so ONNX and PyTorch run the *same* weights
  reference <dir> --ids '[..]' --steps N   mel + alignment with all-ones pre-net masks (parity spec of the engine)
  time  <dir> --ids <json> --steps-per-symbol K [--repeat N]
                                        runs the checkpoint in PyTorch eager on CPU (model.inference: encoder, decoder
                                        loop, post-net) for every chunk's ids with exactly ceil(K·T) decoder steps (gate
                                        disabled, seeded pre-net masks) and prints JSON timings
  waveglow-make <dir> [--published <file>]   the WaveGlow of bench:synth §5: NVIDIA's published file when given (read
                                        as data, safe_pickle), else NVIDIA's 88 M-parameter configuration randomly
                                        initialized (seeded) in NVIDIA's layout; exported as vocoder bundles <dir>/fp32
                                        and <dir>/fp16 (export-vocoder), the checkpoint kept as <dir>/wg.pt
  waveglow-time <dir> --frames F [--repeat N]   PyTorch eager WaveGlow on CPU, same weights as the graph: a seeded mel and
                                        z (written to <dir>/mel.bin, z.bin) → audio (<dir>/audio.bin), best time as JSON
Run from the repository root with the trainer's Python (.venv/bin/python)."""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "trainer"))

import torch  # noqa: E402

from formant_trainer import checkpoint as ckpt  # noqa: E402
from formant_trainer.export_onnx import export_voice, load_model  # noqa: E402
from formant_trainer.frontend import symbol_info  # noqa: E402
from formant_trainer.hparams import load_hparams  # noqa: E402
from formant_trainer.model import Tacotron2  # noqa: E402


def make(out_dir: str, config: str) -> None:
    os.makedirs(out_dir, exist_ok=True)
    sym = symbol_info()
    hp = load_hparams(config).replace(n_symbols=len(sym.symbols))
    torch.manual_seed(1234)
    t2 = Tacotron2(hp)
    state = {"hparams": hp.to_dict(), "symbols": sym.symbols, "pad_id": sym.pad_id, "eos_id": sym.eos_id,
             "mel_preset": hp.mel_preset, "dataset": "untrained (benchmark)", "step": 0, "model": t2.state_dict()}
    path = os.path.join(out_dir, "t2.pt")
    ckpt.save_checkpoint(path, state)
    export_voice(None, out_dir, name=f"bench-{config}", tacotron2_ckpt=path)
    print(json.dumps({"made": out_dir, "config": config}))


def time_chunks(voice_dir: str, ids_file: str, steps_per_symbol: float, repeat: int) -> None:
    state = ckpt.load(os.path.join(voice_dir, "t2.pt"))
    model, hp = load_model(state, "tacotron2")
    dec = model.decoder
    dec.gate_threshold = 2.0  # never stop: run exactly max_steps_for(T) steps, like the ONNX side
    dec.max_decoder_steps_per_symbol = steps_per_symbol
    with open(ids_file, encoding="utf-8") as f:
        chunks = json.load(f)
    g = torch.Generator().manual_seed(1)
    scale = 1.0 / (1.0 - hp.p_prenet_dropout)

    def masks(_t):
        return [(torch.rand(1, hp.prenet_dim, generator=g) >= hp.p_prenet_dropout).float() * scale for _ in range(2)]

    with torch.no_grad():
        model.inference(torch.LongTensor([chunks[0]]), masks)  # warm-up (allocator, kernels)
        best = math.inf
        frames = 0
        per_chunk = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            frames = 0
            per_chunk = []
            for ids in chunks:
                c0 = time.perf_counter()
                mel, mel_post, _, _ = model.inference(torch.LongTensor([ids]), masks)
                frames += mel_post.size(2)
                per_chunk.append(time.perf_counter() - c0)
            best = min(best, time.perf_counter() - t0)
    print(json.dumps({"seconds": best, "frames": frames, "perChunk": per_chunk, "torch": torch.__version__,
                      "threads": torch.get_num_threads()}))


def waveglow_make(out_dir: str, published: str | None) -> None:
    from formant_trainer.vocoder_bundle import export_vocoder
    from formant_trainer.waveglow import WaveGlow
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "wg.pt")
    if published:
        source = f"published file {os.path.basename(published)}"
        path = published
    else:
        hp = load_hparams("default")
        torch.manual_seed(1234)
        wg = WaveGlow(hp)
        for wn in wg.WN:  # NVIDIA zero-initializes WN.end (identity flows); give them weights so every flow transforms
            torch.nn.init.normal_(wn.end.weight, 0.0, 0.01)
        ckpt.save_checkpoint(path, {"model_name": "waveglow", "hparams": hp.to_dict(), "model": wg.state_dict(),
                                    "mel_preset": hp.mel_preset, "dataset": "random init (benchmark)", "step": 0})
        source = "NVIDIA's configuration (12 flows × 8 layers × 256 channels), randomly initialized: no real file given"
    for weights in ("fp32", "fp16"):
        export_vocoder(path, os.path.join(out_dir, weights), name=f"bench-waveglow-{weights}", weights=weights)
    with open(os.path.join(out_dir, "source.json"), "w", encoding="utf-8") as f:
        json.dump({"source": source, "checkpoint": path}, f)
    print(json.dumps({"made": out_dir, "source": source}))


def waveglow_time(out_dir: str, frames: int, repeat: int) -> None:
    import numpy as np
    from formant_trainer.export_onnx import WaveGlowGraph
    from formant_trainer.published import as_state
    with open(os.path.join(out_dir, "source.json"), encoding="utf-8") as f:
        path = json.load(f)["checkpoint"]
    model, hp = load_model(as_state(ckpt.load(path), "waveglow", path), "waveglow")
    graph = WaveGlowGraph(model).eval()  # the graph's own computation: inverted 1x1 convs precomputed once
    g = torch.Generator().manual_seed(7)
    mel = torch.randn(1, hp.n_mel_channels, frames, generator=g) * 1.5 - 6.0  # ln-mel range of speech
    z = torch.randn(1, model.n_group, frames * model.hop_length // model.n_group, generator=g)
    sigma = torch.tensor([0.6])
    mel.numpy().astype("<f4").tofile(os.path.join(out_dir, "mel.bin"))
    z.numpy().astype("<f4").tofile(os.path.join(out_dir, "z.bin"))
    n = sum(p.numel() for p in model.parameters())
    with torch.no_grad():
        graph(mel[:, :, :8], z[:, :, :8 * model.hop_length // model.n_group], sigma)  # warm-up
        best = math.inf
        for _ in range(repeat):
            t0 = time.perf_counter()
            audio = graph(mel, z, sigma)
            best = min(best, time.perf_counter() - t0)
    np.asarray(audio[0].numpy(), dtype="<f4").tofile(os.path.join(out_dir, "audio.bin"))
    print(json.dumps({"seconds": best, "frames": frames, "samples": int(audio.size(1)), "parameters": n, "torch": torch.__version__,
                      "threads": torch.get_num_threads(), "nMels": hp.n_mel_channels, "nGroup": model.n_group}))


def reference(voice_dir: str, ids_json: str, steps: int) -> None:
    """PyTorch eager inference with pre-net dropout masks of ones (the engine's prenetDropout 0) and the gate
    disabled for exactly `steps` steps: mel (post-net) and alignment, to compare with the ONNX engine's loop."""
    state = ckpt.load(os.path.join(voice_dir, "t2.pt"))
    model, hp = load_model(state, "tacotron2")
    dec = model.decoder
    dec.gate_threshold = 2.0
    ids = json.loads(ids_json)
    dec.max_decoder_steps_per_symbol = steps / len(ids)
    ones = lambda _t: [torch.ones(1, hp.prenet_dim), torch.ones(1, hp.prenet_dim)]  # noqa: E731
    with torch.no_grad():
        _, mel_post, _, align = model.inference(torch.LongTensor([ids]), ones)
    print(json.dumps({"mel": mel_post[0].reshape(-1).tolist(), "nMels": mel_post.size(1), "frames": mel_post.size(2),
                      "alignment": align[0].reshape(-1).tolist(), "steps": align.size(1)}))


def main() -> int:
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("dir")
    m.add_argument("--config", default="default")
    t = sub.add_parser("time")
    t.add_argument("dir")
    t.add_argument("--ids", required=True)
    t.add_argument("--steps-per-symbol", type=float, required=True)
    t.add_argument("--repeat", type=int, default=2)
    r = sub.add_parser("reference")
    r.add_argument("dir")
    r.add_argument("--ids", required=True, help="JSON list of symbol ids")
    r.add_argument("--steps", type=int, required=True)
    wm = sub.add_parser("waveglow-make")
    wm.add_argument("dir")
    wm.add_argument("--published", default=None)
    wt = sub.add_parser("waveglow-time")
    wt.add_argument("dir")
    wt.add_argument("--frames", type=int, default=86)
    wt.add_argument("--repeat", type=int, default=2)
    a = p.parse_args()
    if a.cmd == "waveglow-make":
        waveglow_make(a.dir, a.published)
    elif a.cmd == "waveglow-time":
        waveglow_time(a.dir, a.frames, a.repeat)
    elif a.cmd == "make":
        make(a.dir, a.config)
    elif a.cmd == "reference":
        reference(a.dir, a.ids, a.steps)
    else:
        time_chunks(a.dir, a.ids, a.steps_per_symbol, a.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
