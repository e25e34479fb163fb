"""The line classifier's weights: a versioned, pickle-free JSON file, and scoring with numpy.

Format ``cleaner-mlp`` version 2. A model is a list of ``stages``; each standardises its input
(``mean``, ``scale``) and runs dense ``layers`` (the last has one output, read through a sigmoid).
Stage 1 reads the line features; every later stage reads the line features plus the context of
the previous stage's scores (``features.score_context``): a stacked, CRF-like pass in which each
line sees how its neighbours were judged. Also stored: HMM ``transitions`` for the sequence
decoder, the ``features`` the model was trained with, and ``trained`` provenance. Version 2 adds
``html``: a second classifier of the same layout for HTML input, reading the DOM features too
(``features.HTML_FEATURE_NAMES``); a file without it (or of version 1) serves HTML with the text one.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import ThreadpoolController

from . import native
from .errors import ModelError
from .features import FEATURE_NAMES, HTML_FEATURE_NAMES, SCORE_CONTEXT_NAMES, score_context

FORMAT = "cleaner-mlp"
VERSION = 2
READABLE_VERSIONS = (1, 2)
RETRAIN_HINT = "rebuild it with `python -m cleaner.train fit` (see DEVELOPERS.md)"
# applied in place
_ACTIVATIONS = {"relu": lambda z: np.maximum(z, 0.0, out=z), "tanh": lambda z: np.tanh(z, out=z),
                "linear": lambda z: z}


@dataclass(frozen=True)
class Layer:
    weights: np.ndarray     # (inputs, outputs)
    bias: np.ndarray        # (outputs,)
    activation: str
    # What scoring multiplies by: single precision, as the networks are fitted (half the time of
    # double precision on a page's few hundred lines; probabilities move by about 1e-7).
    weights32: np.ndarray = field(init=False, repr=False, compare=False)
    bias32: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "weights32", np.ascontiguousarray(self.weights, dtype=np.float32))
        object.__setattr__(self, "bias32", np.asarray(self.bias, dtype=np.float32))


@dataclass(frozen=True)
class Stage:
    """Standardise -> dense layers -> sigmoid."""

    mean: np.ndarray
    scale: np.ndarray
    layers: tuple[Layer, ...]

    def __post_init__(self) -> None:  # what the compiled standardize reads: contiguous doubles
        object.__setattr__(self, "mean", np.ascontiguousarray(self.mean, dtype=np.float64))
        object.__setattr__(self, "scale", np.ascontiguousarray(self.scale, dtype=np.float64))

    def score(self, x: np.ndarray, context: np.ndarray | None = None) -> np.ndarray:
        """Probability of each row of ``x`` (with ``context``'s columns after its own, when given)."""
        if native.AVAILABLE:  # (the same numbers in one pass, without the stacked copy)
            z = np.empty((x.shape[0], self.mean.size), dtype=np.float32)
            native.compiled.standardize(np.ascontiguousarray(x, dtype=np.float64), None if context is None else
                                        np.ascontiguousarray(context, dtype=np.float64), self.mean, self.scale, z)
        else:
            x = x if context is None else np.hstack([x, context])
            z = ((x - self.mean) / self.scale).astype(np.float32)
        for layer in self.layers:
            z = z @ layer.weights32
            z += layer.bias32
            _ACTIVATIONS[layer.activation](z)
        logit = z[:, 0].astype(np.float64)  # (np.clip's Python wrapper costs more than its two ufuncs)
        return 1.0 / (1.0 + np.exp(-np.minimum(np.maximum(logit, -30.0, out=logit), 30.0, out=logit)))


@lru_cache(maxsize=1)
def _blas() -> tuple:
    """The process's BLAS libraries (threadpoolctl's controllers), found once (finding them takes a while)."""
    return tuple(ThreadpoolController().select(user_api="blas").lib_controllers)


class _OneBlasThread:
    """The BLAS libraries at one thread for a block, as threadpoolctl's ``limit`` sets them, without
    its per-call setup (a quarter of a small page's network time); none set where already one."""

    __slots__ = ("saved",)

    def __enter__(self) -> None:
        self.saved = [(lib, n) for lib in _blas() if (n := lib.num_threads) != 1]  # (those to set back)
        for lib, _ in self.saved:
            lib.set_num_threads(1)

    def __exit__(self, *exc) -> None:
        for lib, n in self.saved:
            lib.set_num_threads(n)


def _r(a: np.ndarray) -> Any:
    return np.round(np.asarray(a, dtype=float), 6).tolist()


@dataclass(frozen=True)
class Model:
    """Stages of line scoring plus the line-to-line transition matrix."""

    features: tuple[str, ...]
    stages: tuple[Stage, ...]
    transitions: np.ndarray         # [[P(body->body), P(body->other)], [P(other->body), P(other->other)]]
    prior_body: float
    trained: dict[str, Any] = field(default_factory=dict)
    html: Model | None = None       # the classifier of HTML lines, when the file has one

    @property
    def reads_dom(self) -> bool:
        """Whether this classifier reads the DOM features after the line features."""
        return self.features == HTML_FEATURE_NAMES

    def for_html(self) -> Model:
        """The classifier for HTML input: the HTML one if there is one, else this one."""
        return self.html or self

    def score(self, x: np.ndarray) -> np.ndarray:
        """Probability that each row of ``x`` (n lines x features) is a body line."""
        if x.shape[0] == 0:
            return np.zeros(0)
        # A page's matrices are small: BLAS threads cost more to start than they save, and with
        # one worker process per core they would only compete (4x slower under load, measured).
        with _OneBlasThread():
            p = self.stages[0].score(x)
            for stage in self.stages[1:]:
                p = stage.score(x, score_context(p))
        return p

    # ------------------------------------------------------------------ I/O
    def to_json(self) -> str:
        """Canonical JSON: fixed key order and rounding, so equal models give identical bytes."""
        doc = {"format": FORMAT, "version": VERSION, **self._body(), "trained": self.trained}
        if self.html is not None:
            doc["html"] = self.html._body()
        return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"

    def _body(self) -> dict[str, Any]:
        return {
            "features": list(self.features), "context_features": list(SCORE_CONTEXT_NAMES),
            "stages": [{"mean": _r(s.mean), "scale": _r(s.scale),
                        "layers": [{"activation": l.activation, "weights": _r(l.weights), "bias": _r(l.bias)}
                                   for l in s.layers]} for s in self.stages],
            "transitions": _r(self.transitions), "prior_body": round(float(self.prior_body), 6),
        }

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def from_json(cls, text: str, *, source: str = "<model>") -> Model:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            raise ModelError(f"not JSON ({e}); {RETRAIN_HINT}", source=source) from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise ModelError(f"format is not {FORMAT!r}; {RETRAIN_HINT}", source=source)
        if doc.get("version") not in READABLE_VERSIONS:
            raise ModelError(f"version {doc.get('version')!r} is not one this cleaner reads {READABLE_VERSIONS}; "
                             f"{RETRAIN_HINT}", source=source)
        html = doc.get("html")
        if html is not None and not isinstance(html, dict):
            raise ModelError(f"'html' is not a model; {RETRAIN_HINT}", source=source)
        return cls._from_body(doc, FEATURE_NAMES, source, doc.get("trained", {}),
                              None if html is None else cls._from_body(html, HTML_FEATURE_NAMES, f"{source} (html)", {}))

    @classmethod
    def _from_body(cls, doc: dict, features: tuple[str, ...], source: str, trained: dict,
                   html: Model | None = None) -> Model:
        for key in ("features", "stages", "transitions", "prior_body"):
            if key not in doc:
                raise ModelError(f"missing key {key!r}; {RETRAIN_HINT}", source=source)
        for key, expected in (("features", features), ("context_features", SCORE_CONTEXT_NAMES)):
            found = tuple(doc.get(key, ()))
            if found != expected:
                missing = [n for n in expected if n not in found]
                extra = [n for n in found if n not in expected]
                what = f"missing {missing[:5]}, unknown {extra[:5]}" if missing or extra else "in another order"
                raise ModelError(f"trained with other {key.replace('_', ' ')} ({what}); {RETRAIN_HINT}",
                                 source=source)
        try:
            stages = tuple(_stage(s) for s in doc["stages"])
        except (KeyError, TypeError, ValueError) as e:
            raise ModelError(f"bad stage ({e}); {RETRAIN_HINT}", source=source) from None
        if not stages:
            raise ModelError(f"no stages; {RETRAIN_HINT}", source=source)
        return cls(features, stages, np.asarray(doc["transitions"], float), float(doc["prior_body"]), trained, html)

    @classmethod
    def from_path(cls, path: str | Path) -> Model:
        """A model from a file, such as one written by ``python -m cleaner.train fit``."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as e:
            raise ModelError(f"cannot read model: {e.strerror}", source=str(path)) from None
        return cls.from_json(text, source=str(path))

    @classmethod
    def load(cls) -> Model:
        """The model bundled with the package."""
        try:
            text = resources.files("cleaner.data").joinpath("model.json").read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ModelError(f"the bundled model is missing; {RETRAIN_HINT}", source="cleaner/data/model.json") from None
        return cls.from_json(text, source="cleaner/data/model.json")


def _stage(doc: dict) -> Stage:
    layers = tuple(Layer(np.asarray(l["weights"], float), np.asarray(l["bias"], float), l["activation"])
                   for l in doc["layers"])
    if not layers or any(l.activation not in _ACTIVATIONS for l in layers):
        raise ValueError("unknown activation or no layers")
    return Stage(np.asarray(doc["mean"], float), np.asarray(doc["scale"], float), layers)
