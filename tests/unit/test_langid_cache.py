"""py3langid's tables decompressed once into the cache: the same model, read without lzma after."""
import lzma

import numpy as np
import pytest
from py3langid import langid

from cleaner import lang, langid_cache

TEXTS = ["The committee met on Tuesday to discuss the budget for the coming year.",
         "Le conseil municipal a voté mardi le budget de l'année prochaine.",
         "Der Gemeinderat hat am Dienstag den Haushalt für das kommende Jahr beschlossen.",
         "Совет директоров утвердил бюджет на следующий год во вторник."]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(langid_cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def tables_of(model):
    return (np.asarray(model.nb_ptc), np.asarray(model.nb_pc), list(model.nb_classes), np.asarray(model.tk_nextmove),
            list(model.tk_row), list(model.tk_output))


def test_the_cached_model_is_py3langids_model(cache):
    ours, theirs = tables_of(langid_cache.load_identifier()), tables_of(langid._load_identifier())
    assert [folder.name.startswith("py3langid-") for folder in cache.iterdir()] == [True]
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)
    assert [lang._Identifier(langid_cache.load_identifier(), langid.visit_counts, langid.RAW_FLOOR).classify(t)
            for t in TEXTS] == ["en", "fr", "de", "ru"]


def test_a_second_load_reads_the_cache_without_decompressing(cache, monkeypatch):
    expected = langid_cache.load_identifier().nb_pc

    def refuse(*args, **kwargs):
        raise AssertionError("decompressed again")

    monkeypatch.setattr(lzma, "open", refuse)
    np.testing.assert_array_equal(langid_cache.load_identifier().nb_pc, expected)


def test_an_unreadable_copy_is_written_again(cache):
    langid_cache.load_identifier()
    (folder,) = cache.iterdir()
    (folder / "pc.npy").write_bytes(b"not an array")
    np.testing.assert_array_equal(langid_cache.load_identifier().nb_pc, langid._get_identifier().nb_pc)
    assert np.load(folder / "pc.npy").shape == langid._get_identifier().nb_pc.shape


def test_without_a_writable_cache_the_model_loads_as_py3langid_loads_it(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("the cache folder cannot be made under a file")
    monkeypatch.setenv(langid_cache.CACHE_DIR_ENV, str(blocker / "cache"))
    np.testing.assert_array_equal(langid_cache.load_identifier().nb_pc, langid._get_identifier().nb_pc)
    assert blocker.read_text().startswith("the cache folder")


def test_copies_of_other_models_are_removed(cache):
    stale = cache / "py3langid-0123456789abcdef"
    stale.mkdir(parents=True)
    (stale / "ptc.npy").write_bytes(b"old")
    langid_cache.load_identifier()
    assert not stale.exists() and len(list(cache.iterdir())) == 1


def test_the_python_walk_reads_a_mapped_table(cache, monkeypatch):
    monkeypatch.setattr(lang.native, "AVAILABLE", False)
    pure = lang._Identifier(langid_cache.load_identifier(), langid.visit_counts, langid.RAW_FLOOR)
    assert not isinstance(pure.model.tk_nextmove, np.ndarray)
    assert [pure.classify(t) for t in TEXTS] == [langid._get_identifier().classify(t)[0] for t in TEXTS]


def test_without_a_home_folder_the_model_loads_as_py3langid_loads_it(monkeypatch):
    from pathlib import Path

    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv(langid_cache.CACHE_DIR_ENV, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    np.testing.assert_array_equal(langid_cache.load_identifier().nb_pc, langid._get_identifier().nb_pc)
