"""Formant Studio's trainer: Tacotron-2 + WaveGlow in PyTorch, exported as ONNX voice bundles."""
__version__ = "0.1.0"
