"""Writing mentions and direct messages (a mixin of ImportWriter)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import insert, select, update

from fandesk.content.models import DmConversation, DmMessage, Mention
from fandesk.ingest.check import dm_follower, names_no_follower, needs_account, needs_account_user_id
from fandesk.ingest.values import ms_to_datetime
from fandesk.people.identity import author as person
from fandesk.workspace.models import Account


class MessageRows:
    def _write_mentions(self, batch: list[tuple[str, dict]]) -> None:
        batch = self._latest(batch)
        self._people([r["author"] for _, r in batch if r["author"]])
        rows = []
        for where, r in batch:
            account = self.accounts.default
            if account is None:
                self.reject(where, needs_account(self.file, where, "mention"), "mention")
                continue
            rows.append({"platform_id": r["platform_id"], "account_id": account.id,
                         "person_id": self.person_ids[r["author"]["key"]] if r["author"] else None,
                         "kind": r["mention_kind"], "title": r["title"], "text": r["text"],
                         "note_platform_id": r["note_platform_id"], "comment_platform_id": r["comment_platform_id"],
                         "target_comment_platform_id": r["target_comment_platform_id"],
                         "target_text": r["target_text"], "created_at": ms_to_datetime(r["created_ms"]),
                         "fingerprint": r["fingerprint"], "raw": r["raw"], "import_id": self.import_id})
        existing = self._existing(Mention.__table__, [r["platform_id"] for r in rows])
        self._upsert(Mention.__table__, "mention", rows, existing, keep=("import_id",))

    def _conversation_id(self, account: Account, person_id: int) -> int:
        found = self.conn.execute(select(DmConversation.id).where(
            DmConversation.account_id == account.id, DmConversation.person_id == person_id)).scalar()
        if found is None:
            found = self.conn.execute(insert(DmConversation).values(account_id=account.id, person_id=person_id)
                                      .returning(DmConversation.id)).scalar_one()
            self.counts["dm_conversation"]["new"] += 1
        return found

    def _write_dm_conversations(self, batch: list[tuple[str, dict]]) -> None:
        self._people([r["author"] for _, r in batch])
        for where, r in batch:
            account = self.accounts.default
            if account is None:
                self.reject(where, needs_account(self.file, where, "dm_conversation"), "dm_conversation")
                continue
            conv = self._conversation_id(account, self.person_ids[r["author"]["key"]])
            values = {"last_message_at": ms_to_datetime(r["last_ms"]) if r["last_ms"] else None,
                      "last_message_text": r["last_text"], "label": r["label"], "raw": r["raw"]}
            self.conn.execute(update(DmConversation).where(DmConversation.id == conv).values(**values))

    def _write_dm_messages(self, batch: list[tuple[str, dict]]) -> None:
        account = self.accounts.default
        if account is None or not account.platform_user_id:
            for where, _ in batch:
                self.reject(where, needs_account_user_id(self.file, where), "dm_message")
            return
        ours = account.platform_user_id
        by_follower: dict[str, list[tuple[str, dict]]] = defaultdict(list)
        # the followers the account wrote to in the whole file (the first pass found them); without it,
        # in this batch
        followers = self.dm_followers if self.dm_followers is not None else {
            r["receiver_id"] for _, r in batch if r["receiver_id"] != ours}
        for where, r in batch:
            follower = dm_follower(r, ours=ours, followers=followers)
            if not follower:
                self.reject(where, names_no_follower(self.file, where), "dm_message")
                continue
            by_follower[follower].append((where, r))
        for follower, items in by_follower.items():
            author = person(user_id=follower,
                            seen_ms=max(r["created_ms"] for _, r in items if r["receiver_id"] == ours)
                            if any(r["receiver_id"] == ours for _, r in items) else None)
            self._people([author])
            conv = self._conversation_id(account, self.person_ids[author["key"]])
            rows = [{"conversation_id": conv, "platform_id": r["platform_id"], "is_ours": r["receiver_id"] != ours,
                     "sender_platform_id": r["sender_id"], "receiver_platform_id": r["receiver_id"],
                     "message_type": r["message_type"], "text": r["text"],
                     "created_at": ms_to_datetime(r["created_ms"]), "fingerprint": r["fingerprint"],
                     "raw": r["raw"], "import_id": self.import_id} for _, r in self._latest(items)]
            existing = self._existing(DmMessage.__table__, [r["platform_id"] for r in rows],
                                      scope=DmMessage.conversation_id == conv)
            self._upsert(DmMessage.__table__, "dm_message", rows, existing, keep=("import_id",))

