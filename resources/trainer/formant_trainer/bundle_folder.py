"""Writing a bundle folder (voice or vocoder) so that it never holds graphs and a manifest that disagree: everything is
written into a hidden sibling `.<name>.export-<pid>`, fsynced, then renamed into place. Files of an existing folder that
the new bundle does not supply (a README, reference.json, …) are carried over by hard link (copied where links fail);
the old folder is moved aside as `.<name>.old-<pid>` for the two renames and removed after. A process killed between
those renames leaves the old folder aside; the next write to the same folder puts it back first."""
from __future__ import annotations

import glob
import os
import shutil
from contextlib import contextmanager

from .checkpoint import _alive, fsync_dir


def _names(out_dir: str) -> tuple[str, str]:
    out = os.path.abspath(out_dir)
    return os.path.dirname(out), os.path.basename(os.path.normpath(out))


def recover(out_dir: str) -> None:
    """A folder moved aside by a write that was killed between its two renames goes back in place."""
    parent, base = _names(out_dir)
    if os.path.exists(out_dir):
        return
    aside = sorted(glob.glob(os.path.join(parent, f".{glob.escape(base)}.old-*")), key=os.path.getmtime)
    if aside:
        os.replace(aside[-1], out_dir)


def _fsync_tree(root: str) -> None:
    for d, _, files in os.walk(root):
        for f in files:
            with open(os.path.join(d, f), "rb") as fh:
                os.fsync(fh.fileno())
        fsync_dir(d)


def _carry(src: str, dst: str) -> None:
    if os.path.isdir(src):
        shutil.copytree(src, dst, copy_function=_link_or_copy)
    else:
        _link_or_copy(src, dst)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


@contextmanager
def staged_folder(out_dir: str, owned: set[str], seed_from_existing: bool = False):
    """Yields the staging folder; on normal exit it replaces out_dir. `owned`: names the new bundle decides about —
    not carried from the old folder even when the new one lacks them (a stale graph of another model).
    seed_from_existing: hard-link the existing folder's files into the stage first (to change a bundle in place)."""
    parent, base = _names(out_dir)
    os.makedirs(parent, exist_ok=True)
    recover(out_dir)
    for old in glob.glob(os.path.join(parent, f".{glob.escape(base)}.export-*")):  # of a write that was killed
        pid = old.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    stage = os.path.join(parent, f".{base}.export-{os.getpid()}")
    shutil.rmtree(stage, ignore_errors=True)
    os.makedirs(stage)
    try:
        if seed_from_existing and os.path.isdir(out_dir):
            for name in os.listdir(out_dir):
                _carry(os.path.join(out_dir, name), os.path.join(stage, name))
        yield stage
        if os.path.isdir(out_dir):
            for name in os.listdir(out_dir):
                if name not in owned and not os.path.exists(os.path.join(stage, name)):
                    _carry(os.path.join(out_dir, name), os.path.join(stage, name))
        _fsync_tree(stage)
        if os.path.isdir(out_dir):
            aside = os.path.join(parent, f".{base}.old-{os.getpid()}")
            shutil.rmtree(aside, ignore_errors=True)
            os.replace(out_dir, aside)
            os.replace(stage, out_dir)
            fsync_dir(parent)
            shutil.rmtree(aside, ignore_errors=True)
        else:
            os.replace(stage, out_dir)
            fsync_dir(parent)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
