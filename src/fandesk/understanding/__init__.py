"""Understanding text: sentiment, category, cause, signals and evidence, offline.

    from fandesk.understanding import analyze, analyze_many
    analyze("避雷！用了三天烂脸[哭惹R]").category  # 'complaint'

Nothing is loaded at import; the shipped model is read on first use and cached.
"""

from __future__ import annotations

from collections.abc import Iterable

from .analysis import CATEGORIES, CAUSES, LANGUAGES, SENTIMENTS, Analysis

__all__ = ["CATEGORIES", "CAUSES", "LANGUAGES", "SENTIMENTS", "Analysis", "analyze", "analyze_many"]


def analyze(text: str) -> Analysis:
    """Understand one comment (see `service.analyze`)."""
    # lazily: the service loads numpy and the model, which `import fandesk.understanding` should not
    from .service import analyze as _analyze

    return _analyze(text)


def analyze_many(texts: Iterable[str]) -> list[Analysis]:
    """Understand many comments, batched (see `service.analyze_many`)."""
    # lazily, as above
    from .service import analyze_many as _analyze_many

    return _analyze_many(texts)
