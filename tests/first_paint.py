"""The CSS of the first paint: the rules of mkdocs-material's stylesheets that statusgen's
pages can use, for every page's head.

    python -m tests.first_paint

writes ``theme/partials/first-paint.html``; ``tests/outputs/test_first_paint.py`` fails
when that file is not what this writes (after a material upgrade, or a page that uses
more of material). Every page inlines it and loads material's whole stylesheets without
blocking its first paint (``theme/main.html``): 149 KB of CSS, of which a status page
uses a fifth, stand between a phone on a slow network and the first paint otherwise.

The pages are stamped (``generator/shell/mkdocs_material.py``): the shell may not depend
on a page's content, so the rules are one set for every page, the union of what every
kind of page can use, as PurgeCSS chooses them. A rule stays when one of its selectors
names only classes, ids, attributes and elements found in the example's pages (in English
and, right to left, in Arabic, 404 included) or in what any page can hold: the elements an
incident's Markdown may use (``markup.ALLOWED_TAGS``: tables, code) and the dark scheme
material's script switches to before the first paint. Pseudo-classes are ignored (a rule
for a hover or a focus stays), and every media query and keyframe is kept.
"""

from __future__ import annotations

import html.parser
import re
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import material  # type: ignore[import-untyped]

from generator.outputs.markup import ALLOWED_TAGS
from tests.example import ROOT, build_example

PARTIAL = ROOT / "theme/partials/first-paint.html"
ASSETS = Path(material.__file__).parent / "templates/assets"
#: The colour schemes material's script chooses from before the first paint (the reader's
#: choice or the system's); the site's colours are in the markup.
SCHEMES = {"data-md-color-scheme": {"default", "slate"}}
#: The elements of a logo (an image, or material's icon), and the root.
ALWAYS = {"html", "body", "*", "img", "svg", "path"}
#: The classes and attributes material's script gives the page's markup (the root's "js",
#: a table's scrolling wrapper), as its bundle names them.
_SCRIPT_CLASS = re.compile(r"""(?<=["' ])md-[a-z][\w-]*[a-z]|(?<=")(?:js|focus-visible)(?=")""")
#: material's features that statusgen leaves off (theme.features is empty): search,
#: versions, annotations, tags, a repository's facts, tooltips, code's copy button.
UNUSED_FEATURES = (
    "md-search", "md-version", "md-annotation", "md-tag", "md-source", "md-tooltip", "md-code",
)  # fmt: skip
_SCRIPT_ATTRIBUTE = re.compile(r"data-md-[a-z][a-z-]*[a-z]")


@dataclass
class Used:
    """What the pages' markup names: elements, classes, ids, attributes and their values."""

    tags: set[str] = field(default_factory=lambda: set(ALWAYS | ALLOWED_TAGS))
    classes: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    attributes: dict[str, set[str]] = field(
        default_factory=lambda: {name: set(values) for name, values in SCHEMES.items()}
    )
    #: Attributes the script sets, to any value.
    scripted: set[str] = field(default_factory=set)


def scripted(used: Used) -> Used:
    """``used`` and what material's script adds to the markup."""
    bundle = next((ASSETS / "javascripts").glob("bundle.*.min.js")).read_text(encoding="utf-8")
    used.classes.update(
        name for name in _SCRIPT_CLASS.findall(bundle) if not name.startswith(UNUSED_FEATURES)
    )
    # the script sets the colours only to the palette's, which the markup has
    names = set(_SCRIPT_ATTRIBUTE.findall(bundle)) - {
        "data-md-color-primary",
        "data-md-color-accent",
    }
    used.scripted.update(names - set(SCHEMES))
    return used


class _Reader(html.parser.HTMLParser):
    def __init__(self, used: Used) -> None:
        super().__init__()
        self.used = used

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.used.tags.add(tag)
        for name, value in attrs:
            self.used.attributes.setdefault(name, set()).add(value or "")
            if name == "class" and value:
                self.used.classes.update(value.split())
            elif name == "id" and value:
                self.used.ids.add(value)


def used_by(site: Path) -> Used:
    """What every page of ``site`` names in its markup (its <style> and <script> text is
    not markup)."""
    used = Used()
    for page in sorted(site.rglob("*.html")):
        reader = _Reader(used)
        reader.feed(page.read_text(encoding="utf-8"))
        reader.close()
    return used


@dataclass(frozen=True)
class Block:
    """One statement of a stylesheet: ``prelude{body}`` (rules, at-rules with rules
    inside: ``children``), or an at-rule ending in ``;`` (``body`` None)."""

    prelude: str
    body: str | None = None
    children: tuple[Block, ...] | None = None


_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_NESTING = ("@media", "@supports")


def parse(css: str) -> tuple[Block, ...]:
    """The statements of ``css`` (minified or not), comments left out."""
    blocks, _ = _statements(_COMMENT.sub("", css), 0)
    return tuple(blocks)


def _statements(css: str, at: int) -> tuple[list[Block], int]:
    blocks: list[Block] = []
    while at < len(css):
        while at < len(css) and css[at].isspace():
            at += 1
        if at >= len(css) or css[at] == "}":
            return blocks, at + 1
        end = _until(css, at, "{;")
        prelude = css[at:end].strip()
        if css[end] == ";":
            blocks.append(Block(prelude))
            at = end + 1
        elif prelude.startswith(_NESTING):
            children, at = _statements(css, end + 1)
            blocks.append(Block(prelude, "", tuple(children)))
        else:
            close = _matching(css, end)
            blocks.append(Block(prelude, css[end + 1 : close]))
            at = close + 1
    return blocks, at


def _until(css: str, at: int, stops: str) -> int:
    """Where the first of ``stops`` is, outside strings and parentheses."""
    depth, quote = 0, ""
    while at < len(css):
        char = css[at]
        if quote:
            if char == "\\":
                at += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and char in stops:
            return at
        at += 1
    raise ValueError(f"unterminated CSS at {at}")


def _matching(css: str, at: int) -> int:
    """Where the brace opened at ``at`` closes."""
    depth = 0
    while True:
        at = _until(css, at, "{}")
        depth += 1 if css[at] == "{" else -1
        if depth == 0:
            return at
        at += 1


def _split(selectors: str) -> Iterator[str]:
    """The selectors of a list, split at its commas (not those in parentheses)."""
    at = 0
    while at < len(selectors):
        try:
            end = _until(selectors, at, ",")
        except ValueError:
            end = len(selectors)
        yield selectors[at:end]
        at = end + 1


def _without_pseudo(selector: str) -> str:
    """``selector`` without its pseudo-classes and pseudo-elements (``:not(...)`` and the
    like whole)."""
    out, at = [], 0
    while at < len(selector):
        if selector[at] == ":":
            at += 1
            while at < len(selector) and (selector[at] == ":" or selector[at] in _NAME):
                at += 1
            if at < len(selector) and selector[at] == "(":
                depth = 0
                while True:
                    depth += {"(": 1, ")": -1}.get(selector[at], 0)
                    at += 1
                    if depth == 0:
                        break
            out.append(" " if at >= len(selector) or selector[at] in " >+~" else "")
            continue
        if selector[at] == "[":
            end = _until(selector, at, "]")
            out.append(selector[at : end + 1])
            at = end + 1
            continue
        out.append(selector[at])
        at += 1
    return "".join(out)


_NAME = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
_ATTRIBUTE = re.compile(
    r"""\[\s*([\w-]+)\s*(?:([~|^$*]?=)\s*(?:"([^"]*)"|'([^']*)'|([^\]\s]*)))?[^\]]*\]"""
)
_CLASS = re.compile(r"\.((?:[\w-]|\\.)+)")
_ID = re.compile(r"#([\w-]+)")
_TAG = re.compile(r"(?:^|[\s>+~])([a-zA-Z][\w-]*|\*)")


#: What a first paint has not: a pointer over something, a focus. Each of these outweighs
#: the rules without it, so the whole stylesheets' rule wins over the page's copies.
_INTERACTION = re.compile(r":(?:hover|focus|focus-visible|focus-within|active)(?![\w-])")


def matches(selector: str, used: Used) -> bool:
    """Whether ``selector`` names only what the pages have (its pseudo-classes aside), and
    no pointer or focus."""
    if _INTERACTION.search(selector):
        return False
    plain = _without_pseudo(selector)
    for name, operator, *quoted in _ATTRIBUTE.findall(plain):
        value = next((v for v in quoted if v), "")
        if name in used.scripted:
            continue
        if name not in used.attributes:
            return False
        if operator == "=" and value not in used.attributes[name]:
            return False
    plain = _ATTRIBUTE.sub("", plain)
    if any(name.replace("\\", "") not in used.classes for name in _CLASS.findall(plain)):
        return False
    if any(name not in used.ids for name in _ID.findall(plain)):
        return False
    plain = _ID.sub("", _CLASS.sub("", plain))
    return all(tag.lower() in used.tags for tag in _TAG.findall(plain))


def purged(blocks: tuple[Block, ...], used: Used) -> str:
    """The statements of ``blocks`` that the pages can use, minified."""
    out = []
    for block in blocks:
        if block.body is None:
            continue  # @charset: the page's own is UTF-8
        if block.children is not None:
            inner = purged(block.children, used)
            if inner:
                out.append(f"{block.prelude}{{{inner}}}")
        elif block.prelude.startswith(("@keyframes", "@font-face")):
            out.append(f"{block.prelude}{{{block.body}}}")
        elif block.prelude.startswith("@"):
            continue  # @page: for printing, which waits for the whole stylesheets
        elif any(matches(selector, used) for selector in _split(block.prelude)):
            out.append(f"{block.prelude}{{{block.body}}}")
    return "".join(out)


_VARIABLE = re.compile(r"var\(\s*(--[\w-]+)")


def _declarations(body: str) -> list[str]:
    """The declarations of a rule's body."""
    out, at = [], 0
    while at < len(body):
        try:
            end = _until(body, at, ";")
        except ValueError:
            end = len(body)
        if body[at:end].strip():
            out.append(body[at:end])
        at = end + 1
    return out


def _custom(declaration: str) -> str | None:
    """The name of the custom property ``declaration`` sets, if it sets one."""
    name = declaration.split(":", 1)[0].strip()
    return name if name.startswith("--") else None


def without_unused_variables(css: str, also: str) -> str:
    """``css`` without the custom properties (material's icons, colours of components the
    pages lack) that neither it nor ``also`` reads."""
    blocks = parse(css)
    declarations: list[str] = []

    def collect(blocks: tuple[Block, ...]) -> None:
        for block in blocks:
            if block.children is not None:
                collect(block.children)
            elif block.body is not None and not block.prelude.startswith("@"):
                declarations.extend(_declarations(block.body))

    collect(blocks)
    read = set(_VARIABLE.findall(also))
    read.update(v for d in declarations if _custom(d) is None for v in _VARIABLE.findall(d))
    while True:  # a variable read by one that is read
        more = {v for d in declarations if _custom(d) in read for v in _VARIABLE.findall(d)}
        if more <= read:
            break
        read |= more

    def kept(blocks: tuple[Block, ...]) -> str:
        out = []
        for block in blocks:
            if block.children is not None:
                inner = kept(block.children)
                if inner:
                    out.append(f"{block.prelude}{{{inner}}}")
            elif block.body is not None and not block.prelude.startswith("@"):
                body = ";".join(d for d in _declarations(block.body) if _custom(d) in (None, *read))
                if body:
                    out.append(f"{block.prelude}{{{body}}}")
            elif block.body is not None:
                out.append(f"{block.prelude}{{{block.body}}}")
        return "".join(out)

    return kept(blocks)


def material_sheets() -> list[Path]:
    """material's main and palette stylesheets, as the theme links them."""
    return [
        next((ASSETS / "stylesheets").glob(f"{name}.*.min.css")) for name in ("main", "palette")
    ]


def first_paint(site: Path) -> str:
    """The partial for the pages of ``site``: material's rules they can use, in a <style>."""
    used = scripted(used_by(site))
    sheets = material_sheets()
    css = "".join(purged(parse(sheet.read_text(encoding="utf-8")), used) for sheet in sheets)
    statusgen = (ROOT / "theme/assets/stylesheets/statusgen.css").read_text(encoding="utf-8")
    css = without_unused_variables(css, statusgen)
    names = " and ".join(sheet.name for sheet in sheets)
    return (
        f"{{#- Written by `python -m tests.first_paint` from mkdocs-material "
        f"{material.__version__}'s {names}: do not edit. -#}}\n"
        f"<style>{{% raw %}}{css}{{% endraw %}}</style>\n"
    )


def generate() -> str:
    """The partial, from the example built in English and Arabic."""
    with tempfile.TemporaryDirectory() as folder:
        site = build_example(Path(folder) / "site", languages=["en", "ar"])
        return first_paint(site)


def main() -> None:
    text = generate()
    PARTIAL.write_text(text, encoding="utf-8")
    print(f"{PARTIAL.relative_to(ROOT)}: {len(text.encode()) / 1024:.1f} KB", file=sys.stderr)


if __name__ == "__main__":
    main()
