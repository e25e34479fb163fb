import numpy as np

from cleaner.features import FEATURE_NAMES, SCORE_CONTEXT_NAMES, extract, is_prose, score_context
from cleaner.lines.text import to_lines


def col(x, name):
    return x[:, FEATURE_NAMES.index(name)]


def test_feature_matrix_shape_and_cues():
    text = ("Home | News | Sport\n\nBy Jo Bloggs | 3 March 2024\n\n"
            "The council agreed its budget on Tuesday after a long debate about roads and schools.\n\n"
            "Read more >\n\n© 2024 Example Ltd. All rights reserved.")
    lines = to_lines(text)
    x = extract(lines, "en")
    assert x.shape == (5, len(FEATURE_NAMES)) and np.isfinite(x).all()
    assert col(x, "pat_separator")[0] > 0 and col(x, "pat_byline")[1] == 1 and col(x, "pat_date")[1] > 0
    assert col(x, "end_terminal")[2] == 1 and col(x, "stop_ratio")[2] > 0.3
    assert col(x, "end_arrow")[3] == 1 and col(x, "pat_cta")[3] > 0 and col(x, "pat_legal")[4] > 0
    assert col(x, "run_rel")[2] == 1.0  # the only prose run is the core


def test_teaser_comment_and_related_cues():
    text = ("Customers Leave Without Paying $690 Bill At Troy SteakhouseA party of six left without paying.\n\n"
            "The council agreed its budget on Tuesday after a long debate about roads and schools.\n\n"
            "You may also like\n\n"
            "34 responses to “Council agrees budget”\n\n"
            "joetoronto says:\n\n"
            "It is time the council came to grips with reality, it is over yet again.")
    x = extract(to_lines(text), "en")
    assert col(x, "lead_caps")[0] == 8 and col(x, "lead_caps")[1] == 1  # "party", "council" break the runs
    assert col(x, "camel_joins")[0] == 1 and col(x, "camel_joins")[1] == 0
    assert col(x, "related_head").tolist() == [0, 0, 1, 0, 0, 0]
    assert col(x, "comment_head").tolist() == [0, 0, 0, 1, 0, 0]
    assert col(x, "pat_said").tolist() == [0, 0, 0, 0, 1, 0]
    assert col(x, "comment_above").tolist() == [0, 0, 0, 0, 1, 1]
    assert col(x, "comment_below").tolist() == [1, 1, 1, 1, 0, 0]
    assert np.round(np.expm1(col(x, "related_above"))).tolist() == [7, 7, 7, 1, 2, 3]  # none above: lines + 1


def test_a_list_of_teasers_repeats_its_pattern_and_an_article_does_not():
    para = "The council agreed its budget on Tuesday after a long debate about roads and schools."
    teasers = "\n\n".join(f"Story Number {k} Makes The News\n\nJo Bloggs\n\n{para}" for k in range(4))
    x = extract(to_lines(teasers + "\n\n" + "\n\n".join([para] * 12)), "en")
    periodic = col(x, "periodic")
    assert periodic[4:8].min() > 0.5  # inside the teasers: headline / author / lead, again and again
    assert periodic[-4:].max() == 0  # paragraph after paragraph repeats one shape


def test_cjk_words_are_counted_by_characters():
    lines = to_lines("東京都は火曜日に新しい予算を発表しました。学校と道路への支出が増えます。")
    x = extract(lines, "ja")
    assert np.expm1(col(x, "log_words")[0]) > 10


THAI = ("รัฐมนตรีว่าการกระทรวงเกษตรและสหกรณ์กล่าวว่า มาตรการดังกล่าวจะเริ่มดำเนินการภายในเดือนหน้า "
        "และคาดว่าจะช่วยเหลือครัวเรือนได้มากกว่าหนึ่งแสนครัวเรือนทั่วประเทศ")


def test_words_and_stop_words_of_scripts_written_without_spaces_are_counted_by_letters():
    from cleaner.features import word_count

    assert len(THAI.split()) == 3 and word_count(THAI) > 20  # three "tokens", some thirty words
    assert is_prose(THAI)
    x = extract(to_lines(THAI), "th")
    assert np.expm1(col(x, "log_words")[0]) > 20
    assert col(x, "stop_ratio")[0] > 0.1  # "และ", "ว่า", "จะ"... found inside the runs of letters


def test_a_thai_article_is_kept_and_its_menus_are_not_all_it_keeps():
    import cleaner

    dump = "\n\n".join(["หน้าแรก | ข่าว | กีฬา | บันเทิง", THAI,
                         "นักเศรษฐศาสตร์หลายคนแสดงความเห็นว่า การช่วยเหลือครั้งนี้เป็นสิ่งจำเป็น "
                         "แต่รัฐบาลควรวางแผนระยะยาวเพื่อรับมือกับการเปลี่ยนแปลงสภาพภูมิอากาศด้วย"])
    article = cleaner.clean(dump)
    assert article.language == "th" and article.is_article
    assert THAI in article.text


def test_score_context_neighbours_and_running_maxima():
    p = np.array([0.1, 0.9, 0.8, 0.2, 0.95])
    c = dict(zip(SCORE_CONTEXT_NAMES, score_context(p).T))
    assert list(c["score@-1"]) == [0.0, 0.1, 0.9, 0.8, 0.2]
    assert list(c["score_max_before"]) == [0.0, 0.1, 0.9, 0.9, 0.9]
    assert list(c["score_max_after"]) == [0.95, 0.95, 0.95, 0.95, 0.0]
    assert score_context(np.array([0.7])).shape == (1, len(SCORE_CONTEXT_NAMES))


def test_is_prose():
    assert is_prose("The council agreed its budget on Tuesday after a debate.")
    assert not is_prose("Importance of leadership")


def test_cue_words_of_languages_written_without_spaces_and_their_dates():
    text = ("首页 | 新闻 | 体育\n\n2019年3月12日 10:30 来源：新华网\n\n"
            "东京都周二公布了新的预算，学校和道路的支出将会增加，议会将在下周进行辩论。\n\n"
            "分享到：\n\n【相关新闻】\n\n发表评论\n\n版权所有 © 新华网")
    x = extract(to_lines(text), "zh")
    assert col(x, "pat_date")[1] > 0 and col(x, "pat_date")[2] == 0
    assert col(x, "pat_cta")[0] > 0 and col(x, "pat_cta")[3] > 0  # "首页", "分享到" with its full-width colon
    assert col(x, "related_head").tolist() == [0, 0, 0, 0, 1, 0, 0]
    assert col(x, "comment_head").tolist() == [0, 0, 0, 0, 0, 1, 0]
    assert col(x, "pat_legal")[6] > 0 and col(x, "pat_legal")[2] == 0
    ko = extract(to_lines("2019년 3월 12일\n\n관련기사\n\n댓글"), "ko")
    assert col(ko, "pat_date")[0] > 0 and col(ko, "related_head")[1] == 1 and col(ko, "comment_head")[2] == 1


def test_the_scripts_counted_by_letters_start_where_word_count_looks_for_them():
    import sys

    from cleaner.features import _CJK, _FIRST_COUNTED_BY_LETTERS, _UNSPACED, word_count

    counted = [chr(c) for c in range(sys.maxunicode + 1) if _CJK.match(chr(c)) or _UNSPACED.match(chr(c))]
    assert counted and min(counted) == _FIRST_COUNTED_BY_LETTERS
    assert word_count("“Quoted” words, not counted by letters") == 6
    assert word_count("政府は火曜日、新しい住宅を建設すると発表した") > 1
    assert is_prose("“" + "word " * 16 + "”") and not is_prose("“" + "word " * 7 + "”")
