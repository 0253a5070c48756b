"""Escaping user-written text for the Markdown export.

Every field a person typed (note text, names, goals, comments, the meeting title, ...) is put
into a fixed line of the export: after "- ", inside "**...**", after "### ". `md_text` makes
such a field render as exactly that text and nothing else: no heading, list, quote, code
block, table, HTML, link or emphasis that reaches outside the field.

Why a function of our own: the maintained Python Markdown libraries (markdown-it-py, mistune,
Python-Markdown) parse and render Markdown but have no function that turns plain text into
Markdown; mdformat writes Markdown back from a parsed token tree, but has no public API for
escaping one piece of text, and would become a runtime dependency of the server for it. The
rule this relies on is part of CommonMark itself (spec, "Backslash escapes"): a backslash
before any ASCII punctuation character makes it a literal character, in every viewer that
follows CommonMark or GitHub Flavored Markdown. The tests render the export with
markdown-it-py to check it.
"""

import re

# Control characters other than whitespace: no viewer shows them, some break on them.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
# Any run of whitespace, newlines included (also \r, \u2028, \x85, ...): a field stays on the
# line it was put on, so it can never start a block of its own, and it cannot indent itself
# into a code block.
_SPACE = re.compile(r"\s+")
# Characters that start or end inline Markdown anywhere on a line: backslash, code spans,
# emphasis, links and images ([...]), raw HTML and autolinks (<...>), entities (&...;), GFM
# tables (|) and strikethrough (~), headings' closing #s, attribute lists ({...}) and math ($).
_ALWAYS = re.compile(r"([\\`*_{}\[\]<>#|~&$])")
# What only means something at the start of a line (a field always comes after our own
# prefix, such as "- ", so its start may begin a nested block): bullet list items and
# thematic breaks (- +), setext underlines (=) and ordered list items ("1." "1)").
_AT_START = re.compile(r"^([-+=])|^(\d{1,9})([.)])")


def plain_text(value: object) -> str:
    """`value` as one line of plain text: runs of whitespace (newlines included) become one
    space, control characters go. What the plain-text export shows of a typed field."""
    return _SPACE.sub(" ", _CONTROL.sub("", str(value))).strip()


def md_text(value: object) -> str:
    """`value` as Markdown that reads as the same text: one line, every marker escaped.

    Runs of whitespace (newlines included) become one space, leading and trailing space
    goes, control characters are dropped. Letters, digits and all other characters stay as
    they are, so the Markdown source stays readable too.
    """
    text = _ALWAYS.sub(r"\\\1", plain_text(value))
    return _AT_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text, count=1)
