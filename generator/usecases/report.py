"""Counting in words, as every summary line says it."""

from __future__ import annotations


def count(number: int, noun: str) -> str:
    """``1 file``, ``3 files``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
