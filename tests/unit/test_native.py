"""The compiled helpers give what their pure-Python twins give, and the install builds them."""
from __future__ import annotations

import random
import shutil
import sysconfig
from array import array

import numpy as np
import pytest

from cleaner import lang, native
from cleaner.lines import markup
from cleaner.types import LINE_SLOTS, Line

needs_native = pytest.mark.skipif(not native.AVAILABLE, reason="cleaner._native not built (no C compiler?)")

TEXTS = [
    "",
    "a",
    "The council said on Tuesday that the new homes would be built by 2027.",
    "Der Gemeinderat hat am Dienstag beschlossen, dass die neuen Wohnungen gebaut werden.",
    "Правительство объявило о новых мерах поддержки малого бизнеса в регионах.",
    "政府は火曜日、新しい住宅を2027年までに建設すると発表した。",
    "مجلس المدينة أعلن يوم الثلاثاء عن خطة جديدة للإسكان",
    "Ελληνικά κείμενα με τόνους: ένα, δύο, τρία.",
    "emoji 🙂🙃 and \U0001F600 mixed with ASCII",
]


def _python_walk():
    from py3langid import langid

    return langid.visit_counts


def _tables():
    from py3langid import langid

    ident = langid._get_identifier()
    return ident.tk_nextmove, ident._rowbase, ident.tk_output


def _samples() -> list[bytes]:
    rng = random.Random(5)
    out = [t.encode("utf-8") for t in TEXTS]
    out += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000))) for _ in range(20)]
    out.append(" ".join(TEXTS * 40).encode("utf-8"))
    return out


@needs_native
def test_dfa_walk_counts_what_the_python_walk_counts_in_the_same_order():
    python_walk = _python_walk()
    nm, rowbase, out = _tables()
    tables = (array("q", rowbase), array("q", out), max(out) + 1)
    for data in _samples():
        expected = python_walk(nm, rowbase, out, data) or {}
        features, counts = native.compiled.dfa_visits(nm, *tables, data)
        got = zip(array("q", features), array("q", counts))
        assert list(got) == list(expected.items())  # order fixes the scores' sums


def _walk(nextmove, rowbase, output, data: bytes) -> list[tuple[int, int]]:
    """(feature, count) in the order first met, one state after another from state 0."""
    counts: dict[int, int] = {}
    state = 0
    for b in data:
        state = nextmove[rowbase[state] + b]
        if output[state] >= 0:
            counts[output[state]] = counts.get(output[state], 0) + 1
    return list(counts.items())


@needs_native
def test_dfa_walk_in_pieces_is_one_walk_whatever_the_dfa():
    """The compiled walk reads a long text in pieces at once, each started from the state its last
    few bytes lead to; a DFA whose state depends on more of the text (here: whether it has held an
    odd number of "a"s, and which of three bytes came last) has its pieces walked again from where
    the one before ended."""
    nextmove = [0] * (6 * 256)
    for state in range(6):
        odd, last = divmod(state, 3)
        for b in range(256):
            nextmove[state * 256 + b] = ((odd ^ (b == 97)) * 3) + (b % 3)
    rowbase, output = [s * 256 for s in range(6)], [0, 1, -1, 3, 4, 5]
    rng = random.Random(47)
    for n in (0, 1, 255, 256, 257, 1000, 4099):
        for _ in range(20):
            data = bytes(rng.choice(b"abcd") for _ in range(n))
            features, counts = native.compiled.dfa_visits(array("I", nextmove), array("q", rowbase), array("q", output),
                                                          6, data)
            assert list(zip(array("q", features), array("q", counts))) == _walk(nextmove, rowbase, output, data)


def test_language_detection_is_the_same_with_and_without_the_compiled_helpers(monkeypatch):
    lines_per_doc = [[t] for t in TEXTS if t] + [TEXTS[2:5], TEXTS[5:]]
    compiled = [lang.detect_language(lines) for lines in lines_per_doc]
    monkeypatch.setattr(native, "AVAILABLE", False)
    python = [lang.detect_language(lines) for lines in lines_per_doc]
    assert compiled == python
    assert python[1:6] == ["en", "de", "ru", "ja", "ar"]


def test_languages_are_scored_as_py3langid_scores_them():
    """The fixed order of the sums changes py3langid's answer only where two languages tie to
    the last bits: on these texts (and 11,000 samples of the labelled pages in 9 languages) never."""
    from py3langid import langid

    texts = [t for t in TEXTS if t] + [" ".join(TEXTS), "x" * 40, "12345 67890"]
    assert [lang._identifier().classify(t) for t in texts] == [langid._get_identifier().classify(t)[0] for t in texts]


def _half_table(rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    """Half-precision weights like py3langid's: mostly negative log probabilities, with zeros,
    subnormals and both signs among them."""
    table = rng.normal(-8, 4, (rows, cols)).astype(np.float16)
    specials = np.array([0.0, -0.0, 6e-8, -6e-8, 3e-5, 2000, -2000], dtype=np.float16)
    table.flat[rng.integers(0, table.size, table.size // 10)] = rng.choice(specials, table.size // 10)
    return table


@needs_native
@pytest.mark.parametrize("cols", [142, 9, 8, 7, 2])  # eight at a time, then the rest one by one
def test_naive_bayes_sums_are_numpys_to_the_bit(cols):
    rng = np.random.default_rng(cols)
    table = _half_table(3000, cols, rng)
    for n in (0, 1, 2, 17, 650, 3000):
        features = rng.choice(3000, n, replace=False).astype(np.int64)
        weights = np.log1p(rng.integers(1, 60, n).astype(np.float32))
        out = np.full(cols, np.nan, dtype=np.float32)
        native.compiled.nb_scores(features, weights, table, out)
        twin = np.add.reduce(weights[:, None] * table[features].astype(np.float32), axis=0)
        assert out.tobytes() == twin.tobytes()


@needs_native
@pytest.mark.parametrize("cols", [8, 1])
def test_every_half_precision_number_converts_exactly(cols):
    halves = np.arange(1 << 16, dtype=np.uint16).view(np.float16)
    halves = halves[~np.isnan(halves)]
    table = np.ascontiguousarray(halves[: halves.size - halves.size % cols].reshape(-1, cols))
    out = np.empty(cols, dtype=np.float32)
    one = np.ones(1, dtype=np.float32)
    for row in range(table.shape[0]):
        native.compiled.nb_scores(np.array([row], dtype=np.int64), one, table, out)
        assert out.tobytes() == (np.zeros(cols, np.float32) + table[row].astype(np.float32)).tobytes()  # -0 -> 0


@needs_native
def test_naive_bayes_sums_refuse_what_they_cannot_read():
    table = np.zeros((4, 3), dtype=np.float16)
    out = np.empty(3, dtype=np.float32)
    with pytest.raises(ValueError, match="not a row"):
        native.compiled.nb_scores(np.array([4], dtype=np.int64), np.ones(1, np.float32), table, out)
    with pytest.raises(TypeError, match="table has format 'f'"):
        native.compiled.nb_scores(np.array([0], dtype=np.int64), np.ones(1, np.float32), table.astype(np.float32), out)
    with pytest.raises(ValueError, match="1 features, 2 weights"):
        native.compiled.nb_scores(np.array([0], dtype=np.int64), np.ones(2, np.float32), table, out)


@needs_native
def test_dfa_walk_refuses_tables_it_cannot_read():
    nm, rowbase, out = _tables()
    with pytest.raises(TypeError, match="rowbase: a buffer of integers"):
        native.compiled.dfa_visits(nm, array("d", [0.0]), array("q", out), 10, b"abc")
    with pytest.raises(ValueError, match="outside"):  # a row offset past the transition table
        native.compiled.dfa_visits(array("I", [0] * 256), array("q", [10**6]), array("q", [0]), 1, b"a")


def test_the_install_builds_the_compiled_helpers_where_a_c_compiler_exists():
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(cc) is None:
        pytest.skip(f"no C compiler ({cc}): the pure-Python path is the one in use")
    import os

    if os.environ.get("CLEANER_PURE_PYTHON") == "1":
        pytest.skip("CLEANER_PURE_PYTHON=1 turns the compiled helpers off")
    assert native.AVAILABLE, "a C compiler is here but cleaner._native was not built: `pip install -e .` again"
    assert native.dom is not None, "a C compiler is here but cleaner._dom was not built: `pip install -e .` again"
    from cleaner.lines import tree

    assert tree.compiled() is native.dom, "cleaner._dom was built but reads lxml's sample page otherwise"


# Characters where the two paths could part: every class of the table, cased letters whose lower
# case is longer (İ) or context-dependent (Σ), white space that str.split() breaks on but is no
# line break (\u2028, \x1c, \x85), letters above the Basic Multilingual Plane, and line ends.
_ALPHABET = list("abcXYZ  \t..,!?:;\"'”’»)]|/»›·•@©>→、，：。！？（）İıßẞΣσς\u2028\x1c\x85\u00a0") + [
    chr(c) for c in (0x4E00, 0x3042, 0xAC00, 0x0627, 0x0410, 0x0430, 0x1F600, 0x10400, 0x2000, 0x3000,
                     0x303F, 0x24F, 0xDE, 0xDF, 0xD7)]


def _line_stats_both_ways(lines: list[str], lang_code: str):
    import numpy as np

    from cleaner import features

    doc = "\n".join(lines)
    lengths = np.array([len(t) for t in lines])
    starts = np.zeros(len(lines), dtype=np.int64)
    starts[1:] = np.cumsum(lengths[:-1] + 1)
    python = features._line_stats_numpy(doc, starts, starts + lengths, lang_code)
    out = np.zeros((len(lines), len(features.LINE_STATS)))
    native.compiled.line_stats(doc, features.cue_book(lang_code), tuple(features.BITS.values()),
                               features._CLASSES_BYTES, features._PATTERN_PARTS, out)
    return python, {name: out[:, k] for k, name in enumerate(features.LINE_STATS)}


@needs_native
def test_line_stats_count_what_the_numpy_path_counts():
    rng = random.Random(7)
    docs = [[t for t in TEXTS if t], ["Read more »", "By Jane Doe | March 3, 2019", "HomeNewsSports"]]
    docs += [["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 40))) for _ in range(rng.randint(1, 8))]
             for _ in range(400)]
    for lines in docs:
        for lang_code in ("en", "de", "zh"):
            python, compiled = _line_stats_both_ways(lines, lang_code)
            for name, values in python.items():
                assert compiled[name].tolist() == values.tolist(), (name, lines, lang_code)


# Pieces of the patterns' matches and near misses: openers in both cases and half-typed, dates in
# digits and in CJK, counters, cut teasers ("... more >"), sentence ends, and white space that
# the patterns' \s reads but that ends no line (\x1c, \x85, \u2028, no-break space).
_PATTERN_PIECES = ["By ", "by", "BY  ", "Von ", "Autora: ", "autor:", "Autore", "Written by ", "posted by\t", "Di", "Door ",
                   "12", "2019", "12345", "/", "-", ".", ":", "3", "年", "년", "月", "월", "日", "일", " ", "\t", "\x1c", "\x85",
                   "\u2028", "\u00a0", "(", ")", "1,234", "k", "M", "...", "…", "more", "MoRe", " >", "»", "›", "!", "?",
                   "。", "x", "Jane", "\x00"]


@needs_native
def test_pattern_counts_are_what_re_finds():
    rng = random.Random(13)
    docs = [["By Jane", "BY", "  Von x", "12/3 and 2019年 3 月 and 4月5日", "(1.2k)", "Read on... MORE >", "…", "a. b! c"]]
    docs += [["".join(rng.choice(_PATTERN_PIECES) for _ in range(rng.randint(1, 12))) for _ in range(rng.randint(1, 6))]
             for _ in range(3000)]
    for lines in docs:
        python, compiled = _line_stats_both_ways(lines, "en")
        for name in ("byline", "numdate", "counter", "ellipsis", "sentence"):
            assert compiled[name].tolist() == python[name].tolist(), (name, lines)


@needs_native
def test_line_stats_refuses_an_output_of_the_wrong_size_or_type():
    import numpy as np

    from cleaner import features

    args = ("a\nb", native.compiled.word_book({}), tuple(features.BITS.values()), features._CLASSES_BYTES)
    with pytest.raises(ValueError, match="2 lines need"):
        native.compiled.line_stats(*args, features._PATTERN_PARTS, np.zeros((1, len(features.LINE_STATS))))
    with pytest.raises(TypeError, match="doubles"):  # the right size in bytes, the wrong numbers
        native.compiled.line_stats(*args, features._PATTERN_PARTS,
                                   np.zeros((4, len(features.LINE_STATS)), dtype=np.float32))
    with pytest.raises(TypeError, match="strings"):
        native.compiled.line_stats(*args, ((1,), *features._PATTERN_PARTS[1:]), np.zeros((2, len(features.LINE_STATS))))
    with pytest.raises(TypeError, match="word_book"):  # the codebook itself, not its table
        native.compiled.line_stats(args[0], {}, *args[2:], features._PATTERN_PARTS,
                                   np.zeros((2, len(features.LINE_STATS))))
    with pytest.raises(TypeError, match="strings to integers"):
        native.compiled.word_book({"a": "b"})


@needs_native
def test_tokens_are_found_in_the_cue_lists_as_the_dict_finds_them():
    """The word book's table on the codebook's own words, their near misses and other scripts."""
    from cleaner import features

    rng = random.Random(11)
    for lang_code in ("en", "de", "ru", "ja"):
        words = sorted(features._codebook(lang_code))
        variants = [w for w in rng.sample(words, min(300, len(words)))
                    for w in (w, w + "s", w[:-1], w.upper(), "x" + w, w + "é")]
        docs = [[" ".join(rng.choice(variants) for _ in range(rng.randint(1, 12))) for _ in range(rng.randint(1, 6))]
                for _ in range(300)]
        for lines in docs:
            python, compiled = _line_stats_both_ways(lines, lang_code)
            for name in ("tokens", *features.BITS):
                assert compiled[name].tolist() == python[name].tolist(), (name, lines, lang_code)


@needs_native
def test_tokens_longer_than_those_held_as_they_are_read_are_still_found():
    """line_stats lower-cases tokens as it reads them, holding their first 64 characters; a book with a
    longer word has the tokens counted again from str.lower's text, as has a text with a letter only
    str.lower lowers right (U+0130, U+03A3)."""
    import numpy as np

    from cleaner import features

    book = native.compiled.word_book({"a" * 70: 1, "b": 2, "i\u0307x": 2, "ας": 1})
    for doc, want in (("A" * 70 + " B\nx " + "a" * 71, [[2, 1, 1], [2, 0, 0]]),
                      ("\u0130X b\nΑΣ", [[2, 0, 2], [1, 1, 0]])):
        width = len(features.LINE_STATS) - len(features.BITS) + 2
        out = np.zeros((2, width))
        native.compiled.line_stats(doc, book, (1, 2), features._CLASSES_BYTES, features._PATTERN_PARTS, out)
        tokens = features.LINE_STATS.index("tokens")
        assert out[:, tokens:tokens + 3].tolist() == want, doc


@needs_native
def test_features_are_the_same_with_and_without_the_compiled_counts(monkeypatch):
    from cleaner import features
    from cleaner.lines.text import to_lines

    text = "\n\n".join(TEXTS[1:] + ["Read more »", "Photo: Getty Images", "By Jane Doe | 3 March 2019"])
    lines = to_lines(text)
    compiled = features.extract(lines, "en")
    monkeypatch.setattr(native, "AVAILABLE", False)
    monkeypatch.setattr(features, "_BASE_COMPILED", False)
    assert (features.extract(lines, "en") == compiled).all()


@needs_native
def test_each_lines_own_features_are_the_numpy_paths_to_the_last_bit(monkeypatch):
    import numpy as np

    from cleaner import features
    from cleaner.lines.text import to_lines
    from tests.conftest import SEEDS

    assert features._BASE_COMPILED, "the compiled helper writes its columns in another order than BASE_NAMES"
    docs = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    docs.append("# Heading\n\n* [Home](https://example.com) | News\n\nBy Jane Doe | 3 March 2019\n\nRead more »\n\n"
                + "\n\n".join(TEXTS[1:]) + "\n\nHome\nHome\nClick here... MORE >")
    for text in docs:
        lines = [ln for ln in to_lines(text) if not ln.duplicate]
        for lang_code in ("en", "de", "zh", "th"):
            compiled = features.base_features(lines, lang_code)
            with monkeypatch.context() as m:
                m.setattr(features, "_BASE_COMPILED", False)
                python = features.base_features(lines, lang_code)
            assert np.array_equal(compiled, python), [features.BASE_NAMES[j] for j in np.argwhere(compiled != python)[:, 1]]


@needs_native
def test_base_columns_refuse_what_they_cannot_read():
    import numpy as np

    from cleaner import features
    from cleaner.lines.text import to_lines

    lines = to_lines("One line.\n\nTwo lines.")
    n = len(lines)
    stats, col = np.zeros((n, len(features.LINE_STATS))), np.ones(n)
    out = np.empty((n, len(features.BASE_NAMES)))
    def run(lines, *arrays):
        native.compiled.base_columns(stats, features._CUE_COLUMNS, lines, *arrays[:5], features._BASE_LIMITS,
                                     *arrays[5:], Line, LINE_SLOTS)

    with pytest.raises(ValueError, match="lines"):
        run(lines, col, col, col, col, col, out[:1].copy())
    with pytest.raises(TypeError, match="doubles"):
        run(lines, col.astype(np.float32), col, col, col, col, out)
    with pytest.raises(AttributeError):
        run(["not a line"] * n, col, col, col, col, col, out)
    unset = Line("x", 1, 1)
    del unset.heading  # (a Line's slot left empty is read by name, which raises)
    with pytest.raises(AttributeError, match="heading"):
        run([unset] * n, col, col, col, col, col, out)


@needs_native
def test_base_columns_read_lines_by_slot_or_by_name_alike():
    """A Line's flags are read from its slots; any other object with the same attributes (a
    subclass, a stand-in) by name: the same features either way."""
    from types import SimpleNamespace

    import numpy as np

    from cleaner import features
    from cleaner.lines.text import to_lines

    lines = to_lines("# A heading\n\n* an item with [a link](http://x.org)\n\nA [paragraph](http://y.org) of text.\n"
                     "Back [home](http://z.org)", lang="en")
    assert [ln.heading for ln in lines][:1] == [True] and any(ln.list_item for ln in lines)
    assert sum(bool(ln.links) for ln in lines) == 3 and any(ln.anchor_chars for ln in lines)
    stand_ins = [SimpleNamespace(**{name: getattr(ln, name) for name in Line.__slots__}) for ln in lines]
    assert np.array_equal(features.base_features(lines, "en"), features.base_features(stand_ins, "en"))


def _random_base(rng, n: int):
    """Line features of ``n`` lines as base_features could give them: word and character counts
    around the prose thresholds, cue flags on and off, runs of prose and of short lines."""
    import numpy as np

    from cleaner import features

    base = np.zeros((n, len(features.BASE_NAMES)))
    col = features._COL
    words = np.array([rng.choice((1, 2, 3, 4, 7, 8, 9, 10, 15, 16, 20, 40)) for _ in range(n)], dtype=float)
    base[:, col["log_words"]] = np.log1p(words)
    base[:, col["log_chars"]] = np.log1p(words * np.array([rng.uniform(3, 9) for _ in range(n)]))
    for name in ("end_terminal", "pat_legal", "comment_head", "pat_said", "related_head", "short", "has_link"):
        base[:, col[name]] = [float(rng.random() < 0.3) for _ in range(n)]
    for name in ("stop_ratio", "title_ratio", "link_share", "pat_date", "pat_byline", "rel_pos"):
        base[:, col[name]] = [rng.choice((0.0, 0.25, 0.6, rng.random())) for _ in range(n)]
    return base


@needs_native
def test_context_features_are_the_numpy_paths_to_the_last_bit():
    import numpy as np

    from cleaner import features

    rng = random.Random(11)
    cases = [_random_base(rng, n) for n in (1, 2, 3, 4, 5, 8, 13, 40, 130, 300) for _ in range(20)]
    cases.append(np.zeros((6, len(features.BASE_NAMES))))  # no prose at all: no region, no core
    for base in cases:
        expected = features._context(base)
        got = features._context_compiled(base)
        assert got.shape == expected.shape
        assert np.array_equal(got, expected), [features.FEATURE_NAMES[j] for j in np.argwhere(got != expected)[:, 1]]


@needs_native
def test_context_features_of_real_documents_are_the_numpy_paths():
    import numpy as np

    from cleaner import features
    from cleaner.lines.text import to_lines
    from tests.conftest import SEEDS

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    assert texts
    for text in texts:
        lines = [ln for ln in to_lines(text) if not ln.duplicate]
        base = features.base_features(lines, "en")
        assert np.array_equal(features._context_compiled(base), features._context(base))


@needs_native
def test_context_features_refuse_arrays_they_cannot_read():
    import numpy as np

    from cleaner import features

    base = np.zeros((3, len(features.BASE_NAMES)))
    words = chars = np.ones(3)
    out = np.empty((3, len(features.FEATURE_NAMES)))
    run = native.compiled.context_features
    with pytest.raises(ValueError, match="out must hold"):
        run(base, words, chars, features._CONTEXT_COLUMNS, features._CONTEXT_SIZES, out[:, :-1].copy())
    with pytest.raises(TypeError, match="doubles"):
        run(base.astype(np.float32), words, chars, features._CONTEXT_COLUMNS, features._CONTEXT_SIZES, out)
    with pytest.raises(ValueError, match="same lines"):
        run(base, np.ones(2), chars, features._CONTEXT_COLUMNS, features._CONTEXT_SIZES, out)
    with pytest.raises(ValueError, match="out of range"):
        run(base, words, chars, ((999,), (), (), (0, 0, 0, 0, 0, 0)), features._CONTEXT_SIZES, out)


@needs_native
def test_score_context_is_the_numpy_paths_to_the_last_bit(monkeypatch):
    import numpy as np

    from cleaner import features

    rng = np.random.default_rng(17)
    cases = [np.full(1, 0.5), np.full(7, 0.5), np.zeros(4), np.array([0.2, 0.9, 0.9, 0.1, 0.5, 0.49])]
    for k in range(600):
        n = int(rng.integers(1, 200))
        cases.append(rng.random(n) if k % 2 else rng.choice([0.1, 0.5, 0.9], n))
    for p in cases:
        compiled = features.score_context(p)
        with monkeypatch.context() as m:
            m.setattr(native, "AVAILABLE", False)
            python = features.score_context(p)
        assert np.array_equal(compiled, python), [features.SCORE_CONTEXT_NAMES[j] for j in np.argwhere(compiled != python)[:, 1]]


@needs_native
def test_repeated_lines_are_the_ones_the_python_rule_finds(monkeypatch):
    from cleaner.rules import drop_repeated_text

    rng = random.Random(23)
    vocab = ["the", "council", "The", "COUNCIL", "said", "İstanbul", "ſtraße", "2027", "x_y", "é", "Ⅻ", "²", "日本",
             "won’t", "a", "b"]
    repeats = 0
    for _ in range(1500):
        paragraphs = [" ".join(rng.choice(vocab) for _ in range(rng.randint(0, 300))) for _ in range(rng.randint(1, 6))]
        texts = [rng.choice(paragraphs) if rng.random() < 0.5 else " ".join(rng.choice(vocab) for _ in range(rng.randint(0, 40)))
                 for _ in range(rng.randint(1, 12))]
        lines = [Line(t, k + 1, k + 1) for k, t in enumerate(texts)]
        body = [rng.random() < 0.8 for _ in texts]
        compiled_body, python_body = list(body), list(body)
        compiled = drop_repeated_text(lines, compiled_body)
        with monkeypatch.context() as m:
            m.setattr(native, "AVAILABLE", False)
            python = drop_repeated_text(lines, python_body)
        assert (compiled, compiled_body) == (python, python_body)
        repeats += len(python)
    assert repeats > 100, "few lines were repeats: the test says little"


@needs_native
def test_the_rules_first_pass_cues_are_the_python_twins(monkeypatch):
    """rule_cues marks the body lines as rules._rule_cues does; where it leaves a line's
    call-to-action-only test to str.lower (CUE_CTA_ONLY_UNSURE), the test decides as the twin did.
    And apply_rules turns the same lines to chrome for the same reasons either way."""
    from cleaner import rules
    from cleaner.features import cue_book
    from cleaner.lang import stopwords

    rng = random.Random(29)
    pieces = ["click here", "Click  Here", "CLICK HERE.", "tap here", "sign up for", "Sign up now", "subscribe to",
              "subscribe", "read", "More", "share", "the", "and", "of", "Home", "news", "council", "said", "by", "By",
              "von", "Par", "por", "İ", "İnfo", "ΣΟΦΊΑ", "Kelvin", "\u212aick", "\u017fubscribe", "h\u0131re", "é",
              "Ⅻ", "²", "2027", "x_y", "·", "|", "•", ",", ".", "\t", "  ", "日本", "a" * 70, "Read more ›", "»",
              "Über", "ÜBER", "über", "Könnte", "Им", "МОГ"]
    unsure = cues = 0
    for k in range(3000):
        lang = ("en", "de", "ru")[k % 3]
        stop = stopwords(lang)
        texts = [" ".join(rng.choice(pieces) for _ in range(rng.choice((1, 2, 3, 5, 7, 9, 31, 40)))) for _ in range(12)]
        texts += rng.sample(texts, 3)
        kept = sorted(rng.sample(range(len(texts)), rng.randint(0, len(texts))))
        repeated = set(rng.sample(texts, 3))
        first_prose = rng.randint(0, len(texts))
        compiled = native.compiled.rule_cues(texts, kept, repeated, cue_book(lang), rules._CUE_BITS, rules._CUE_LIMITS,
                                             first_prose, rules._CALL_TO_ACTION_WORDS, rules._FOLDING_ONTO_ASCII,
                                             rules._BYLINE_OPENINGS)
        decided = []
        for i, cue in compiled:
            if cue & rules.CUE_CTA_ONLY_UNSURE:
                unsure += 1
                cue = rules.CUE_CTA_ONLY if rules._cta_only(texts[i], stop) else cue & ~rules.CUE_CTA_ONLY_UNSURE
            if cue:
                decided.append((i, cue))
        assert decided == rules._rule_cues(texts, kept, repeated, stop, first_prose), texts
        cues += len(decided)
        lines = [Line(t, k + 1, k + 1) for k, t in enumerate(texts)]
        body = [i in kept for i in range(len(texts))]
        compiled_body, python_body = list(body), list(body)
        compiled_reasons = rules.apply_rules(lines, compiled_body, lang)
        with monkeypatch.context() as m:
            m.setattr(native, "AVAILABLE", False)
            assert rules.apply_rules(lines, python_body, lang) == compiled_reasons
        assert compiled_body == python_body
    assert unsure > 100 and cues > 5000, "few lines were cued: the test says little"


@needs_native
def test_recurring_texts_are_the_ones_a_counter_finds(monkeypatch):
    import numpy as np

    from cleaner import features, rules

    rng = random.Random(31)
    pieces = ["Share", "Home", "", " ", "é", "😀", "\ud800", "News", "a" * 40]
    for _ in range(2000):
        texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 3))) for _ in range(rng.randint(0, 30))]
        texts = [t if rng.random() < 0.5 else "".join(list(t)) for t in texts]  # (equal texts, other objects)
        compiled = features._recurring(texts)
        with monkeypatch.context() as m:
            m.setattr(native, "AVAILABLE", False)
            assert np.array_equal(features._recurring(texts), compiled), texts
        body = [rng.random() < 0.5 for _ in texts]
        compiled_outside = rules._recurring_outside(texts, body)
        with monkeypatch.context() as m:
            m.setattr(native, "AVAILABLE", False)
            assert rules._recurring_outside(texts, body) == compiled_outside, (texts, body)
    with pytest.raises(TypeError, match="strings"):
        native.compiled.recurring(["a", 1], np.zeros(2))
    with pytest.raises(ValueError, match="2 doubles"):
        native.compiled.recurring(["a", "b"], np.zeros(3))


@needs_native
def test_a_padded_block_is_found_as_the_substring_and_length_tests_find_it():
    from cleaner.lines import columns
    from cleaner.lines.text import unify_newlines

    rng = random.Random(37)
    pieces = ["x" * 100, "x" * 99, "y" * 101, " ", "  ", "   ", "\n", "\r\n", "\r", "\n\n", "é", "😀", "ab"]
    found = 0
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        lengths = list(map(len, unify_newlines(text).split("\n")))
        for gutter, lines, chars in ((2, 3, 100), (1, 2, 100), (3, 3, 99), (0, 1, 0), (2, 2, 5)):
            run, block = 1, False  # (columns._has_block, for these limits)
            for a, b in zip(lengths, lengths[1:]):
                run = run + 1 if a == b and a >= chars else 1
                block = block or run >= lines
            want = " " * gutter in text and block
            assert native.compiled.padded_block(text, lines, chars, gutter) == want, (text, gutter, lines, chars)
            found += want
            if (gutter, lines, chars) == (columns.GUTTER_MIN_SPACES, columns.BLOCK_MIN_LINES, columns.BLOCK_MIN_CHARS):
                assert block == columns._has_block(lengths)
    assert found > 500


@needs_native
def test_colon_lines_are_the_ones_the_python_tests_find(monkeypatch):
    from types import SimpleNamespace

    from cleaner import rules

    rng = random.Random(41)
    pieces = ["a", ":", " ", "\t", "\u3000", "\u00a0", "x" * 60, "é", "😀", "says", "\x85"]
    for _ in range(3000):
        texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(0, 12))]
        lines = [Line(t, 1, 1) if rng.random() < 0.8 else SimpleNamespace(text=t) for t in texts]
        compiled = rules._colon_lines(lines)
        with monkeypatch.context() as m:
            m.setattr(native, "AVAILABLE", False)
            assert rules._colon_lines(lines) == compiled, texts
    most = rules.COMMENT_AUTHOR_MAX_CHARS
    edge = [Line("x" * (most - 1) + ":", 1, 1), Line("x" * most + ":", 1, 1), Line("x" * (most - 2) + ": ", 1, 1)]
    assert rules._colon_lines(edge) == [0, 2]


@needs_native
def test_texts_of_lines_are_their_texts(monkeypatch):
    from types import SimpleNamespace

    from cleaner.types import texts_of

    lines = [Line("a", 1, 1), SimpleNamespace(text="b"), Line("", 2, 2), Line("é😀", 3, 3)]
    assert texts_of(lines) == texts_of(tuple(lines)) == ["a", "b", "", "é😀"]
    monkeypatch.setattr(native, "AVAILABLE", False)
    assert texts_of(lines) == ["a", "b", "", "é😀"]
    monkeypatch.setattr(native, "AVAILABLE", True)
    unset = Line("x", 1, 1)
    del unset.text
    with pytest.raises(AttributeError):
        texts_of([unset])
    with pytest.raises(TypeError, match="string"):
        texts_of([SimpleNamespace(text=3)])


@needs_native
def test_site_lines_are_the_ones_the_python_tests_find(monkeypatch):
    from types import SimpleNamespace

    from cleaner import metadata

    rng = random.Random(43)
    pieces = ["f", "F", "r", "R", "o", "c", "C", "©", "p", "m", "l", "a", "t", "e", "x", "\u0130", "\u03a3", "\u212a",
              "\u0280", " ", "From ", "Copyright", "Popular", "é"]
    found = 0
    for _ in range(4000):
        texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 3))) for _ in range(rng.randint(0, 10))]
        lines = [Line(t, 1, 1) if rng.random() < 0.8 else SimpleNamespace(text=t) for t in texts]
        body = [rng.random() < 0.5 for _ in texts]
        compiled = metadata._site_lines(lines, body)
        with monkeypatch.context() as m:
            m.setattr(native, "AVAILABLE", False)
            assert metadata._site_lines(lines, body) == compiled, (texts, body)
        found += len(compiled)
    assert found > 1000


@needs_native
def test_the_model_scores_the_same_with_the_compiled_standardisation(monkeypatch):
    import numpy as np

    from cleaner.model import Model

    model = Model.load()
    rng = np.random.default_rng(29)
    for m in (model, model.for_html()):
        for n in (1, 2, 17, 250):
            x = rng.normal(size=(n, len(m.features))) * rng.choice([0.01, 1.0, 100.0], size=len(m.features))
            compiled = m.score(x)
            with monkeypatch.context() as patch:
                patch.setattr(native, "AVAILABLE", False)
                python = m.score(x)
            assert np.array_equal(compiled, python)
    stage = model.stages[1]
    x = np.zeros((3, len(model.features)))
    with pytest.raises(ValueError, match="columns"):  # the context's columns are missing
        native.compiled.standardize(x, None, stage.mean, stage.scale, np.empty((3, stage.mean.size), np.float32))
    with pytest.raises(TypeError, match="floats"):
        native.compiled.standardize(x, None, model.stages[0].mean, model.stages[0].scale, np.empty((3, len(model.features))))


@needs_native
def test_smoothing_is_the_python_loops_to_the_last_bit(monkeypatch):
    import numpy as np

    from cleaner.model import Model
    from cleaner.sequence import smooth

    model = Model.load()
    rng = np.random.default_rng(31)
    for k in range(400):
        n = int(rng.integers(1, 300))
        p = rng.random(n) if k % 3 else rng.choice([0.0, 1e-9, 0.5, 1.0], n)
        strength = (1.0, 0.5, 2.0)[k % 3]
        compiled = smooth(p, model.transitions, model.prior_body, strength)
        with monkeypatch.context() as patch:
            patch.setattr(native, "AVAILABLE", False)
            python = smooth(p, model.transitions, model.prior_body, strength)
        assert np.array_equal(compiled, python)


# Pieces of physical lines for the line grouping: list markers and near misses, link targets in any
# case (and the letters re.I folds onto ASCII), markup, long words, other scripts' digits and spaces.
_LINE_PIECES = ["", " ", "   ", "\t", "\u3000", "word", "Word", "élan", "x" * 31, "y" * 30, "- ", "-", "* ", "+ ",
                "• ", "\u25e6 ", "1. ", "12) ", "123. ", "1234. ", "\u0663. ", "1.", "<http://a.b/c>", "<HTTP:x>",
                "</p/q>", "<\u0130ttp:x>", "<\u212a:x>", "<a b>", "<:x>", "<>", ">", "<", "[1]", "_", "#", "\\",
                ",", ".", ";", ")", ":", "\x00", "lower", "Upper", "  12. item", "end.", "...", "é" * 3]


def _random_lines(rng: random.Random) -> list[str]:
    lines = []
    for _ in range(rng.randint(0, 14)):
        line = "".join(rng.choice(_LINE_PIECES) for _ in range(rng.randint(0, 8)))
        lines.append(line.rstrip() if rng.random() < 0.9 else line)  # (to_lines strips them; not every caller)
    return lines


@needs_native
def test_line_grouping_is_the_python_grouping(monkeypatch):
    from cleaner.lines import text, unwrap

    rng = random.Random(17)
    pending = 0
    for _ in range(6000):
        phys = _random_lines(rng)
        width = rng.choice([None, 8, 20, 40, 79])
        indented = rng.random() < 0.3
        compiled = text._plain_lines(phys, width, indented)
        with monkeypatch.context() as m:
            m.setattr(native, "AVAILABLE", False)
            python = text._plain_lines(phys, width, indented)
        assert compiled == python, (phys, width, indented)
        assert all(type(a) is type(b) for a, b in zip(compiled[0], python[0]))
        assert all(type(python[0][at]) is tuple for at in python[1])
        assert sum(type(item) is tuple for item in python[0]) == len(python[1])
        pending += len(python[1])
        assert native.compiled.wrap_inner(phys) == unwrap._inner_lengths(phys), phys
    assert pending > 1000, "few lines held markup: the test says little"
    items, _ = text._plain_lines(["a", "", "b", "", "   b"], None, True)
    assert items == [Line("a", 1, 1, heading=True), Line("b", 3, 3, heading=True, blank_before=True),
                     Line("b", 5, 5, blank_before=True, duplicate=True)]
    items, _ = text._plain_lines(["x", "", "x", "", "[y](z)", "", "x"], None, False)
    assert [type(i) for i in items] == [Line, Line, tuple, Line] and items[1].duplicate and not items[3].duplicate
    with pytest.raises(TypeError, match="given twice"):
        native.compiled.plain_lines(["a"], -1, False, Line, LINE_SLOTS[:1] * 11)
    with pytest.raises(TypeError, match="not an object slot of the line type"):
        native.compiled.plain_lines(["a"], -1, False, tuple, LINE_SLOTS)


@needs_native
def test_acronyms_are_found_spelled_out_as_the_python_loop_finds_them():
    from cleaner.metadata import _spelled_acronym

    rng = random.Random(31)
    # words whose initials upper-case to two letters ("ß", "ŉ", "ﬀ"), fold onto ASCII ("ſ", "ı"), or are no letter
    vocab = ["public", "Sector", "exec", "tv", "ß", "ŉx", "1x", "ſa", "ıb", "Élan", "news", "B", "c", "ﬀ", "é"]
    spaces = [" ", " ", "  ", "\u3000", "\x1c", "\t"]
    found = 0
    for _ in range(20000):
        texts = ["".join(rng.choice(vocab) + rng.choice(spaces) for _ in range(rng.randint(0, 9))).lstrip(rng.choice(["", " "]))
                 for _ in range(rng.randint(0, 6))]
        body = [rng.random() < 0.3 for _ in texts]
        acronyms = rng.sample(["PSE", "PS", "SS", "NB", "ET", "PSET", "EN", "NBC", "SA", "IB", "FF", "SSE"], rng.randint(1, 4))
        shortest, longest = min(map(len, acronyms)), max(map(len, acronyms)) + 2
        python = _spelled_acronym(texts, body, acronyms, shortest, longest)
        assert native.compiled.spelled_acronym(texts, body, acronyms, shortest, longest) == python, (texts, body, acronyms)
        found += python is not None
    assert found > 200, "few lines spelled an acronym: the test says little"
    with pytest.raises(ValueError, match="one body flag per line"):
        native.compiled.spelled_acronym(["a b"], [], ["AB"], 2, 4)


@needs_native
def test_recurring_acronyms_are_the_ones_the_pattern_finds_in_the_counters_order():
    from collections import Counter

    from cleaner.metadata import _ACRONYM

    rng = random.Random(37)
    parts = ["A", "B", "Z", "AB", "PSE ", " ", "a", "_", "1", "é", "É", "-", "ABCDE", "ABCDEF", "NHS2", "(UK)"]
    kept = 0
    for _ in range(20000):
        texts = ["".join(rng.choice(parts) for _ in range(rng.randint(0, 12))) for _ in range(rng.randint(0, 5))]
        python = [a for a, c in Counter(_ACRONYM.findall("\n".join(texts))).most_common() if c >= 2]
        assert native.compiled.recurring_acronyms(texts) == python, texts
        kept += len(python)
    assert kept > 2000, "few acronyms recurred: the test says little"
    many = [f"{a}{b}{c} {a}{b}{c}" for a in "ABCDEFGHIJ" for b in "ABCDEFGHIJ" for c in "KLMNOPQRST"]  # (the table grows)
    assert native.compiled.recurring_acronyms(many) == [m.split()[0] for m in many]


@needs_native
def test_lower_is_str_lower_for_every_code_point_and_the_two_that_look_around():
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    assert native.compiled.lower(every) == every.lower()
    without_the_two = every.replace("\u0130", "").replace("\u03a3", "")  # (the C path, not str.lower's)
    assert native.compiled.lower(without_the_two) == without_the_two.lower()
    for text in [*TEXTS, "ΟΔΟΣ ΣΑΣ", "İstanbul", "ÀÉÎ Ÿ", "\U00010400x", "ĀB\nC"]:
        low = native.compiled.lower(text)
        assert low == text.lower() and type(low) is str, text
    with pytest.raises(TypeError):
        native.compiled.lower(b"bytes")


@needs_native
def test_indents_and_long_lines_are_their_twins():
    from cleaner.lines import text as text_module

    rng = random.Random(5)
    pieces = ["   a", "    b", "  c", "", "   ", "\u3000", "   \u3000x", "word", "x" * 45, "\t  y", "   é" * 12]
    for _ in range(300):
        lines = [rng.choice(pieces) for _ in range(rng.randrange(0, 12))]
        assert native.compiled.indents(lines) == text_module._indents(lines), lines
        joined = "\n".join(lines)
        for scan in (0, 7, 40, 20000):
            for shortest in (0, 1, 40):
                got = native.compiled.long_lines(joined, scan, shortest)
                assert got == [ln for ln in joined[:scan].split("\n") if len(ln) >= shortest], (joined, scan)


@needs_native
def test_words_are_counted_as_str_split_cuts_them():
    from cleaner.lang import _count_words

    rng = random.Random(11)
    alphabet = ["a", "b", " ", "\t", "\n", "\u3000", "\u00a0", "\x1c", "é", "😀", "\u2028", "\x85", "\u200b"]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 15)))
        for most in (-1, 0, 1, 2, 3, 8, 100):
            assert native.compiled.count_words(text, most) == _count_words(text, most) == len(text.split(None, most))
        assert native.compiled.count_words(text) == len(text.split())
    every = "x".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)  # each white space alone
    assert native.compiled.count_words(every) == len(every.split())
    with pytest.raises(TypeError):
        native.compiled.count_words(b"a b")


@needs_native
def test_words_are_split_as_the_python_twin_splits_them_for_every_code_point(monkeypatch):
    every = "".join(chr(c) for c in range(0x110000))
    texts = [every, " ".join(every), "x".join(every), "a’b l'homme co-op x_y 12ab ²3 café—déjà"]
    for letters_only in (False, True):
        compiled = [lang.split_words(text, letters_only) for text in texts]
        monkeypatch.setattr(native, "AVAILABLE", False)
        assert [lang.split_words(text, letters_only) for text in texts] == compiled
        monkeypatch.setattr(native, "AVAILABLE", True)
    with pytest.raises(ValueError):
        native.compiled.split_words("a b", b" ", False)


@needs_native
def test_line_keys_are_the_blake2b_digests_the_twin_makes(monkeypatch):
    from cleaner import site_memory

    rng = random.Random(21)
    pieces = ["a", "é", "日", "😀", "\ud800", "\udfff", " ", "\n", "x" * 50]
    texts = ["", "short", "x" * 127, "x" * 128, "x" * 129, "x" * 256, "x" * 257, "é" * 64, "é" * 65, *TEXTS]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randrange(0, 60))) for _ in range(3000)]
    compiled = site_memory.line_keys(texts)
    monkeypatch.setattr(native, "AVAILABLE", False)
    assert site_memory.line_keys(texts) == compiled
    assert site_memory.line_keys(iter(texts)) == compiled  # (any iterable of lines)
    assert native.compiled.line_keys(iter(texts), site_memory.MIN_CHARS) == compiled
    with pytest.raises(TypeError):
        native.compiled.line_keys([b"bytes"], 0)


@needs_native
def test_stop_words_are_counted_as_the_twin_counts_them(monkeypatch):
    rng = random.Random(5)
    vocab = sorted(lang.stopwords("en"))[:300] + sorted(lang.stopwords("fr"))[:100] + [
        "the", "The", "thé", "l’homme", "l'", "co-op", "x_y", "12", "déjà", "日本語", "the—", "—the", "’s", "THE"]
    gaps = [" ", "  ", ", ", ". ", "\n", "—", "\u2028", "'", "-", "\ud800", "\xa0", ""]
    texts = ["".join(rng.choice(vocab) + rng.choice(gaps) for _ in range(rng.randrange(0, 60))) for _ in range(3000)]
    for code in ("en", "fr", "de"):
        for word in ("the", "", "le"):
            compiled = [lang.stop_counts(lang.lowered(t), code, word) for t in texts]
            assert sum(stops for _, stops, _ in compiled) > 1000
            monkeypatch.setattr(native, "AVAILABLE", False)
            assert [lang.stop_counts(lang.lowered(t), code, word) for t in texts] == compiled
            monkeypatch.setattr(native, "AVAILABLE", True)


@needs_native
def test_the_commonest_lines_are_the_ones_the_sort_keeps_in_its_order(monkeypatch):
    from collections import Counter

    from cleaner import site_memory

    rng = random.Random(34)
    cases = [Counter(), Counter({5: 1}), {i: 1 for i in range(50)}, {i: -i for i in range(300)}]
    cases += [Counter({rng.getrandbits(64): rng.choice([1, 1, 1, 2, 3, rng.randrange(1, 2**40), -rng.randrange(9)])
                       for _ in range(rng.randrange(0, 6000))}) for _ in range(40)]
    cases.append({"x": 2**63 - 1, "y": -2**63, "z": 0, "w": 2**63 - 1})
    cases += [{"a": 1, "b": 1 + (1 << bit), "c": 1, "d": 1 + (1 << bit)} for bit in range(62)]  # (one bit apart)
    for counts in cases:
        for keep in (-1, 0, 1, len(counts) // 2, len(counts), len(counts) + 3):
            compiled = site_memory.commonest(counts, keep)
            with monkeypatch.context() as m:
                m.setattr(native, "AVAILABLE", False)
                twin = site_memory.commonest(counts, keep)
            assert list(compiled.items()) == list(twin.items())  # (the order too: it breaks later ties)
    for bad in ({1: 2**63}, {1: 1.0}, {1: "2"}):
        with pytest.raises(TypeError, match="integers of 64 bits"):
            native.compiled.commonest(bad, 1)


@needs_native
def test_a_page_is_learnt_unless_its_body_recurs_as_the_python_twin_decides(monkeypatch):
    from cleaner import site_memory

    def run(compiled: bool) -> list:
        rng = random.Random(35)
        got = []
        with monkeypatch.context() as m:
            m.setattr(native, "AVAILABLE", compiled)
            memory = site_memory.SiteMemory(min_pages=2, max_sites=3, max_lines=40, max_total=90)
            for _ in range(3000):
                keys = tuple(rng.choice([None, *range(60)]) for _ in range(rng.randrange(0, 25)))
                body = tuple(rng.random() < 0.3 for _ in range(len(keys) + rng.choice([-2, 0, 0, 0, 1])))
                site = rng.choice(["a", "b", "c", "d", "e", None, ""])
                got.append(memory.learn_unless_recurring(site, keys, body))
                got.append([(s, list(c.items())) for s, c in memory._sites.items()] + [memory._total])
        return got

    compiled = run(True)
    assert compiled == run(False)
    assert compiled[::2].count(True) > 100 and compiled[::2].count(False) > 100
    with pytest.raises(TypeError, match="integers of 64 bits"):
        native.compiled.count_page({1: "2"}, (1,), (True,), 1)
