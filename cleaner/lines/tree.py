"""A page's body as flat arrays, one entry per element in document order: what ``lines.dom``
reads its DOM facts from, so that they cost array lookups rather than lxml element proxies.

``flatten`` walks the tree once in the compiled helper (``cleaner/_dom.c``) where the install
built it, else in ``_flatten_python``, its twin: the two give equal Trees (tests/unit/test_dom_walk.py).
"""
from __future__ import annotations

from array import array
from functools import lru_cache
from typing import Any, NamedTuple

from .. import native

# Bits of a tag's flags (the compiled walks read them from a {tag: flags} dict)
SILENT, DIV_BLOCK, DIV, ANCHOR = 1, 2, 4, 8                          # the DOM facts
NEWLINE, DOUBLE_NEWLINE, BLOCK, STRUCTURE, CELL = 16, 32, 64, 128, 256  # the render
CHROME = 512                                                         # html.prune_chrome
# bits of Tree.bits
PERIOD, HAS_DIV_BLOCK = 1, 2
# the attributes Tree.attrs holds, where an element has one of them ("hidden": whether it is there)
ATTRIBUTES = ("class", "id", "role", "itemprop", "hidden", "aria-hidden", "style")
_HAS_ATTRIBUTES = f"descendant-or-self::*[{' or '.join('@' + a for a in ATTRIBUTES)}]"


class Tree(NamedTuple):
    """The elements under ``body`` (inclusive) in document order, by index."""

    nodes: Any           # what render looks elements up by: the elements (Python) or their addresses (compiled)
    tags: list[str]
    parent: array        # index of the parent, -1 for body
    depth: array         # levels below body
    end: array           # index of the last element inside it (itself when none)
    chars: array         # visible text characters inside it (0 for SILENT tags)
    links: array         # of which inside links
    commas: array        # commas in its text_content()
    bits: array          # PERIOD: its text_content() ends with "."; HAS_DIV_BLOCK: a DIV_BLOCK element inside
    runs: dict[int, list[tuple[int, int]]]  # DIV elements: (characters, commas) of each run of own text >= run_min
    attrs: dict[int, tuple]  # per ATTRIBUTES, None where absent, for elements with any of them


def _ints(data) -> array:
    out = array("i")
    out.frombytes(data) if isinstance(data, bytes) else out.extend(data)
    return out


def flatten(body, flags: dict[str, int], run_min: int) -> Tree:
    """The Tree of ``body`` (an lxml element); ``flags`` maps tags to their SILENT, DIV_BLOCK, DIV
    and ANCHOR bits; a DIV's runs of own text are kept from ``run_min`` characters."""
    walk = compiled()
    if walk is None:
        return _flatten_python(body, flags, run_min)
    nodes, tags, *ints, runs, attrs = walk.tree(body, flags, run_min)
    return Tree(nodes, tags, *map(_ints, ints), runs, attrs)


def _flatten_python(body, flags: dict[str, int], run_min: int) -> Tree:
    from lxml.etree import Element

    elements = list(body.iter(Element))  # elements only, no comments
    index = {el: i for i, el in enumerate(elements)}
    tags = [el.tag for el in elements]
    parent = [index.get(el.getparent(), -1) for el in elements]
    n = len(elements)
    depth, end, chars, links = [0] * n, list(range(n)), [0] * n, [0] * n
    for i in range(n):
        depth[i] = depth[parent[i]] + 1 if parent[i] >= 0 else 0
    for i in range(n - 1, -1, -1):  # children before their parents
        el, f = elements[i], flags.get(tags[i], 0)
        if parent[i] >= 0:
            end[parent[i]] = max(end[parent[i]], end[i])
        if f & SILENT:
            continue
        c, a = len((el.text or "").strip()), 0
        for child in el:
            if isinstance(child.tag, str):
                c += chars[index[child]]
                a += links[index[child]]
            c += len((child.tail or "").strip())
        chars[i], links[i] = c, c if f & ANCHOR else a
    # text_content()'s commas, whether it has text and ends with ".", and whether a DIV_BLOCK element
    # is inside, children before their parents (text_content() of each would cost depth x size)
    commas, bits, has_text, runs = [0] * n, [0] * n, [False] * n, {}
    for i in range(n - 1, -1, -1):
        el, f = elements[i], flags.get(tags[i], 0)
        pieces = [(el.text or "", -1)]
        for child in el:
            if isinstance(child.tag, str):
                pieces.append(("", index[child]))
            pieces.append((child.tail or "", -1))
        for text, k in pieces:
            commas[i] += commas[k] if k >= 0 else text.count(",")
            if k >= 0 and (flags.get(tags[k], 0) & DIV_BLOCK or bits[k] & HAS_DIV_BLOCK):
                bits[i] |= HAS_DIV_BLOCK
        for text, k in reversed(pieces):  # the last piece with text ends text_content()
            if k >= 0 and has_text[k]:
                bits[i] |= bits[k] & PERIOD
                has_text[i] = True
                break
            if k < 0 and text.strip():
                bits[i] |= PERIOD * text.rstrip().endswith(".")
                has_text[i] = True
                break
        if f & DIV:
            own = [(len(t.strip()), t.count(",")) for t, k in pieces if k < 0]
            if own := [r for r in own if r[0] >= run_min]:
                runs[i] = own
    attrs = {}
    for el in body.xpath(_HAS_ATTRIBUTES):
        a = el.attrib
        attrs[index[el]] = tuple("hidden" in a if name == "hidden" else a.get(name) for name in ATTRIBUTES)
    return Tree(elements, tags, *map(_ints, (parent, depth, end, chars, links, commas, bits)), runs, attrs)


def near(tree: Tree, own: array, groups: int) -> array:
    """Per element and group (n x ``groups``, row-major): the depth of the nearest element in the
    group among it and its ancestors, -1 for none; ``own`` holds each element's group bits."""
    walk = compiled()
    if walk is not None:
        return _ints(walk.near(tree.parent.tobytes(), tree.depth.tobytes(), own.tobytes(), groups))
    out = array("i", [-1]) * (len(own) * groups)
    for i, (p, d, bits) in enumerate(zip(tree.parent, tree.depth, own)):
        row = i * groups
        for g in range(groups):
            out[row + g] = d if bits >> g & 1 else out[p * groups + g] if p >= 0 else -1
    return out


@lru_cache(maxsize=1)
def compiled():
    """The compiled walks (``cleaner._dom``), once they read a sample page as lxml does; None where
    the install did not build them or they read it otherwise (an lxml whose element layout moved)."""
    walk = native.dom
    if walk is None:
        return None
    import lxml.html

    body = lxml.html.document_fromstring(
        '<html><body><div class="a b" id="x">Hi, <b>there</b>.<!-- c --> é</div><p hidden>two</p></body></html>'
    ).find("body")
    try:
        tags, _, _, _, chars = walk.tree(body, {"b": ANCHOR}, 25)[1:6]
        attrs = walk.tree(body, {}, 25)[-1]
        text = walk.render(body, {"p": DOUBLE_NEWLINE}, None, False)[0]
    except Exception:  # noqa: BLE001 - any failure means: not usable here
        return None
    expected = (["body", "div", "b", "p"], [13, 10, 5, 3],
                {1: ("a b", "x", None, None, False, None, None), 3: (None, None, None, None, True, None, None)},
                "Hi, there.\n\ntwo\n")
    return walk if (tags, list(_ints(chars)), attrs, text) == expected else None
