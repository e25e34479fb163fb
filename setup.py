"""Builds the optional compiled helpers (cleaner/_native.c). Everything else is in pyproject.toml.

`optional=True`: where no C compiler is at hand the install goes on without them, and cleaner
uses its pure-Python equivalents (same results, slower; `cleaner.native.AVAILABLE` tells which).
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension("cleaner._native", ["cleaner/_native.c"], optional=True,
                             extra_compile_args=["-O2"])])
