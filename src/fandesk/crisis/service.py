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

from fandesk.content.models import Note
from fandesk.crisis.models import Crisis, CrisisEvidence, ThreadFlag
from fandesk.inbox.models import OPEN_STATUSES, InboxItem, TriageAction

# A spike hour closer than this to the episode's last one, or to a recorded spike, belongs to that episode.
SPIKE_EPISODE_GAP = timedelta(hours=24)
HOUR = timedelta(hours=1)


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
    """Spike hours grouped into episodes from the data alone, then matched to the spikes already
    recorded: the same data always gives the same records, however many imports brought it."""
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
    recorded = list(session.scalars(select(Crisis).where(Crisis.trigger == "negative_spike").order_by(Crisis.id)))
    opened = 0
    for account_id, by_hour in sorted(counts.items()):
        first_hour = history_from[account_id].replace(minute=0, second=0, microsecond=0)
        hours = _spike_hours(by_hour, first_hour, settings)
        mine = [c for c in recorded if c.account_id == account_id]
        for episode in _episodes(hours):
            crisis = _record_episode(session, account_id=account_id, episode=episode, recorded=mine,
                                     settings=settings, now=now)
            if crisis is not None:
                mine.append(crisis)
                opened += 1
    return opened


def _spike_hours(by_hour: dict[str, int], first_hour: datetime, settings: CrisisSettings) -> list[dict]:
    """The hours whose negatives stand out against the account's trailing baseline, oldest first, each
    with the numbers that made it a spike."""
    window = settings.baseline_days * 24
    by_index = {_hour_index(hour): count for hour, count in by_hour.items()}
    spikes = []
    for hour, count in sorted(by_hour.items()):
        if count < settings.spike_min:
            continue
        start = datetime.strptime(hour, "%Y-%m-%d %H")
        if start - first_hour < timedelta(days=settings.baseline_days):
            continue  # not enough history for a baseline yet
        index = _hour_index(hour)
        baseline = [by_index.get(index - h, 0) for h in range(1, window + 1)]
        mean = sum(baseline) / window
        std = (sum((x - mean) ** 2 for x in baseline) / window) ** 0.5
        z = (count - mean) / max(std, 1.0)
        if z >= settings.spike_z:
            spikes.append({"start": start, "hour_utc": hour, "negatives": count, "baseline_mean": round(mean, 3),
                           "baseline_std": round(std, 3), "z": round(z, 2)})
    return spikes


def _episodes(hours: list[dict]) -> list[list[dict]]:
    """Spike hours closer than SPIKE_EPISODE_GAP to the one before belong to one episode."""
    episodes: list[list[dict]] = []
    for hour in hours:
        if episodes and hour["start"] <= episodes[-1][-1]["start"] + HOUR + SPIKE_EPISODE_GAP:
            episodes[-1].append(hour)
        else:
            episodes.append([hour])
    return episodes


def _record_episode(session: Session, *, account_id: int, episode: list[dict], recorded: list[Crisis],
                    settings: CrisisSettings, now: datetime) -> Crisis | None:
    """Open a crisis for an episode no recorded spike is near; otherwise the first recorded one near it
    takes the episode in (its window widened, the hours and comments it lacks added), so an import that
    brings the same data again changes nothing. Returns the crisis opened, if any."""
    start, end = episode[0]["start"], episode[-1]["start"] + HOUR
    comments: list[tuple[int | None, int]] = []
    for hour in episode:
        comments += session.execute(select(InboxItem.note_id, InboxItem.source_id).where(
            InboxItem.channel == "comment", InboxItem.sentiment == "negative", InboxItem.account_id == account_id,
            InboxItem.received_at >= hour["start"], InboxItem.received_at < hour["start"] + HOUR)
            .order_by(InboxItem.received_at, InboxItem.id)).all()
    numbers = [{k: v for k, v in hour.items() if k != "start"} for hour in episode]
    near = [c for c in recorded if c.window_start is not None and c.window_end is not None
            and c.window_start <= end + SPIKE_EPISODE_GAP and start <= c.window_end + SPIKE_EPISODE_GAP]
    if not near:
        evidence = {"method": f"z-score of negative comments per hour against the trailing "
                              f"{settings.baseline_days} days (std floor 1)", **numbers[0]}
        if len(numbers) > 1:
            evidence["episode_hours"] = [_hour_summary(h) for h in numbers[1:]]
        notes = {note for note, _ in comments if note}
        return _open(session, account_id=account_id, note_id=notes.pop() if len(notes) == 1 else None,
                     trigger="negative_spike", now=now, window=(start, end), evidence=evidence,
                     comment_ids=[c for _, c in comments])
    crisis = near[0]
    known = set(session.scalars(select(CrisisEvidence.comment_id).where(
        CrisisEvidence.crisis_id.in_([c.id for c in near]))))
    fresh = [c for c in dict.fromkeys(c for _, c in comments) if c not in known]
    if fresh:
        session.execute(insert(CrisisEvidence), [{"crisis_id": crisis.id, "comment_id": c} for c in fresh])
    crisis.window_start, crisis.window_end = min(crisis.window_start, start), max(crisis.window_end, end)
    evidence = orjson.loads(crisis.evidence)
    seen = {evidence.get("hour_utc")}
    more = []
    for hour in evidence.pop("later_hours", []) + evidence.get("episode_hours", []) + numbers:
        if hour["hour_utc"] not in seen:
            seen.add(hour["hour_utc"])
            more.append(_hour_summary(hour))
    if more:
        evidence["episode_hours"] = sorted(more, key=lambda h: h["hour_utc"])
    written = orjson.dumps(evidence).decode()
    if written != crisis.evidence:
        crisis.evidence = written
    session.flush()
    return None


def _hour_summary(hour: dict) -> dict:
    return {k: hour[k] for k in ("hour_utc", "negatives", "z")}


def _hour_index(hour: str) -> int:
    """"2026-10-15 03" as hours since the epoch, so a baseline is a run of integer keys."""
    return int(datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=UTC).timestamp()) // 3600


def _flagged_threads(session: Session, settings: CrisisSettings, now: datetime) -> int:
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
