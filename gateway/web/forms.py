"""Form bodies and query strings, decoded strictly.

Starlette's own parsing replaces invalid UTF-8 with U+FFFD without a word. Here a value
that is not valid UTF-8, or holds a character no text parameter may hold (a control
character, a noncharacter such as U+FFFE), is an error naming its parameter the moment
the parameter is read; a parameter nobody reads is ignored, whatever it holds, as
Restcomm ignores unknown parameters. The first value of a repeated parameter wins.
"""

from __future__ import annotations

from typing import Iterator, Mapping
from urllib.parse import unquote_to_bytes

from gateway.domain.errors import InvalidParameter
from gateway.services.validation import forbidden_character


class Parameters(Mapping[str, str]):
    """Decoded parameters; reading one whose value was unusable raises InvalidParameter."""

    def __init__(self, values: dict[str, str], problems: dict[str, str]) -> None:
        self._values = values
        self._problems = problems

    def __getitem__(self, name: str) -> str:
        problem = self._problems.get(name)
        if problem is not None:
            raise InvalidParameter(f"{name[:40]} {problem}")
        return self._values[name]

    def __contains__(self, name: object) -> bool:
        return name in self._values or name in self._problems

    def __iter__(self) -> Iterator[str]:
        """The usable parameters (an unusable one is only an error when it is read)."""
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def get_any_case(self, name: str) -> str | None:
        """The parameter spelled in any case (`isSIP`, `issip`), or None."""
        wanted = name.lower()
        spelled = next((n for n in (*self._values, *self._problems) if n.lower() == wanted), None)
        return None if spelled is None else self[spelled]


def parse_parameters(raw: bytes) -> Parameters:
    """`a=1&b=%C3%A9` (a form body or a query string) as its parameters."""
    values: dict[str, str] = {}
    problems: dict[str, str] = {}
    for piece in raw.split(b"&"):
        if not piece:
            continue
        raw_name, _, raw_value = piece.partition(b"=")
        name, name_problem = _decode(raw_name)
        if name_problem is not None or name in values or name in problems:
            continue  # no parameter is named so (it is ignored), or a repeat (the first wins)
        value, problem = _decode(raw_value)
        if problem is None:
            values[name] = value
        else:
            problems[name] = problem
    return Parameters(values, problems)


def _decode(part: bytes) -> tuple[str, str | None]:
    try:
        text = unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return "", "is not valid UTF-8 text"
    problem = forbidden_character(text)
    return text, (f"must not contain {problem}" if problem is not None else None)
