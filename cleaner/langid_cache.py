"""py3langid's model, its tables read from a decompressed copy in the user's cache.

py3langid ships its tables xz-compressed (4.6 MB for 68 MB): decompressing them costs a process half
a second, as long as cleaning some three hundred dumps, and every worker of a parallel run pays it
again. The first process writes the tables to the cache as .npy files; later ones map them in
milliseconds (the pages shared between processes). Where no cache can be written or read, the
model loads as py3langid loads it.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

CACHE_DIR_ENV = "CLEANER_CACHE_DIR"
# The arrays of py3langid's model file (modelio.save_model's names).
TABLES = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")
_PREFIX = "py3langid-"


def cache_dir() -> Path:
    """$CLEANER_CACHE_DIR, else $XDG_CACHE_HOME/cleaner, else ~/.cache/cleaner."""
    if env := os.environ.get(CACHE_DIR_ENV):
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cleaner"


def load_identifier():
    """py3langid's ``LanguageIdentifier`` of its bundled model, the tables mapped from the cache.
    Its transition table is a numpy array here (an ``array`` in py3langid's own load)."""
    from py3langid import langid

    # no cache to write or read (RuntimeError: no home folder to hold one): py3langid's own way
    try:
        t = cached_tables(langid.MODEL_DIR / langid.MODEL_FILE)
    except (OSError, ValueError, EOFError, RuntimeError):
        return langid._load_identifier()
    return langid.LanguageIdentifier(t["ptc"], t["pc"], t["classes"].tolist(), t["nextmove"], t["out_feat"].tolist(),
                                     tk_row=t["nextmove_row"].tolist())


def cached_tables(source: Path) -> dict[str, np.ndarray]:
    """The tables of the model file ``source``, mapped read-only from the cache (written first if
    missing; written again once if unreadable)."""
    # Named by the file's content (a hundredth of a second to hash): a reinstall of the same
    # version finds its copy, another version writes its own.
    folder = cache_dir() / (_PREFIX + hashlib.blake2b(source.read_bytes(), digest_size=8).hexdigest())
    if not folder.is_dir():
        _write(source, folder)
    try:
        return _mapped(folder)
    except (OSError, ValueError, EOFError):  # a damaged copy: written again, once
        shutil.rmtree(folder, ignore_errors=True)
        _write(source, folder)
        return _mapped(folder)


def _mapped(folder: Path) -> dict[str, np.ndarray]:
    return {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in TABLES}


def _write(source: Path, folder: Path) -> None:
    """Decompress ``source`` into ``folder``, atomically: processes starting together race to write
    it, and a reader never sees a half-written one."""
    import lzma

    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".writing-", dir=folder.parent))
    try:
        with tempfile.TemporaryFile(dir=work) as npz:  # streamed: the 68 MB are never all in memory
            with lzma.open(source) as src:
                shutil.copyfileobj(src, npz, length=1 << 20)
            npz.seek(0)
            with np.load(npz, allow_pickle=False) as data:
                missing = set(TABLES).difference(data.files)
                if missing:
                    raise ValueError(f"{source}: no {', '.join(sorted(missing))} in py3langid's model")
                for name in TABLES:
                    np.save(work / f"{name}.npy", data[name], allow_pickle=False)
        try:
            work.rename(folder)
        except OSError:
            if not folder.is_dir():  # (else another process wrote it first)
                raise
            return
        for old in folder.parent.glob(_PREFIX + "*"):  # copies of other versions' models
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
