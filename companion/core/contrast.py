"""Readable colours: the WCAG 2 contrast ratio between two sRGB colours (4.5:1 is the floor for normal text)."""

from __future__ import annotations

READABLE_TEXT_RATIO = 4.5


def _channel(value: int) -> float:
    c = value / 255.0
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    red, green, blue = (_channel(v) for v in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    """1.0 (the same colour) to 21.0 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def is_dark(rgb: tuple[int, int, int]) -> bool:
    """A background darker than mid-grey: the desktop runs a dark theme."""
    return relative_luminance(rgb) < 0.18
