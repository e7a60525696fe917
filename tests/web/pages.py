"""Reading rendered pages in tests: a small CSS-like selector over lxml (no cssselect here)."""

from __future__ import annotations

import re

import lxml.html

STEP = re.compile(r"^(?P<tag>[a-z0-9]*)(?P<classes>(?:\.[\w-]+)*)(?:\[(?P<attr>[\w-]+)=\"(?P<value>[^\"]*)\"\])?$")


def xpath_of(selector: str) -> str:
    """``tag.class[attr="v"] tag2`` and comma-separated alternatives, as XPath."""
    paths = []
    for alternative in selector.split(","):
        path = "."
        for step in alternative.split():
            found = STEP.match(step)
            if found is None:
                raise ValueError(f"selector step not understood: {step!r}")
            tests = [f"contains(concat(' ', normalize-space(@class), ' '), ' {c} ')"
                     for c in found["classes"].split(".") if c]
            if found["attr"]:
                tests.append(f"@{found['attr']}='{found['value']}'")
            path += f"//{found['tag'] or '*'}" + "".join(f"[{t}]" for t in tests)
        paths.append(path)
    return " | ".join(paths)


def select(element, selector: str) -> list:
    return element.xpath(xpath_of(selector))


def parse(html: str):
    return lxml.html.fromstring(html)


def text(element) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()
