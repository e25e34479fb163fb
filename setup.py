"""Builds the optional compiled helpers (cleaner/_native.c, cleaner/_dom.c). Everything else is in pyproject.toml.

`optional=True`: where no C compiler is at hand the install goes on without them, and cleaner
uses its pure-Python equivalents (same results, slower; `cleaner.native.AVAILABLE` tells which).
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension(f"cleaner.{name}", [f"cleaner/{name}.c"], optional=True, extra_compile_args=["-O2"])
                   for name in ("_native", "_dom")])
