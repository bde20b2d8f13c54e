import pytest

from fandesk.understanding import analyze_many


@pytest.fixture(scope="session")
def understood():
    """Analyse a list of texts once per session (the model loads once)."""

    def run(texts):
        return dict(zip(texts, analyze_many(texts), strict=True))

    return run
