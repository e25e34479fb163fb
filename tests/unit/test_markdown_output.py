from cleaner.outputs import markdown
from cleaner.types import Article, Block


def test_headings_lists_and_tables_are_rendered_as_markdown():
    a = Article(paragraphs=("Intro paragraph.", "Results", "First item", "Second item", "Team Pts",
                            "Ajax 30", "PSV", "Closing | words."),
                title="League table", headings=(1,),
                blocks=(None, Block("h3"), Block("li"), Block("li"), Block("tr", ("Team", "Pts")),
                        Block("tr", ("Ajax", "30")), Block("tr", ("PSV",)), None))
    assert markdown(a) == (
        "# League table\n\nIntro paragraph.\n\n### Results\n\n- First item\n- Second item\n\n"
        "| Team | Pts |\n| --- | --- |\n| Ajax | 30 |\n| PSV |  |\n\nClosing | words.\n")


def test_without_blocks_body_headings_are_second_level():
    a = Article(paragraphs=("Body text here.", "A subheading", "More text."), headings=(1,))
    assert markdown(a) == "Body text here.\n\n## A subheading\n\nMore text.\n"


def test_pipes_inside_cells_are_escaped():
    a = Article(paragraphs=("a|b c",), blocks=(Block("tr", ("a|b", "c")),))
    assert markdown(a) == "| a\\|b | c |\n| --- | --- |\n"
