"""PyTorch (CPU) reference timings for `npm run bench:dsp`: the same two operations as the
TypeScript side, on the same audio, with the same presets:
  mel: torch.stft (centre, reflect/zero pad, periodic Hann) -> |.| -> mel basis matmul -> log / dB-normalize
  griffin-lim: 60 iterations of fast Griffin-Lim (momentum 0.99, librosa's update) with torch.stft/istft,
               starting from the true |STFT| and seeded random phases.
Usage: python dsp_torch.py <audio.f32> <threads> [gl_iters]   (raw float32 mono at 22050 Hz) -> one JSON line.
Griffin-Lim runs gl_iters iterations (default 60) and reports the time scaled to 60 (the cost is linear
in iterations; the bench runs fewer to stay short on slow Debian torch builds).
Times: wall (perf_counter) and CPU (process_time, all threads).
"""
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "shared" / "dsp" / "testvectors"))
from reference_mel import PRESETS, mel_filters  # noqa: E402


def best_of(fn, reps):
    best, cpu, out = float("inf"), float("inf"), None
    for _ in range(reps):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        best = min(best, time.perf_counter() - t)
        cpu = min(cpu, time.process_time() - c)
    return best, cpu, out


def main():
    audio = torch.from_numpy(np.fromfile(sys.argv[1], dtype="<f4").copy())
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    iters = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    torch.set_num_threads(threads)
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "seconds": audio.numel() / 22050, "presets": {}}
    with torch.no_grad():
        for name, p in PRESETS.items():
            window = torch.hann_window(p["win"])  # periodic; torch.stft centres it in n_fft
            basis = torch.from_numpy(mel_filters(p["sr"], p["n_fft"], p["n_mels"], p["fmin"], p["fmax"]).astype(np.float32))

            def stft(x):
                return torch.stft(x, p["n_fft"], p["hop"], p["win"], window, center=True, pad_mode=p["pad_mode"], return_complex=True)

            def mel():
                x = audio
                if p["preemph"]:
                    x = torch.cat([x[:1], x[1:] - p["preemph"] * x[:-1]])
                m = basis @ stft(x).abs()
                if p["compression"] == "ln":
                    return torch.log(torch.clamp(m, min=1e-5))
                db = 20 * torch.log10(torch.clamp(m, min=1e-5)) - 20
                return torch.clamp(8 * (db + 100) / 100 - 4, -4, 4)

            mel_s, mel_cpu, _ = best_of(mel, 3)
            S = stft(audio).abs()
            length = audio.numel() // p["hop"] * p["hop"]
            gen = torch.Generator().manual_seed(0)

            def griffin_lim():
                angles = torch.polar(torch.ones_like(S), 2 * np.pi * torch.rand(S.shape, generator=gen))
                rebuilt = torch.zeros_like(angles)
                alpha = 0.99 / (1 + 0.99)
                for _ in range(iters):
                    tprev = rebuilt
                    inverse = torch.istft(S * angles, p["n_fft"], p["hop"], p["win"], window, center=True, length=length)
                    rebuilt = stft(inverse)
                    angles = rebuilt - alpha * tprev
                    angles = angles / (angles.abs() + 1e-16)
                return torch.istft(S * angles, p["n_fft"], p["hop"], p["win"], window, center=True, length=length)

            gl_s, gl_cpu, y = best_of(griffin_lim, 1)
            Y = stft(y).abs()
            sc = float(torch.linalg.norm(Y - S[:, : Y.shape[1]]) / torch.linalg.norm(S))
            scale = 60 / iters
            result["presets"][name] = {"mel_s": mel_s, "mel_cpu_s": mel_cpu, "gl_s": gl_s * scale, "gl_cpu_s": gl_cpu * scale,
                                       "gl_iters_run": iters, "gl_spectral_convergence": sc}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
