"""What the desk knows about one piece of text, and the fixed label sets it uses."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

CATEGORIES = (
    "complaint", "product_question", "advice_request", "shipping", "pricing", "returns", "partnership",
    "praise", "casual", "ugc_share", "spam", "abuse", "crisis",
)
CAUSES = ("product_failure", "customer_service", "shipping_delay", "pricing", "other")
SENTIMENTS = ("negative", "neutral", "positive")
LANGUAGES = ("zh", "en", "mixed", "none")


@dataclass(frozen=True)
class Analysis:
    """One comment understood: labels, extracted signals, and the evidence behind each decision."""

    text: str
    sentiment: str
    sentiment_score: float
    category: str
    categories: list[str]
    cause: str | None
    is_question: bool
    language: str
    spam: bool
    mentions: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    stickers: list[str] = field(default_factory=list)
    emoji: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    evidence: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """A JSON-ready dict (plain str, float, bool, list and dict values)."""
        return asdict(self)
