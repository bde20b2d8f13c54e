"""Writing raw web API payloads as the `xhs` SDK returns them (`formats/xhs-api.md`): comment pages
with embedded replies, a sub-comment page, mention notifications (seconds!) and the brand's DMs."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import orjson

from fandesk.demo import phrases as P
from fandesk.demo.mediacrawler import Written
from fandesk.demo.world import DAY_MS, HOUR_MS, Actor, Comment, Ids, Note, Person, World, local_hour

EMBEDDED_REPLIES = 3
PAGE_SIZE = 10


def envelope(data) -> dict:
    return {"code": 0, "success": True, "msg": "成功", "data": data}


def write_payload(path: Path, payload) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps(payload, option=orjson.OPT_INDENT_2))


class ApiWriter:
    def __init__(self, rng: random.Random, ids: Ids, book: P.Phrasebook, world: World, written: Written,
                 out_dir: Path, capture_ms: int):
        self.rng, self.ids, self.book, self.world = rng, ids, book, world
        self.written, self.out_dir, self.capture_ms = written, out_dir, capture_ms
        self.tokens: dict[str, str] = {}

    def _token(self, actor: Actor) -> str:
        if actor.user_id not in self.tokens:
            self.tokens[actor.user_id] = self.ids.token()
        return self.tokens[actor.user_id]

    def _user(self, actor: Actor, at_ms: int, *, key: str = "user_id", token: bool = True) -> dict:
        self.written.actor(actor)
        info = {key: actor.user_id, "nickname": actor.nickname_at(at_ms), "image": actor.avatar}
        if token:
            info["xsec_token"] = self._token(actor)
        return info

    # --- comments -------------------------------------------------------------------------------
    def _comment(self, comment: Comment, *, reply: bool) -> dict:
        author = comment.author
        item = {
            "id": comment.comment_id, "note_id": comment.note.note_id, "content": comment.text,
            "user_info": self._user(author, comment.created_ms), "create_time": comment.created_ms,
            "like_count": str(comment.like_count + comment.late_likes), "liked": False,
        }
        if author.ip_location:
            item["ip_location"] = author.ip_location
        item["status"] = comment.status
        item["show_tags"] = ["is_author"] if author is comment.note.author else []
        item["at_users"] = [{"user_id": a.user_id, "nickname": a.nickname_at(comment.created_ms),
                             "xsec_token": self._token(a)} for a in comment.at_users]
        if comment.pictures:
            item["pictures"] = [{"height": 1440, "width": 1080, "url_pre": url.replace("mw_1", "prv_1"),
                                 "url_default": url} for url in comment.pictures]
        if reply:
            target = comment.parent
            item["target_comment"] = {"id": target.comment_id,
                                      "user_info": self._user(target.author, comment.created_ms)}
        self.written.comment(comment)
        return item

    def _thread(self, root: Comment) -> list[Comment]:
        replies: list[Comment] = []
        stack = list(reversed(root.children))
        while stack:
            node = stack.pop()
            if node.created_ms < self.capture_ms:
                replies.append(node)
            stack.extend(reversed(node.children))
        return sorted(replies, key=lambda c: (c.created_ms, c.comment_id))

    def comment_pages(self, note: Note, pages: int, envelopes: list[bool]) -> tuple[list[Path], Comment | None]:
        """A note's top-level comments, page by page, each with its first replies embedded.
        Returns the files and the root whose replies did not fit (for a sub-comment page)."""
        tops = [c for c in note.comments if c.parent is None and c.created_ms < self.capture_ms]
        # the platform's default order: hot first (long threads, many likes), then newest
        tops.sort(key=lambda c: (-(c.like_count + 5 * len(self._thread(c))), -c.created_ms, c.comment_id))
        paths, overflow = [], None
        for page in range(pages):
            chunk = tops[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
            items = []
            for root in chunk:
                thread = self._thread(root)
                item = self._comment(root, reply=False)
                shown = thread[:EMBEDDED_REPLIES]
                item.update(sub_comment_count=str(len(thread)),
                            sub_comments=[self._comment(r, reply=True) for r in shown],
                            sub_comment_cursor=shown[-1].comment_id if shown else "",
                            sub_comment_has_more=len(thread) > len(shown))
                if len(thread) > EMBEDDED_REPLIES and (overflow is None or len(thread) > len(self._thread(overflow))):
                    overflow = root
                items.append(item)
            data = {"comments": items, "cursor": chunk[-1].comment_id if chunk else "",
                    "has_more": len(tops) > (page + 1) * PAGE_SIZE, "time": self.capture_ms,
                    "user_id": self.world.brand.user_id, "xsec_token": note.xsec_token}
            path = self.out_dir / f"comments_page_{note.note_id}_{page + 1}.json"
            write_payload(path, envelope(data) if envelopes[page] else data)
            paths.append(path)
        return paths, overflow

    def sub_comment_page(self, root: Comment) -> Path:
        rest = self._thread(root)[EMBEDDED_REPLIES:EMBEDDED_REPLIES + 20]
        data = {"comments": [self._comment(r, reply=True) for r in rest], "cursor": rest[-1].comment_id,
                "has_more": len(self._thread(root)) > EMBEDDED_REPLIES + 20, "time": self.capture_ms,
                "user_id": self.world.brand.user_id}
        path = self.out_dir / f"sub_comments_{root.comment_id}.json"
        write_payload(path, envelope(data))
        return path

    # --- mentions -------------------------------------------------------------------------------
    def _message(self, kind: str, title: str, actor: Actor, at_ms: int, note: Note | None,
                 comment: Comment | None, *, note_id: str | None = None, text: str = "") -> dict:
        item_note = {"id": note.note_id if note else note_id, "type": "note_info",
                     "image": note.images[0] if note else self.ids.image_url(at_ms),
                     "link": f"https://www.xiaohongshu.com/explore/{note.note_id if note else note_id}"}
        if note is not None:
            item_note["user_info"] = self._user(note.author, at_ms, key="userid", token=False)
        message = {"id": self.ids.object_id(at_ms), "type": kind, "title": title, "time": at_ms // 1000,
                   "user_info": {**self._user(actor, at_ms, key="userid", token=False),
                                 "red_official_verify_type": 0},
                   "item_info": item_note}
        if kind != "mention/item":
            info = {"id": comment.comment_id if comment else self.ids.object_id(at_ms),
                    "content": comment.text if comment else text,
                    "like_count": comment.like_count + comment.late_likes if comment else 0, "liked": False,
                    "illegal_info": {"status": 0, "desc": ""}}
            if comment is not None and comment.parent is not None and comment.parent.author is self.world.brand:
                target = comment.parent
                info["target_comment"] = {"id": target.comment_id, "content": target.text,
                                          "user_info": self._user(target.author, at_ms, key="userid", token=False)}
            message["comment_info"] = info
        message.update(score=at_ms // 1000 * 1000 + self.rng.randrange(1000), time_flag=0)
        return message

    def mentions(self, days: int = 3, per_page: int = 50) -> list[Path]:
        """The brand's notifications of the last days, newest first: comments on its notes, replies to
        its replies, @-mentions in comments anywhere (some on notes nobody crawled) and in UGC posts."""
        brand, since = self.world.brand, self.capture_ms - days * DAY_MS
        events: list[tuple[int, dict]] = []
        for comment in self.world.comments:
            if not since <= comment.created_ms < self.capture_ms or comment.is_ours:
                continue
            if brand in comment.at_users:
                kind, title = "mention/comment", "在评论中@了你"
            elif comment.parent is not None and comment.parent.author is brand:
                kind, title = "comment/comment", "回复了我的评论"
            elif comment.parent is None and comment.note.author is brand:
                kind, title = "comment/item", "评论了你的笔记"
            else:
                continue
            events.append((comment.created_ms, self._message(kind, title, comment.author, comment.created_ms,
                                                             comment.note, comment)))
        people = [p for p in self.world.people if p.follows_account("brand") and p.kind != "spammer"]
        for _ in range(6):  # on other people's notes, which no crawl covered
            person = self.rng.choice(people)
            at_ms = self.capture_ms - self.rng.randrange(days * DAY_MS)
            text = self.book.comment("brand_tag")
            events.append((at_ms, self._message("mention/comment", "在评论中@了你", person, at_ms, None, None,
                                                note_id=self.ids.object_id(at_ms - DAY_MS), text=text)))
        for note in self.world.notes:
            if note.kind == "ugc" and since <= note.created_ms < self.capture_ms and "@" + P.BRAND_NAME in note.desc:
                events.append((note.created_ms, self._message("mention/item", "在笔记中@了你", note.author,
                                                              note.created_ms, note, None)))
        events.sort(key=lambda e: (-e[0], e[1]["id"]))
        pages = [events[start:start + per_page] for start in range(0, len(events), per_page)]
        paths = []
        for number, page in enumerate(pages, start=1):
            chunk = [message for _, message in page]
            data = {"message_list": chunk, "has_more": number < len(pages), "cursor": int(chunk[-1]["score"])}
            path = self.out_dir / f"mentions_{number}.json"
            write_payload(path, envelope(data) if number % 2 else data)
            paths.append(path)
        self.mention_count = len(events)
        return paths


@dataclass
class DmThread:
    person: Person
    kind: str
    messages: list[tuple[int, str, str]]  # (ms, "f" follower | "b" brand, text)
    omit_sender: bool = False


def plan_dms(rng: random.Random, book: P.Phrasebook, world: World, angry: list[Person], capture_ms: int,
             order_ids: dict[int, str]) -> list[DmThread]:
    """~100 brand conversations: crisis victims, shipping and returns, partners, inner-circle applications."""
    brand_comments: dict[int, list[Comment]] = {}
    for comment in world.comments:
        if isinstance(comment.author, Person) and comment.note.account is world.brand:
            brand_comments.setdefault(comment.author.index, []).append(comment)

    def by_topic(topics: tuple[str, ...]) -> list[Person]:
        found = {c.author.index: c.author for cs in brand_comments.values() for c in cs if c.topic in topics}
        return [found[k] for k in sorted(found)]

    plan = [("crisis", [p for p in angry if p.index in brand_comments], 20),
            ("shipping", by_topic(("shipping",)), 18), ("returns", by_topic(("returns", "complaint")), 12),
            ("partnership", [p for p in world.people if p.kind == "partner"], 10),
            ("inner_circle", [p for p in world.people if p.kind == "super_fan" and p.follows_account("brand")], 10),
            ("question", by_topic(("question",)), 15), ("thanks", by_topic(("praise",)), 6),
            ("spam", [p for p in world.people if p.kind == "spammer"], 4), ("unanswered", by_topic(("question",)), 6)]
    threads, used = [], set()
    for kind, pool, wanted in plan:
        pool = [p for p in pool if p.index not in used]
        for person in rng.sample(pool, min(wanted, len(pool))):
            used.add(person.index)
            comments = [c for c in brand_comments.get(person.index, []) if c.created_ms < capture_ms - DAY_MS]
            if comments:
                start = rng.choice(comments).created_ms + rng.randrange(10 * 60_000, 3 * HOUR_MS)
            else:
                start = rng.randrange(world.start_ms, capture_ms - 2 * DAY_MS)
            if kind == "unanswered":
                start = capture_ms - rng.randrange(2 * HOUR_MS, 20 * HOUR_MS)
            moment, messages = start, []
            order = order_ids.get(person.index) or str(rng.randrange(10**15, 10**16))
            for who, template in P.DM_SCRIPTS[kind]:
                if who == "b":
                    moment += int(rng.lognormvariate(0.8, 1.1) * HOUR_MS)
                    if local_hour(moment) < 9:
                        moment += (9 - local_hour(moment)) * HOUR_MS
                else:
                    moment += rng.randrange(30_000, 2 * HOUR_MS)
                if moment >= capture_ms:
                    break
                text = book.dm(template, order=order, tracking=rng.randrange(10**11, 10**12),
                               product=P.CRISIS_PRODUCT if kind == "crisis" else None, skin=person.skin_type,
                               concern=person.concerns[0])
                messages.append((moment, who, text))
            if messages:
                threads.append(DmThread(person, kind, messages, omit_sender=rng.random() < 0.15))
    return threads


def write_dms(api: ApiWriter, threads: list[DmThread]) -> tuple[list[Path], int]:
    """The conversation list (with the envelope) and one history file per follower (a bare list)."""
    brand = api.world.brand
    flat = sorted(((ms, i, j) for i, t in enumerate(threads) for j, (ms, _, _) in enumerate(t.messages)))
    store_ids = {(i, j): str(7_300_000_000 + n * 17 + api.rng.randrange(17)) for n, (_, i, j) in enumerate(flat)}
    paths, boxes, total = [], [], 0
    for i, thread in enumerate(threads):
        person = thread.person
        history = []
        for j, (ms, who, text) in enumerate(thread.messages):
            ours = who == "b"
            message = {"created_at": ms, "content": text,
                       "message_type": "IMAGE" if text == "[图片]" else "TEXT", "store_id": store_ids[(i, j)]}
            if text == "[图片]":
                message["content"] = api.ids.image_url(ms, "comment")
            if not (ours and thread.omit_sender):  # some captures leave out our own sender id
                message["sender_id"] = brand.user_id if ours else person.user_id
            message["receiver_id"] = person.user_id if ours else brand.user_id
            history.append(message)
        total += len(history)
        path = api.out_dir / f"dm_history_{person.user_id}.json"
        write_payload(path, history)
        paths.append(path)
        api.written.actor(person)
        last = thread.messages[-1]
        last_store = store_ids[(i, len(thread.messages) - 1)]
        unread = last[1] == "f" and api.capture_ms - last[0] < 2 * DAY_MS
        boxes.append((last[0], {
            "user_id": person.user_id, "nickname": person.nickname_at(last[0]), "avatar": person.avatar,
            "last_msg_content": history[-1]["content"], "last_msg_ts": last[0], "last_store_id": last_store,
            "view_store_id": (store_ids[(i, len(thread.messages) - 2)] if len(thread.messages) > 1 else "0")
            if unread else last_store,
            "label": {"partnership": "合作", "crisis": "售后", "returns": "售后", "inner_circle": "核心圈"}.get(
                thread.kind, ""),
        }))
    boxes.sort(key=lambda b: -b[0])
    data = {"chatbox_list": [b for _, b in boxes], "next_query_ts": boxes[-1][0] if boxes else 0}
    conversations = api.out_dir / "dm_conversations.json"
    write_payload(conversations, envelope(data))
    return [conversations, *paths], total

