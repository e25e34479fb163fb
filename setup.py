"""Builds the optional compiled helpers (cleaner/_native.c, cleaner/_dom.c). Everything else is in pyproject.toml.

`optional=True`: where no C compiler is at hand the install goes on without them, and cleaner
uses its pure-Python equivalents (same results, slower; `cleaner.native.AVAILABLE` tells which).
The same results to the last bit: `-ffp-contract=off` keeps a * b + c two roundings, as Python and
numpy compute it (some compilers fuse it into one by default). `-O3` vectorises loops such as the
standardisation's divisions (each rounded as alone) and never reorders a floating-point sum.
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension(f"cleaner.{name}", [f"cleaner/{name}.c"], optional=True,
                             extra_compile_args=["-O3", "-ffp-contract=off"])
                   for name in ("_native", "_dom")])
