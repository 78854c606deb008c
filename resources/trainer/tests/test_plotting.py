"""The validation plots match the studio's dark panels (issue 19 #10: white matplotlib images in a dark UI)."""
import matplotlib.image as mpimg
import numpy as np

from formant_trainer.plotting import PANEL, plot_alignment, plot_loss_curve, plot_mels


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])


def test_plots_are_drawn_on_the_panel_colour(tmp_path):
    rng = np.random.default_rng(0)
    paths = [
        plot_alignment(rng.random((40, 12)), str(tmp_path / "a.png"), "step 1"),
        plot_mels(rng.random((80, 30)), rng.random((80, 30)), str(tmp_path / "m.png"), "step 1"),
        plot_loss_curve([(1, 2.0), (2, 1.0)], [(2, 1.5)], str(tmp_path / "l.png")),
    ]
    for p in paths:
        img = mpimg.imread(p)[..., :3]
        corner = img[2, 2]
        assert np.abs(corner - _rgb(PANEL)).max() < 0.02, (p, corner)
        # and not one big white figure: most of the image is dark
        assert (img.mean(axis=2) > 0.9).mean() < 0.05, p
