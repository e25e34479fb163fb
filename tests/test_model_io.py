import json

import numpy as np
import pytest

from cleaner.errors import ModelError
from cleaner.features import DOM_FEATURE_NAMES, FEATURE_NAMES, HTML_FEATURE_NAMES, SCORE_CONTEXT_NAMES
from cleaner.model import Model


def test_bundled_model_round_trips_to_identical_bytes(tmp_path):
    m = Model.load()
    path = tmp_path / "m.json"
    m.save(path)
    again = Model.from_path(path)
    assert again.to_json() == m.to_json()
    x = np.random.default_rng(0).normal(size=(5, len(FEATURE_NAMES)))
    assert np.allclose(again.score(x), m.score(x))
    xh = np.random.default_rng(1).normal(size=(5, len(HTML_FEATURE_NAMES)))
    assert np.allclose(again.for_html().score(xh), m.for_html().score(xh))


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
    (lambda d: d["html"].update(features=d["html"]["features"][:-1]),
     rf"\(html\): trained with other features \(missing \['{DOM_FEATURE_NAMES[-1]}'\]"),
    (lambda d: d.update(html=[]), "'html' is not a model"),
])
def test_bad_models_are_rejected_by_name(tmp_path, change, message):
    doc = json.loads(Model.load().to_json())
    change(doc)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ModelError, match=message):
        Model.from_path(path)


def test_a_version_1_model_without_an_html_part_serves_html_with_its_text_classifier(tmp_path):
    import cleaner
    from cleaner.pipeline import Cleaner

    doc = json.loads(Model.load().to_json())
    doc["version"] = 1
    del doc["html"]
    path = tmp_path / "v1.json"
    path.write_text(json.dumps(doc))
    old = Model.from_path(path)
    assert old.html is None and old.for_html() is old and not old.reads_dom
    page = ("<html><body><nav><a href='/'>Home</a></nav><article><h1>Budget agreed</h1>"
            + "<p>The council agreed its budget for next year after a long debate in the chamber on Tuesday.</p>" * 3
            + "</article></body></html>")
    text = Cleaner(cleaner.Options(model_path=str(path))).clean(page).text
    assert "The council agreed its budget" in text
