"""Writing spreadsheet rows: people matched by user id (or, failing that, by a unique nickname),
their custom fields, purchases, referrals, survey answers and costs, each logged as an interaction."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update

from fandesk.db import insert_ignore
from fandesk.ingest.values import ms_to_datetime
from fandesk.people.models import Interaction, Person, PersonField, Purchase, Referral, SurveyAnswer
from fandesk.workspace.models import Cost


class SheetRows:
    """Mixin for ImportWriter: one `_write_<kind>s` per sheet record kind."""

    def _match_nicknames(self, authors: list[dict]) -> None:
        """A sheet without user ids names people by nickname: use the one person with it, if unique."""
        for author in authors:
            if not author.get("by_nickname") or author["key"] in self.person_ids:
                continue
            found = self.conn.execute(select(Person.id).where(Person.nickname == author["nickname"]).limit(2)).all()
            if len(found) == 1:
                self.person_ids[author["key"]] = found[0][0]

    def _sheet_people(self, authors: list[dict]) -> None:
        authors = [a for a in authors if a]
        self._match_nicknames(authors)
        self._people(authors)

    def _log(self, rows: list[dict]) -> None:
        if rows:
            self.conn.execute(insert_ignore(self.session, Interaction.__table__), rows)

    def _write_followers(self, batch) -> None:
        """Custom fields set (or changed) and a `followed` event once per person; counted honestly so a
        re-import of the same sheet says unchanged."""
        self._sheet_people([r["author"] for _, r in batch])
        account = self.accounts.default
        pids = list({self.person_ids[r["author"]["key"]] for _, r in batch})
        fields: dict[tuple[int, str], str | None] = {}
        followed: set[int] = set()
        for start in range(0, len(pids), 900):
            chunk = pids[start:start + 900]
            fields.update({(p, n): v for p, n, v in self.conn.execute(
                select(PersonField.person_id, PersonField.name, PersonField.value).where(
                    PersonField.account_id == account.id, PersonField.person_id.in_(chunk)))})
            followed.update(self.conn.scalars(select(Interaction.person_id).where(
                Interaction.account_id == account.id, Interaction.kind == "followed",
                Interaction.person_id.in_(chunk))))
        events = []
        for _, r in batch:
            pid = self.person_ids[r["author"]["key"]]
            known = pid in followed or any(key[0] == pid for key in fields)
            changed = False
            for name, value in r["custom"].items():
                if (pid, name) not in fields:
                    self.conn.execute(insert(PersonField).values(account_id=account.id, person_id=pid, name=name,
                                                                 value=value))
                    changed = True
                elif fields[(pid, name)] != value:
                    self.conn.execute(update(PersonField).where(
                        PersonField.account_id == account.id, PersonField.person_id == pid,
                        PersonField.name == name).values(value=value))
                    changed = True
                fields[(pid, name)] = value
            if r["followed_ms"] and pid not in followed:
                events.append({"account_id": account.id, "person_id": pid, "kind": "followed",
                               "occurred_at": ms_to_datetime(r["followed_ms"]), "source_ref": f"follow:{pid}"})
                followed.add(pid)
                changed = True
            self.counts["follower"]["updated" if known and changed else "new" if not known else "unchanged"] += 1
        self._log(events)

    def _write_purchases(self, batch) -> None:
        self._sheet_rows(batch, Purchase.__table__, "purchase", "order_ref", lambda r, pid: {
            "person_id": pid, "product": r["product"], "amount": r["amount"],
            "purchased_at": ms_to_datetime(r["at_ms"]) if r["at_ms"] else None}, "purchased", amount="amount")

    def _write_referrals(self, batch) -> None:
        self._sheet_people([r["referred"] for _, r in batch if r["referred"]])

        def values(r, pid):
            referred = self.person_ids.get(r["referred"]["key"]) if r["referred"] else None
            return {"referrer_id": pid, "referred_id": referred, "revenue": r["revenue"],
                    "referred_at": ms_to_datetime(r["at_ms"]) if r["at_ms"] else None}

        self._sheet_rows(batch, Referral.__table__, "referral", "row_key", values, "referred", amount="revenue")

    def _write_survey_answers(self, batch) -> None:
        self._sheet_rows(batch, SurveyAnswer.__table__, "survey_answer", "row_key", lambda r, pid: {
            "person_id": pid, "satisfaction": r["satisfaction"], "nps": r["nps"], "answer_text": r["answer"],
            "answered_at": ms_to_datetime(r["at_ms"]) if r["at_ms"] else None}, "answered_survey")

    def _write_costs(self, batch) -> None:
        # the day in the account's zone: a month "2026-07" read in Asia/Shanghai is 30 June 16:00 UTC
        zone = ZoneInfo(self.accounts.default.time_zone or "UTC")
        self._sheet_rows(batch, Cost.__table__, "cost", "row_key", lambda r, pid: {
            "category": r["category"], "amount": r["amount"], "hours": r["hours"], "description": r["note"],
            "incurred_on": ms_to_datetime(r["at_ms"]).replace(tzinfo=UTC).astimezone(zone).date()
            if r["at_ms"] else None}, None)

    def _sheet_rows(self, batch, table, kind: str, key_column: str, values, event: str | None,
                    amount: str | None = None) -> None:
        """Insert rows not seen before (by their key within the account); log each as an interaction."""
        self._sheet_people([r.get("author") for _, r in batch])
        account = self.accounts.default
        keys = [r["platform_id"] for _, r in batch]
        existing = set()
        for start in range(0, len(keys), 900):
            existing.update(self.conn.scalars(select(table.c[key_column]).where(
                table.c.account_id == account.id, table.c[key_column].in_(keys[start:start + 900]))))
        rows, events, seen = [], [], set()
        for _, r in batch:
            key = r["platform_id"]
            if key in existing or key in seen:
                self.counts[kind]["unchanged"] += 1
                continue
            seen.add(key)
            pid = self.person_ids[r["author"]["key"]] if r.get("author") else None
            rows.append({"account_id": account.id, key_column: key, "raw": r["raw"], **values(r, pid)})
            if event and pid is not None and r.get("at_ms"):
                events.append({"account_id": account.id, "person_id": pid, "kind": event,
                               "occurred_at": ms_to_datetime(r["at_ms"]), "source_ref": f"{kind}:{key}",
                               "amount": r.get(amount) if amount else None})
        if rows:
            self.conn.execute(insert(table), rows)
            self.counts[kind]["new"] += len(rows)
        self._log(events)
