"""Crisis detection. Three triggers, each opening one record with its evidence:
- a negative thread: one note gets `thread_negatives` (15) or more negative comments within
  `thread_window_hours` (24);
- a negative spike: an hour's negative comments for an account against that account's own trailing
  `baseline_days` (14) of hourly counts: z = (count - mean) / max(std, 1), opened when z >= `spike_z` (3)
  and the hour has at least `spike_min` (5) negatives. The std floor of 1 keeps a flat, quiet baseline
  from turning two comments into a crisis; an account with less history than the baseline is not judged;
- flags: team members flag a thread (`flag_threshold`, 1).
Items of the thread are escalated to the manager."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import orjson
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from fandesk.crisis.models import Crisis, CrisisEvidence, ThreadFlag
from fandesk.inbox.models import OPEN_STATUSES, InboxItem, TriageAction

# Spike hours closer than this to a recorded spike belong to the same episode.
SPIKE_EPISODE_GAP = timedelta(hours=24)


@dataclass(frozen=True)
class CrisisSettings:
    thread_negatives: int = 15
    thread_window_hours: int = 24
    baseline_days: int = 14
    spike_z: float = 3.0
    spike_min: int = 5
    flag_threshold: int = 1


def detect_crises(session: Session, *, now: datetime, settings: CrisisSettings | None = None) -> int:
    """Open crisis records for triggers not already covered by an open crisis; returns how many opened."""
    settings = settings or CrisisSettings()
    opened = _negative_threads(session, settings, now) + _negative_spikes(session, settings, now)
    opened += _flagged_threads(session, settings, now)
    return opened


def _negatives():
    return (select(InboxItem.account_id, InboxItem.note_id, InboxItem.received_at, InboxItem.source_id)
            .where(InboxItem.channel == "comment", InboxItem.sentiment == "negative"))


def _open_for_note(session: Session, trigger: str) -> set[int]:
    return set(session.scalars(select(Crisis.note_id).where(Crisis.status == "open", Crisis.trigger == trigger,
                                                           Crisis.note_id.is_not(None))))


def _negative_threads(session: Session, settings: CrisisSettings, now: datetime) -> int:
    already = _open_for_note(session, "negative_thread")
    busy_notes = session.execute(select(InboxItem.note_id).where(
        InboxItem.channel == "comment", InboxItem.sentiment == "negative", InboxItem.note_id.is_not(None))
        .group_by(InboxItem.note_id).having(func.count() >= settings.thread_negatives)).scalars().all()
    window = timedelta(hours=settings.thread_window_hours)
    opened = 0
    for note_id in busy_notes:
        if note_id in already:
            continue
        rows = session.execute(_negatives().where(InboxItem.note_id == note_id)
                               .order_by(InboxItem.received_at)).all()
        start = 0
        for end in range(len(rows)):
            while rows[end][2] - rows[start][2] > window:
                start += 1
            if end - start + 1 >= settings.thread_negatives:
                burst = rows[start:end + 1]
                evidence = {"method": f"{settings.thread_negatives}+ negative comments on one note within "
                                      f"{settings.thread_window_hours} h", "negative_comments": len(burst)}
                _open(session, account_id=rows[0][0], note_id=note_id, trigger="negative_thread", now=now,
                      window=(burst[0][2], burst[-1][2]), evidence=evidence, comment_ids=[r[3] for r in burst])
                opened += 1
                break
    return opened


def _negative_spikes(session: Session, settings: CrisisSettings, now: datetime) -> int:
    hour_of = func.strftime("%Y-%m-%d %H", InboxItem.received_at) if session.get_bind().dialect.name == "sqlite" \
        else func.to_char(InboxItem.received_at, "YYYY-MM-DD HH24")
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for account_id, hour, count in session.execute(
            select(InboxItem.account_id, hour_of, func.count()).where(
                InboxItem.channel == "comment", InboxItem.sentiment == "negative")
            .group_by(InboxItem.account_id, hour_of)):
        counts[account_id][hour] = count
    history_from = dict(session.execute(select(InboxItem.account_id, func.min(InboxItem.received_at))
                                        .where(InboxItem.channel == "comment").group_by(InboxItem.account_id)).all())
    spikes = list(session.scalars(select(Crisis).where(Crisis.trigger == "negative_spike")
                                  .order_by(Crisis.window_start)))
    opened = 0
    window = settings.baseline_days * 24
    for account_id, by_hour in counts.items():
        by_index = {_hour_index(hour): count for hour, count in by_hour.items()}
        for hour, count in sorted(by_hour.items()):
            if count < settings.spike_min:
                continue
            start = datetime.strptime(hour, "%Y-%m-%d %H")
            episode = next((c for c in spikes if c.account_id == account_id
                            and c.window_start <= start <= c.window_end + SPIKE_EPISODE_GAP), None)
            if episode is not None and start < episode.window_end:
                continue  # this hour is already part of a recorded spike
            first_hour = history_from[account_id].replace(minute=0, second=0, microsecond=0)
            if start - first_hour < timedelta(days=settings.baseline_days):
                continue  # not enough history for a baseline yet
            index = _hour_index(hour)
            baseline = [by_index.get(index - h, 0) for h in range(1, window + 1)]
            mean = sum(baseline) / window
            std = (sum((x - mean) ** 2 for x in baseline) / window) ** 0.5
            z = (count - mean) / max(std, 1.0)
            if z < settings.spike_z:
                continue
            end = start + timedelta(hours=1)
            ids = session.execute(_negatives().where(
                InboxItem.account_id == account_id, InboxItem.received_at >= start,
                InboxItem.received_at < end)).all()
            evidence = {"method": f"z-score of negative comments per hour against the trailing "
                                  f"{settings.baseline_days} days (std floor 1)",
                        "hour_utc": hour, "negatives": count, "baseline_mean": round(mean, 3),
                        "baseline_std": round(std, 3), "z": round(z, 2)}
            if episode is not None:  # the same episode goes on: extend it rather than open another
                _extend(session, episode, end=end, hour_evidence=evidence, comment_ids=[r[3] for r in ids])
                continue
            notes = {r[1] for r in ids if r[1]}
            spikes.append(_open(session, account_id=account_id, note_id=notes.pop() if len(notes) == 1 else None,
                  trigger="negative_spike", now=now, window=(start, end), evidence=evidence,
                  comment_ids=[r[3] for r in ids]))
            opened += 1
    return opened


def _hour_index(hour: str) -> int:
    """"2026-10-15 03" as hours since the epoch, so a baseline is a run of integer keys."""
    return int(datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=UTC).timestamp()) // 3600


def _extend(session: Session, crisis: Crisis, *, end: datetime, hour_evidence: dict, comment_ids: list[int]) -> None:
    evidence = orjson.loads(crisis.evidence)
    evidence.setdefault("later_hours", []).append(
        {k: hour_evidence[k] for k in ("hour_utc", "negatives", "z")})
    crisis.evidence = orjson.dumps(evidence).decode()
    crisis.window_end = end
    known = set(session.scalars(select(CrisisEvidence.comment_id).where(CrisisEvidence.crisis_id == crisis.id)))
    fresh = [c for c in dict.fromkeys(comment_ids) if c not in known]
    if fresh:
        session.execute(insert(CrisisEvidence), [{"crisis_id": crisis.id, "comment_id": c} for c in fresh])
    session.flush()


def _flagged_threads(session: Session, settings: CrisisSettings, now: datetime) -> int:
    from fandesk.content.models import Note

    already = _open_for_note(session, "flagged")
    rows = session.execute(select(ThreadFlag.note_id, Note.account_id, func.count()).join(
        Note, Note.id == ThreadFlag.note_id).group_by(ThreadFlag.note_id, Note.account_id)
        .having(func.count() >= settings.flag_threshold)).all()
    opened = 0
    for note_id, account_id, flags in rows:
        if note_id in already:
            continue
        reasons = session.scalars(select(ThreadFlag.reason).where(ThreadFlag.note_id == note_id)).all()
        _open(session, account_id=account_id, note_id=note_id, trigger="flagged", now=now, window=None,
              evidence={"method": "flagged by the team", "flags": flags, "reasons": [r for r in reasons if r]},
              comment_ids=[])
        opened += 1
    return opened


def _open(session: Session, *, account_id: int, note_id: int | None, trigger: str, now: datetime, window,
          evidence: dict, comment_ids: list[int]) -> Crisis:
    crisis = Crisis(account_id=account_id, note_id=note_id, trigger=trigger, status="open", opened_at=now,
                    window_start=window[0] if window else None, window_end=window[1] if window else None,
                    evidence=orjson.dumps(evidence).decode())
    session.add(crisis)
    session.flush()
    if comment_ids:
        session.execute(insert(CrisisEvidence), [{"crisis_id": crisis.id, "comment_id": c}
                                                 for c in dict.fromkeys(comment_ids)])
    if note_id is not None:
        items = session.execute(select(InboxItem.id).where(
            InboxItem.note_id == note_id, InboxItem.status.in_(OPEN_STATUSES),
            InboxItem.escalated.is_(False))).scalars().all()
        if items:
            session.execute(update(InboxItem).where(InboxItem.id.in_(items)).values(escalated=True, updated_at=now))
            session.execute(insert(TriageAction), [{"item_id": i, "rule": f"crisis {crisis.id} ({trigger})",
                                                    "action": "escalate", "before": None, "after": None, "at": now}
                                                   for i in items])
    return crisis


def flag_thread(session: Session, *, note_id: int, member_id: int | None, reason: str | None, now: datetime) -> None:
    """A person flags a note's thread; detection opens a crisis when enough people have."""
    existing = session.scalars(select(ThreadFlag).where(ThreadFlag.note_id == note_id,
                                                        ThreadFlag.member_id == member_id)).first()
    if existing is None:
        session.add(ThreadFlag(note_id=note_id, member_id=member_id, reason=reason, at=now))
    session.flush()
