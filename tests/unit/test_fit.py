import numpy as np

from cleaner.train.fit import fit_stage


def _data(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 5))
    y = (x[:, 0] - 0.5 * x[:, 1] + 0.3 * rng.normal(size=n) > 0).astype(float)
    return x, y, np.ones(n)


def test_merged_stage_scores_the_mean_logit_of_its_members():
    x, y, w = _data()
    merged = fit_stage(x, y, w, hidden=8, epochs=300, seed=7, members=3)
    singles = [fit_stage(x, y, w, hidden=8, epochs=300, seed=7 + k) for k in range(3)]
    logit = lambda p: np.log(p / (1 - p))  # noqa: E731
    assert merged.layers[0].weights.shape == (5, 24)  # one wide network, the same file format
    assert np.allclose(logit(merged.score(x)), np.mean([logit(s.score(x)) for s in singles], axis=0), atol=1e-6)
    assert ((merged.score(x) > 0.5) == (y > 0)).mean() > 0.9


def test_one_member_is_the_plain_network():
    x, y, w = _data(seed=1)
    a, b = fit_stage(x, y, w, hidden=8, epochs=5, seed=3), fit_stage(x, y, w, hidden=8, epochs=5, seed=3, members=1)
    assert all(np.array_equal(p.weights, q.weights) for p, q in zip(a.layers, b.layers))


def test_fitting_processes_are_capped_by_free_memory():
    from cleaner.train.fit import FIT_MEMORY_PER_MATRIX, fitting_processes_memory_allows

    gb = 10**9
    assert fitting_processes_memory_allows(gb, available=int(16 * gb)) == int(16 // FIT_MEMORY_PER_MATRIX)
    assert fitting_processes_memory_allows(gb, available=gb) == 1  # never fewer than one
    assert fitting_processes_memory_allows(gb) >= 1  # this machine's free memory
