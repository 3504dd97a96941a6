"""``statusgen lint``: its rules (``rules.py``) and the word lists they match
(``wordlists/<language>.yml``)."""

from generator.lint.rules import lint

__all__ = ["lint"]
