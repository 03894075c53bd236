"""Chinese by default; English when Accept-Language prefers it."""

from __future__ import annotations


def prefers_english(accept_language: str | None) -> bool:
    if not accept_language:
        return False
    best_zh = best_en = -1.0
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        tag = tag.strip().lower()
        if tag.startswith("en"):
            best_en = max(best_en, quality)
        elif tag.startswith("zh"):
            best_zh = max(best_zh, quality)
    return best_en > best_zh
