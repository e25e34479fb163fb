"""Sequence smoothing: a two-state HMM over the line scores, so body lines form runs.

The classifier's probability is turned into a scaled emission likelihood (posterior / prior) and
forward-backward gives each line's smoothed probability of body given the whole document. A lone
short heading between body paragraphs survives; a lone prose-like teaser in a sidebar does not.
"""
from __future__ import annotations

import numpy as np

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
    q = np.clip(p, EMISSION_FLOOR, 1 - EMISSION_FLOOR)
    prior = np.array([prior_body, 1.0 - prior_body])
    emit = np.column_stack([q / prior[0], (1 - q) / prior[1]])
    t = temper(transitions, strength) if strength != 1.0 else transitions
    fwd = np.empty((n, 2))
    f = prior * emit[0]
    fwd[0] = f / f.sum()
    for i in range(1, n):
        f = (fwd[i - 1] @ t) * emit[i]
        fwd[i] = f / f.sum()
    bwd = np.empty((n, 2))
    bwd[-1] = 1.0
    for i in range(n - 2, -1, -1):
        b = t @ (emit[i + 1] * bwd[i + 1])
        bwd[i] = b / b.sum()
    post = fwd * bwd
    return post[:, 0] / post.sum(axis=1)
