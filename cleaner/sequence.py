"""Sequence smoothing: a two-state HMM over the line scores, so body lines form runs.

The classifier's probability is turned into a scaled emission likelihood (posterior / prior) and
forward-backward gives each line's smoothed probability of body given the whole document. A lone
short heading between body paragraphs survives; a lone prose-like teaser in a sidebar does not.
"""
from __future__ import annotations

import numpy as np

from . import native

# Emission probabilities are clipped away from 0 and 1 so one line cannot veto its neighbours.
EMISSION_FLOOR = 1e-4


def temper(transitions: np.ndarray, strength: float) -> np.ndarray:
    """Transition matrix raised to ``strength`` and renormalised: 1 as trained, 0 independent lines."""
    t = transitions ** strength
    return t / t.sum(axis=1, keepdims=True)


def smooth(p: np.ndarray, transitions: np.ndarray, prior_body: float, strength: float = 1.0) -> np.ndarray:
    """Posterior P(body) per line from classifier scores ``p`` and the HMM ``transitions``."""
    n = p.shape[0]
    if n == 0 or strength <= 0:
        return p
    q = np.minimum(np.maximum(p, EMISSION_FLOOR), 1 - EMISSION_FLOOR)  # (np.clip, without its Python wrapper)
    t = temper(transitions, strength) if strength != 1.0 else transitions
    (bb, bo), (ob, oo) = t.tolist()
    e1 = q / prior_body               # scaled likelihood of the line given body
    e0 = (1 - q) / (1 - prior_body)   # ... given not body
    if native.AVAILABLE:  # the loops below in C, the same operations in the same order
        post = np.empty(n)
        native.compiled.forward_backward(e1, e0, prior_body, (bb, bo, ob, oo), post)
        return post
    e1, e0 = e1.tolist(), e0.tolist()
    # two states: plain floats beat numpy's per-call overhead in this sequential loop
    f1, f0 = prior_body * e1[0], (1 - prior_body) * e0[0]
    z = f1 + f0
    fwd = [(f1 / z, f0 / z)]
    for i in range(1, n):
        a1, a0 = fwd[-1]
        f1 = (a1 * bb + a0 * ob) * e1[i]
        f0 = (a1 * bo + a0 * oo) * e0[i]
        z = f1 + f0
        fwd.append((f1 / z, f0 / z))
    post = [0.0] * n
    b1 = b0 = 1.0
    for i in range(n - 1, -1, -1):
        a1, a0 = fwd[i]
        p1, p0 = a1 * b1, a0 * b0
        post[i] = p1 / (p1 + p0)
        if i:
            g1, g0 = e1[i] * b1, e0[i] * b0
            b1, b0 = bb * g1 + bo * g0, ob * g1 + oo * g0
            z = b1 + b0
            b1, b0 = b1 / z, b0 / z
    return np.asarray(post)
