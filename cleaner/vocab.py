"""Word lists behind the cue features, kept apart from the logic that counts them.

Cues are single lower-case tokens (after punctuation is turned into spaces), so one dictionary
lookup per token classifies it; phrases would need a regex pass per cue, which is far slower.
"""
from __future__ import annotations

# Calls to action and page furniture: "read more", "share on", "sign in", "related", ...
CTA = frozenset("""
more read click view share subscribe subscribers newsletter login logout log sign register comment
comments reply replies cookie cookies privacy policy terms conditions advertisement advertising advert
advertise sponsored ad ads menu navigation related popular trending latest follow rights reserved skip
next previous prev back home search contact tags tag categories category print email e-mail
download watch listen video videos photos photo gallery continue sitemap archive archives account
cart checkout shop buy more› more» » add join sharing
""".split())
SOCIAL = frozenset("""
facebook twitter linkedin whatsapp pinterest instagram youtube tiktok reddit telegram rss
""".split())
MONTHS = frozenset("""
jan january feb february mar march apr april may jun june jul july aug august sep sept september
oct october nov november dec december mon monday tue tuesday wed wednesday thu thursday fri friday
sat saturday sun sunday ago am pm gmt utc bst est pst cet
janvier février mars avril mai juin juillet août septembre octobre novembre décembre
januar februar märz juni juli oktober dezember enero febrero marzo abril mayo junio julio agosto
septiembre octubre noviembre diciembre
""".split())
URL = frozenset("http https www com org net html htm php aspx co uk".split())
LEGAL = frozenset("copyright ©".split())

STOP_BIT, CTA_BIT, SOCIAL_BIT, MONTH_BIT, URL_BIT, LEGAL_BIT = 1, 2, 4, 8, 16, 32
BITS = {"stop": STOP_BIT, "cta": CTA_BIT, "social": SOCIAL_BIT, "month": MONTH_BIT,
        "url": URL_BIT, "legal": LEGAL_BIT}


def codebook(stopwords: frozenset[str]) -> dict[str, int]:
    """token -> bit mask of the cue lists it belongs to."""
    book: dict[str, int] = {}
    for words, bit in ((stopwords, STOP_BIT), (CTA, CTA_BIT), (SOCIAL, SOCIAL_BIT),
                       (MONTHS, MONTH_BIT), (URL, URL_BIT), (LEGAL, LEGAL_BIT)):
        for w in words:
            book[w] = book.get(w, 0) | bit
    return book
