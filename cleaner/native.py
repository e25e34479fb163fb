"""The compiled helpers (``cleaner/_native.c``, ``cleaner/_dom.c``) where the install could build them, else nothing.

Each helper has a pure-Python twin giving identical results; callers use ``AVAILABLE`` to pick.
``CLEANER_PURE_PYTHON=1`` in the environment turns the compiled ones off (to compare the two).
"""
from __future__ import annotations

import os

try:
    if os.environ.get("CLEANER_PURE_PYTHON") == "1":
        raise ImportError("CLEANER_PURE_PYTHON=1")
    from . import _native as compiled
except ImportError:  # no C compiler at install time: the pure-Python path, same output
    compiled = None
try:  # the walks over lxml trees of the HTML path (lines.tree checks them before use)
    if os.environ.get("CLEANER_PURE_PYTHON") == "1":
        raise ImportError("CLEANER_PURE_PYTHON=1")
    from . import _dom as dom
except ImportError:
    dom = None

AVAILABLE = compiled is not None
