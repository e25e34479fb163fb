import json

import numpy as np
import pytest

from cleaner.errors import ModelError
from cleaner.features import FEATURE_NAMES, SCORE_CONTEXT_NAMES
from cleaner.model import Model


def test_bundled_model_round_trips_to_identical_bytes(tmp_path):
    m = Model.load()
    path = tmp_path / "m.json"
    m.save(path)
    again = Model.from_path(path)
    assert again.to_json() == m.to_json()
    x = np.random.default_rng(0).normal(size=(5, len(FEATURE_NAMES)))
    assert np.allclose(again.score(x), m.score(x))


def test_model_states_its_training_data_and_licences():
    trained = Model.load().trained
    sets = {d["set"]: d["licence"] for d in trained["data"]}
    assert "scrapinghub" not in sets
    assert set(sets.values()) <= {"Apache-2.0", "CC-BY-4.0"}


@pytest.mark.parametrize("change,message", [
    (lambda d: d.update(version=99), "version 99"),
    (lambda d: d.update(features=d["features"][:-1]), rf"other features \(missing \['{FEATURE_NAMES[-1]}'\]"),
    (lambda d: d.update(context_features=d["context_features"][:-1] + ["score@far"]),
     rf"other context features \(missing \['{SCORE_CONTEXT_NAMES[-1]}'\], unknown \['score@far'\]"),
    (lambda d: d.update(features=d["features"][::-1]), "other features .in another order"),
    (lambda d: d.pop("stages"), "missing key 'stages'"),
    (lambda d: d.update(format="pickle"), "format"),
])
def test_bad_models_are_rejected_by_name(tmp_path, change, message):
    doc = json.loads(Model.load().to_json())
    change(doc)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ModelError, match=message):
        Model.from_path(path)
