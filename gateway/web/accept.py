"""Which of the media types a response can take the client's `Accept` prefers."""

from __future__ import annotations


def preferred(accept: str, offered: tuple[str, ...]) -> str | None:
    """The offered media type with the highest quality the header gives it by name
    (ties: the one the header lists first); None if it names none of them."""
    best: tuple[float, int, str] | None = None
    for position, item in enumerate(accept.lower().split(",")):
        media, *parameters = (part.strip() for part in item.split(";"))
        if media not in offered:
            continue
        quality = next((quality_of(p[2:]) for p in parameters if p.startswith("q=")), 1.0)
        candidate = (quality, -position, media)
        if quality > 0 and (best is None or candidate[:2] > best[:2]):
            best = candidate
    return best[2] if best is not None else None


def quality_of(text: str) -> float:
    """An Accept item's q-value (`q=0.5` → 0.5), clamped to 0..1; unreadable counts as 0."""
    try:
        return min(max(float(text), 0.0), 1.0)
    except ValueError:
        return 0.0
