"""PNG plots written at each validation (attention alignment, predicted vs target mel, loss curve),
each written atomically so the app never shows half an image."""
from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

# The studio shows these beside its own dark panels (renderer/src/views/train): the same colours, so a
# white figure does not glare; the colour maps of the images themselves are unchanged.
PANEL = "#1d1f24"
INK = "#c9d1d9"
DARK = {
    "figure.facecolor": PANEL,
    "axes.facecolor": PANEL,
    "savefig.facecolor": PANEL,
    "axes.edgecolor": "#3a404c",
    "axes.labelcolor": INK,
    "axes.titlecolor": INK,
    "text.color": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "grid.color": "#3a404c",
    "legend.facecolor": PANEL,
    "legend.edgecolor": "#3a404c",
}
plt.rcParams.update(DARK)


def _save(fig, path: str) -> str:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp.png"
    fig.savefig(tmp, dpi=90)
    plt.close(fig)
    os.replace(tmp, path)
    return path


def plot_alignment(alignment: np.ndarray, path: str, title: str = "") -> str:
    """alignment: [decoder steps, encoder steps]; shown encoder on y, decoder on x (NVIDIA's layout)."""
    fig, ax = plt.subplots(figsize=(6, 4))
    im = ax.imshow(alignment.T, aspect="auto", origin="lower", interpolation="none", vmin=0, vmax=1)
    fig.colorbar(im, ax=ax)
    ax.set_xlabel("decoder step")
    ax.set_ylabel("encoder step (symbol)")
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return _save(fig, path)


def plot_mels(predicted: np.ndarray, target: np.ndarray, path: str, title: str = "", predicted_label: str = "predicted (post-net)") -> str:
    fig, axes = plt.subplots(2, 1, figsize=(8, 5), sharex=True)
    lo, hi = float(min(target.min(), predicted.min())), float(max(target.max(), predicted.max()))
    for ax, m, name in ((axes[0], target, "target"), (axes[1], predicted, predicted_label)):
        ax.imshow(m, aspect="auto", origin="lower", interpolation="none", vmin=lo, vmax=hi)
        ax.set_ylabel(name, fontsize=8)
    axes[0].set_title(title, fontsize=9)
    axes[1].set_xlabel("frame")
    fig.tight_layout()
    return _save(fig, path)


def plot_loss_curve(train: list, val: list, path: str) -> str:
    """train/val: [(step, loss)]."""
    fig, ax = plt.subplots(figsize=(6, 3.5))
    if train:
        s, l = zip(*train)
        ax.plot(s, l, lw=1, label="train")
    if val:
        s, l = zip(*val)
        ax.plot(s, l, "o-", lw=1.5, label="validation")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_yscale("log")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return _save(fig, path)
