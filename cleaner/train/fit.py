"""Fit the line classifier and the HMM transitions on labelled dumps (``examples``); write model.json.

Deterministic: pages in a fixed order, fixed seed, full-batch optimisation, and a canonical JSON
writer, so the same data and code give the same bytes.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..features import FEATURE_NAMES, HTML_FEATURE_NAMES, score_context
from ..model import Layer, Model, Stage
from .augment import LANGUAGES
from .dataset import LICENCES, TRAIN_PAGE_TYPES, page_types
from .examples import HTML_STYLES, TRAIN_STYLES, DocData, is_held_out, load_docs

SEED = 20261125
# L2 penalty: small, the data set is large relative to the number of weights.
L2 = 1e-3
# Hidden units and passes over the data: 64 x 8 beat 32 x 4 on held-out pages (line F1 +0.3-0.5
# points per style); larger gave no further gain for the training time.
HIDDEN = 64
EPOCHS = 8
# Folds for the out-of-fold stage-1 scores that stage 2 learns from.
FOLDS = 3
# Networks merged into each stage (see fit_stage). One network's held-out F1 moved by up to 0.012
# per benchmark style and 0.004 on the evaluation-only mean with the seed alone; three merged beat
# the mean of their members by 0.004-0.005 on both and vary far less.
MEMBERS = 3
# Weight decay of the hidden network, per step on the per-line mean loss.
MLP_L2 = 1e-5


def transitions(docs: Iterable[DocData]) -> tuple[np.ndarray, float]:
    counts = np.ones((2, 2))  # Laplace
    body = total = 0.0
    for d in docs:
        s = (1 - d.y).astype(int)  # state 0 = body, 1 = other
        np.add.at(counts, (s[:-1], s[1:]), 1)
        body += d.y.sum()
        total += len(d.y)
    return counts / counts.sum(axis=1, keepdims=True), body / max(total, 1)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def fit_linear(x: np.ndarray, y: np.ndarray, w: np.ndarray, iters: int = 30) -> tuple[np.ndarray, float]:
    """Weighted L2 logistic regression by Newton's method (deterministic, no step size)."""
    xb = np.hstack([x, np.ones((x.shape[0], 1))])
    beta = np.zeros(xb.shape[1])
    w = w / w.mean()
    reg = L2 * x.shape[0] * np.ones(xb.shape[1])
    reg[-1] = 0.0
    for _ in range(iters):
        p = _sigmoid(xb @ beta)
        grad = xb.T @ (w * (p - y)) + reg * beta
        hess = (xb * (w * p * (1 - p))[:, None]).T @ xb + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-7:
            break
    return beta[:-1], float(beta[-1])


def fit_mlp(x: np.ndarray, y: np.ndarray, w: np.ndarray, hidden: int, epochs: int, seed: int = SEED,
            batch: int = 4096) -> list[Layer]:
    """One tanh hidden layer, mini-batch Adam; the seed fixes the start and the batch order."""
    rng = np.random.default_rng(seed)
    d = x.shape[1]
    x, y = x.astype(np.float32), y.astype(np.float32)  # half the memory traffic of float64
    params = [rng.normal(0, 1 / np.sqrt(d), (d, hidden)).astype(np.float32), np.zeros(hidden, np.float32),
              rng.normal(0, 1 / np.sqrt(hidden), (hidden, 1)).astype(np.float32), np.zeros(1, np.float32)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    w = (w / w.mean()).astype(np.float32)
    b1, b2 = 0.9, 0.999
    t = 0
    for epoch in range(epochs):
        lr = 0.003 * (0.5 ** (epoch * 3 // max(epochs, 1)))  # halve the step twice over the run
        order = rng.permutation(x.shape[0])
        for start in range(0, len(order), batch):
            idx = order[start:start + batch]
            xb, yb, wb = x[idx], y[idx, None], w[idx, None] / len(idx)
            w1, c1, w2, c2 = params
            h = np.tanh(xb @ w1 + c1)
            p = _sigmoid(h @ w2 + c2)
            g_out = wb * (p - yb)
            g_h = (g_out @ w2.T) * (1 - h * h)
            grads = [xb.T @ g_h + MLP_L2 * w1, g_h.sum(0), h.T @ g_out + MLP_L2 * w2, g_out.sum(0)]
            t += 1
            for i, g in enumerate(grads):
                m[i] = b1 * m[i] + (1 - b1) * g
                v[i] = b2 * v[i] + (1 - b2) * g * g
                params[i] -= lr * (m[i] / (1 - b1 ** t)) / (np.sqrt(v[i] / (1 - b2 ** t)) + 1e-8)
    return [Layer(params[0], params[1], "tanh"), Layer(params[2], params[3], "linear")]


def fit_stage(x: np.ndarray, y: np.ndarray, w: np.ndarray, hidden: int, epochs: int, seed: int = SEED,
              members: int = 1) -> Stage:
    """Standardise ``x`` and fit one stage (logistic regression when ``hidden`` is 0).

    With ``members`` > 1, that many networks from consecutive seeds are fitted and merged into one
    wide network whose output is the mean of their logits: the same file format and scoring code,
    and far less dependence on the luck of one initialisation.
    """
    mean, scale, z = _standardise(x)
    if not hidden:
        coef, bias = fit_linear(z, y, w)
        return Stage(mean, scale, (Layer(coef[:, None], np.array([bias]), "linear"),))
    return _merge(mean, scale, [fit_mlp(z, y, w, hidden, epochs, seed + k) for k in range(members)])


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    return mean, scale, (x - mean) / scale


def _merge(mean: np.ndarray, scale: np.ndarray, nets: list[list[Layer]]) -> Stage:
    """One stage from networks fitted on the same standardised data (see ``fit_stage``)."""
    if len(nets) == 1:
        return Stage(mean, scale, tuple(nets[0]))
    first = Layer(np.hstack([n[0].weights for n in nets]), np.concatenate([n[0].bias for n in nets]), "tanh")
    out = Layer(np.vstack([n[1].weights for n in nets]) / len(nets), np.mean([n[1].bias for n in nets], axis=0),
                "linear")
    return Stage(mean, scale, (first, out))


# What forked workers fit on: set by ``_fit_stages`` before the pool starts, so the training
# matrices reach the workers by fork instead of being pickled to each.
_SHARED: tuple = ()


def _fold_rows(k: int, x: np.ndarray, y: np.ndarray, w: np.ndarray, rows: np.ndarray):
    """The rows a stage of fold ``k`` learns from: all but fold ``k``'s (-1: all rows)."""
    if k < 0:
        return x, y, w
    keep = rows != k
    return x[keep], y[keep], w[keep]


def _fit_member(task: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, list[Layer]]:
    """One network of one stage (fold ``k``, seed offset ``member``) and the mean and scale it
    standardised with."""
    k, member = task
    x, y, w, rows, hidden, epochs, seed = _SHARED
    x, y, w = _fold_rows(k, x, y, w, rows)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # as in the parent: the same arithmetic, so the same bytes
        mean, scale, z = _standardise(x)
        return mean, scale, fit_mlp(z, y, w, hidden, epochs, seed + member)


# A process fitting one network holds its rows of the features three times over (the fold's
# copy, standardised, and in float32: about 2.5 times the matrix's bytes).
FIT_MEMORY_PER_MATRIX = 2.5


def fitting_processes_memory_allows(matrix_bytes: int, available: int | None = None) -> int:
    """How many fitting processes the free memory holds (at least one): on a machine with many
    cores and little memory, all cores at once would run out of it."""
    if available is None:
        try:
            available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError, AttributeError):  # not a POSIX system: no cap known
            return 1 << 16
    return max(1, int(available // max(FIT_MEMORY_PER_MATRIX * matrix_bytes, 1)))


def _fit_stages(x: np.ndarray, y: np.ndarray, w: np.ndarray, rows: np.ndarray, folds: list[int], hidden: int,
                epochs: int, seed: int, members: int, jobs: int) -> list[Stage]:
    """``fit_stage`` on all rows (fold -1) or on each fold's complement, the networks fitted by
    ``jobs`` forked processes at once; the same stages as fitting them one by one."""
    global _SHARED
    tasks = [(k, m) for k in folds for m in range(members)]
    jobs = min(jobs, len(tasks), fitting_processes_memory_allows(x.nbytes))
    if not hidden or jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [fit_stage(*_fold_rows(k, x, y, w, rows), hidden, epochs, seed, members) for k in folds]
    _SHARED = (x, y, w, rows, hidden, epochs, seed)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            fitted = pool.map(_fit_member, tasks, chunksize=1)
    finally:
        _SHARED = ()
    stages = []
    for i in range(len(folds)):
        group = fitted[i * members:(i + 1) * members]
        mean, scale, _ = group[0]  # (every member of a stage standardised the same rows)
        stages.append(_merge(mean, scale, [net for _, _, net in group]))
    return stages


def _fold(doc_id: str) -> int:
    return hashlib.sha1(doc_id.encode()).digest()[1] % FOLDS


def fit(docs: list[DocData], *, hidden: int = HIDDEN, epochs: int = EPOCHS, seed: int = SEED,
        members: int = MEMBERS, trained: dict | None = None, features: tuple[str, ...] = FEATURE_NAMES,
        jobs: int = 1) -> Model:
    """Stage 1 on the features; stage 2 on the features plus out-of-fold stage-1 score context.

    Out-of-fold: each page's stage-1 scores come from a model that never saw the page, so stage 2
    learns how much to trust scores it has not memorised. ``jobs`` processes fit networks at once.
    """
    x = np.vstack([d.x for d in docs])
    y = np.concatenate([d.y for d in docs])
    w = np.concatenate([d.w for d in docs])
    bounds = np.concatenate([[0], np.cumsum([len(d.y) for d in docs])])
    rows = np.repeat([_fold(d.id) for d in docs], np.diff(bounds))  # each line's fold: its page's
    first, *by_fold = _fit_stages(x, y, w, rows, [-1, *range(FOLDS)], hidden, epochs, seed, members, jobs)
    oof = np.zeros(len(y))
    for k, st in enumerate(by_fold):
        oof[rows == k] = st.score(x[rows == k])
    x2 = np.hstack([x, np.vstack([score_context(oof[a:b]) for a, b in zip(bounds[:-1], bounds[1:])])])
    second, = _fit_stages(x2, y, w, rows, [-1], hidden, epochs, seed, members, jobs)
    trans, prior = transitions(docs)
    return Model(features, (first, second), trans, prior, trained or {})


def provenance(sets: tuple[str, ...], commit: str, n_docs: int, metrics: dict, seed: int = SEED,
               members: int = MEMBERS) -> dict:
    return {"data": [{"set": s, "licence": LICENCES.get(s, "unknown")} for s in sets],
            "page_types": list(TRAIN_PAGE_TYPES),
            "styles": list(TRAIN_STYLES), "html_styles": list(HTML_STYLES),
            "translated_into": list(LANGUAGES), "commit": commit, "documents": n_docs, "seed": seed,
            "members": members, "metrics": metrics}


def line_f1(model: Model, docs: list[DocData]) -> dict:
    """Word-weighted precision/recall/F1 of smoothed body decisions, per style (validation)."""
    from ..sequence import smooth

    out: dict = {}
    for style in dict.fromkeys(d.style for d in docs):
        tp = fp = fn = 0.0
        for d in (d for d in docs if d.style == style):
            s = smooth(model.score(d.x), model.transitions, model.prior_body) >= 0.5
            tp += (d.w * (s & (d.y > 0))).sum()
            fp += (d.w * (s & (d.y == 0))).sum()
            fn += (d.w * (~s & (d.y > 0))).sum()
        p, r = tp / max(tp + fp, 1e-9), tp / max(tp + fn, 1e-9)
        out[style] = round(float(2 * p * r / max(p + r, 1e-9)), 4)
    return out


def run_fit(data: Path, sets: tuple[str, ...], cache: Path, hidden: int, epochs: int, holdout: bool,
            commit: str, output: Path, seed: int = SEED, members: int = MEMBERS, jobs: int = 1) -> int:
    """Fit on a tenth held out to measure, then (unless ``holdout``) on everything to ship.

    BLAS runs on one thread: with several, a busy machine's scheduling changed the last digit of
    a weight now and then, and the shipped model must be rebuilt byte for byte anywhere. Parallel
    work is whole pages and whole networks in ``jobs`` processes instead, which changes no digit.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        return _run_fit(data, sets, cache, hidden, epochs, holdout, commit, output, seed, members, jobs)


def _run_fit(data: Path, sets: tuple[str, ...], cache: Path, hidden: int, epochs: int, holdout: bool,
             commit: str, output: Path, seed: int, members: int, jobs: int) -> int:
    types = page_types(data, sets)
    settings = dict(hidden=hidden, epochs=epochs, seed=seed, members=members, jobs=jobs)
    models, metrics, used = [], {}, 0
    for styles, features in ((TRAIN_STYLES, FEATURE_NAMES), (HTML_STYLES, HTML_FEATURE_NAMES)):
        docs = [d for d in load_docs(data, cache, sets, styles, jobs=jobs) if types[(d.set, d.id)] in TRAIN_PAGE_TYPES]
        train = [d for d in docs if not is_held_out(d.id)]
        test = [d for d in docs if is_held_out(d.id)]
        probe = fit(train, features=features, **settings)
        metrics.update(line_f1(probe, test))
        models.append(probe if holdout else fit(docs, features=features, **settings))
        used += len(train if holdout else docs)
    text, html = models
    model = Model(text.features, text.stages, text.transitions, text.prior_body,
                  provenance(sets, commit, used, {"heldout_line_f1": metrics}, seed, members), html)
    model.save(output)
    print(f"wrote {output}: {used} dumps; {metrics}")
    return 0
