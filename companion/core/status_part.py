"""What one part of Companion adds to `companion status`: JSON keys and lines for a person.

Its own module so the modules that contribute a part (activity, rough calls, journal) and core.status, which lists
them, do not import each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class StatusPart:
    values: dict[str, Any] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
