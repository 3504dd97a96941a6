"""Colour contrast as WCAG 2 measures it, so that a brand colour never makes text unreadable."""

from __future__ import annotations

#: WCAG AA's least contrast for normal text.
AA = 4.5
#: The text mkdocs-material draws on the primary and accent colours.
TEXT_ON_BRAND = "#ffffff"


def _channel(value: int) -> float:
    part = value / 255
    return part / 12.92 if part <= 0.03928 else ((part + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """The relative luminance of ``#rrggbb``."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast(first: str, second: str) -> float:
    """The contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
