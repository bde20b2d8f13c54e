"""The desk learns from its team: corrections become training rows for this installation's own model,
which replaces the current one only when it is not worse on the held-out sets."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from fandesk.inbox.models import InboxItem, Label

# A candidate may lose this much on a held-out metric and still count as "not worse" (noise).
TOLERANCE = 0.002
GUARDED = ("category_macro_f1", "sentiment3_macro_f1", "cause_macro_f1", "shopping_macro_f1", "cause_real_macro_f1")


def workspace_model(workspace: Path) -> Path:
    return workspace / "model" / "understanding.npz"


_loaded: dict[str, tuple[int, object]] = {}


def analyzer_for(workspace: Path):
    """This installation's model when it has retrained one (reloaded when the file changes), else the
    shipped model."""
    # lazily: the model brings numpy, which a command that triages nothing need not load
    from fandesk.understanding.model import Model
    from fandesk.understanding.service import Analyzer, default_analyzer

    path = workspace_model(workspace)
    if not path.exists():
        return default_analyzer()
    stamp = path.stat().st_mtime_ns
    cached = _loaded.get(str(path))
    if cached is None or cached[0] != stamp:
        cached = _loaded[str(path)] = (stamp, Analyzer(Model.load(path)))
    return cached[1]


def corrections(session: Session) -> list[dict]:
    """One training row per corrected item: its text with the item's labels as they stand now
    (what the team said where it corrected, what the desk understood elsewhere)."""
    items = session.scalars(select(InboxItem).where(InboxItem.id.in_(select(Label.item_id)))).all()
    return [{"id": f"label-{item.id}", "text": item.text, "category": item.category,
             "categories": [item.category], "sentiment": item.sentiment,
             "cause": item.cause or ("other" if item.sentiment == "negative" else None), "split": "train"}
            for item in items if item.text.strip()]


@dataclass
class RetrainResult:
    rows: int
    before: dict
    after: dict
    switched: bool
    reason: str


def retrain(session: Session, *, workspace: Path, reviews: Path | None = None, log=print) -> RetrainResult:
    """Train on the shipped data plus the team's corrections (and, given `reviews`, the public review
    data sets the shipped model learned polarity from); switch only when not worse."""
    # lazily: training brings numpy and the corpora, only `fandesk model retrain` needs them
    from fandesk.understanding.corpora import load_labelled
    from fandesk.understanding.model import Model, load_model
    from fandesk.understanding.train import evaluate, train

    rows = corrections(session)
    current = workspace_model(workspace)
    before = evaluate(Model.load(current) if current.exists() else load_model(), load_labelled(), [])
    candidate_dir = workspace / "model" / "candidate"
    candidate_dir.mkdir(parents=True, exist_ok=True)
    # Without review data the trainer keeps the shipped polarity weights and relearns the rest.
    after = train(extra_labelled=rows, out_dir=candidate_dir, shared=reviews or candidate_dir, log=log)
    worse = [k for k in GUARDED if k in before and k in after and after[k] < before[k] - TOLERANCE]
    if worse:
        shutil.rmtree(candidate_dir)
        return RetrainResult(len(rows), before, after, False,
                             f"kept the current model: the new one is worse on {', '.join(worse)}")
    current.parent.mkdir(parents=True, exist_ok=True)
    (candidate_dir / current.name).replace(current)
    shutil.rmtree(candidate_dir)
    return RetrainResult(len(rows), before, after, True, "switched to the new model: not worse on any held-out set")
