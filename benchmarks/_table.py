"""One row format for every benchmark, so `make bench` prints a single table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    measure: str
    value: float
    unit: str
    target: float | None = None  # the value must be at most this (same unit), or
    floor: float | None = None  # with ratio_target: value / floor must be at most ratio_target
    ratio_target: float | None = None

    @property
    def ratio(self) -> float | None:
        return None if not self.floor else self.value / self.floor

    @property
    def verdict(self) -> str:
        if self.ratio_target is not None and self.ratio is not None:
            return "ok" if self.ratio <= self.ratio_target else "MISSED"
        if self.target is not None:
            return "ok" if self.value <= self.target else "MISSED"
        return ""

    @property
    def target_text(self) -> str:
        if self.ratio_target is not None:
            return f"<= {self.ratio_target}x floor"
        return "" if self.target is None else f"<= {self.target:g} {self.unit}"


def print_table(figures: list[Figure]) -> None:
    print(f"{'measure':56} {'value':>12} {'unit':12} {'floor':>9} {'ratio':>6}  {'target':18} verdict")
    for f in figures:
        floor = "" if f.floor is None else f"{f.floor:.4g}"
        ratio = "" if f.ratio is None else f"{f.ratio:.2f}x"
        print(f"{f.measure:56} {f.value:>12.4g} {f.unit:12} {floor:>9} {ratio:>6}  {f.target_text:18} {f.verdict}")
