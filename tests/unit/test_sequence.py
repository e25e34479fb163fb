import numpy as np

from cleaner.sequence import smooth, temper

T = np.array([[0.9, 0.1], [0.1, 0.9]])


def test_strength_zero_is_identity():
    p = np.array([0.2, 0.9, 0.4])
    assert np.allclose(smooth(p, T, 0.5, strength=0), p)


def test_weak_line_inside_a_body_run_is_raised_and_isolated_one_lowered():
    s = smooth(np.array([0.95, 0.95, 0.4, 0.95, 0.95]), T, 0.5)
    assert s[2] > 0.5
    s = smooth(np.array([0.05, 0.05, 0.6, 0.05, 0.05]), T, 0.5)
    assert s[2] < 0.5


def test_matches_brute_force_posterior():
    rng = np.random.default_rng(1)
    p = rng.uniform(0.05, 0.95, 6)
    prior = 0.4
    e = np.column_stack([p / prior, (1 - p) / (1 - prior)])
    import itertools
    post = np.zeros(6)
    total = 0.0
    for states in itertools.product([0, 1], repeat=6):
        w = (prior if states[0] == 0 else 1 - prior) * e[0, states[0]]
        for i in range(1, 6):
            w *= T[states[i - 1], states[i]] * e[i, states[i]]
        total += w
        post += w * (np.array(states) == 0)
    assert np.allclose(smooth(p, T, prior), post / total)


def test_temper_rows_sum_to_one():
    assert np.allclose(temper(T, 0.3).sum(axis=1), 1.0)
