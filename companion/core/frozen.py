"""A frozen record for the few modules `companion tag` loads before it sends its request.

Everywhere else a record is a frozen dataclass. `dataclasses` imports `inspect` (with `ast`, `dis`, `tokenize`) and
`typing`: about 13 ms of a keyboard shortcut's 50 ms client, on every press. So core/ipc.py, core/paths.py and
text_prompt.py build their records on this instead: a subclass names its fields in `__slots__`, sets them once in
its own typed `__init__` with `FrozenRecord.set_once`, and gets equality, a repr and read-only attributes like a
frozen dataclass's. tests/test_lean_client.py keeps the client path free of `dataclasses`.
"""

from __future__ import annotations


class FrozenRecord:
    __slots__: tuple[str, ...] = ()

    def set_once(self, name: str, value: object) -> None:
        """For the subclass's `__init__` only: every later assignment raises, as on a frozen dataclass."""
        object.__setattr__(self, name, value)

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r} of a frozen {type(self).__name__}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r} of a frozen {type(self).__name__}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, FrozenRecord)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def __reduce__(self) -> tuple[object, ...]:
        """copy, deepcopy and pickle work as on a frozen dataclass (they would otherwise assign field by field)."""
        return (_rebuilt, (type(self), {name: getattr(self, name) for name in self.__slots__}))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"


def _rebuilt(kind: type[FrozenRecord], values: dict[str, object]) -> FrozenRecord:
    record = kind.__new__(kind)
    for name, value in values.items():
        record.set_once(name, value)
    return record
