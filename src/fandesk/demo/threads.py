"""Comment threads: who comments where and when, who replies to whom, how fast the accounts answer,
and the launch whose comment section turns against the brand within two days."""

from __future__ import annotations

import math
import random

from fandesk.demo import phrases as P
from fandesk.demo.world import (
    DAY_MS,
    HOUR_MS,
    Account,
    Actor,
    Comment,
    Ids,
    Note,
    NotePicker,
    Person,
    World,
    local_hour,
    sample_active_time,
)

TOPICS_BY_NOTE = {
    "brand": {"question": 26, "praise": 22, "casual": 15, "complaint": 7, "shipping": 3.5, "price": 4.5,
              "returns": 2, "picture": 3, "english": 2, "mention": 7, "ugc": 2},
    "creator": {"question": 30, "praise": 30, "casual": 20, "complaint": 4, "price": 1, "picture": 3,
                "english": 2.5, "mention": 7, "brand_tag": 2.5},
    "ugc": {"praise": 35, "question": 20, "casual": 15, "ugc": 12, "mention": 6, "brand_tag": 10, "picture": 2},
}
NEGATIVE_TOPICS = ("complaint", "shipping", "price", "returns", "crisis", "abuse")
REPLY_CHANCE = {"question": .75, "complaint": .85, "crisis": .55, "shipping": .8, "price": .6, "returns": .85,
                "partnership": .7, "praise": .35, "casual": .12, "ugc": .5, "mention": .03, "english": .5,
                "picture": .2, "brand_tag": .6, "spam": 0.0, "abuse": .1, "reply": .08}
FOLLOW_UP_TOPICS = ("question", "complaint", "shipping", "returns", "crisis", "price")


class ThreadSimulator:
    def __init__(self, rng: random.Random, ids: Ids, book: P.Phrasebook, world: World, latest_ms: int):
        self.rng, self.ids, self.book, self.world = rng, ids, book, world
        self.latest_ms = latest_ms  # nothing happens after the last capture
        self.friends: dict[int, list[Person]] = {}
        self.by_audience = {a: [p for p in world.people if p.audience == a] for a in ("brand", "creator", "both")}

    # --- creating one comment -----------------------------------------------------------------------
    def _topic(self, person: Person, note: Note, moment: int) -> str:
        rng = self.rng
        if person.kind == "spammer":
            return "spam"
        if person.kind == "abuser" and rng.random() < 0.8:
            return "abuse"
        if person.kind == "partner":
            return "partnership" if rng.random() < 0.8 else "praise"
        weights = dict(TOPICS_BY_NOTE[note.kind])
        if note.special == "challenge" and any(a <= moment < b + DAY_MS for a, b in self.world.challenge_windows):
            weights["ugc"] = 45
        if note.special == "crisis" and moment > self.world.crisis_start_ms + 16 * HOUR_MS:
            # once the burst starts, nobody praises the serum under the launch post any more
            weights.update(praise=2, ugc=0, casual=6, complaint=weights["complaint"] * 3, returns=10)
        if note.special == "qa":
            weights.update(question=70, complaint=10)
        if note.special == "sponsored":
            weights.update(question=35, brand_tag=6, complaint=6)
        if person.kind == "super_fan":
            weights["praise"] = weights.get("praise", 0) * 2
            weights["ugc"] = weights.get("ugc", 0) * 3
            for negative in NEGATIVE_TOPICS:
                weights[negative] = weights.get(negative, 0) * 0.3
        topics = list(weights)
        return rng.choices(topics, weights=[weights[t] for t in topics])[0]

    def _friend(self, person: Person) -> Person:
        if person.index not in self.friends:
            pool = self.by_audience[person.audience] or self.world.people
            self.friends[person.index] = [self.rng.choice(pool) for _ in range(3)]
        return self.rng.choice(self.friends[person.index])

    def _pictures(self, topic: str, moment: int) -> list[str]:
        chance = {"picture": 1.0, "ugc": 0.4, "complaint": 0.15, "crisis": 0.3, "praise": 0.05}.get(topic, 0.0)
        if self.rng.random() >= chance:
            return []
        return [self.ids.image_url(moment, "comment") for _ in range(self.rng.randint(1, 3))]

    def new_comment(self, note: Note, author: Actor, moment: int, topic: str, *, parent: Comment | None = None,
                    text: str | None = None) -> Comment:
        at_users: list[Actor] = []
        if text is None:
            person = author if isinstance(author, Person) else None
            friend = ""
            if topic == "mention" and person is not None:
                mentioned = self._friend(person)
                at_users, friend = [mentioned], mentioned.nickname_at(moment)
            text = self.book.comment(
                topic, product=note.product if note.kind != "creator" or note.special else None,
                skin=person.skin_type if person and self.rng.random() < 0.5 else None,
                concern=person.concerns[0] if person else None, friend=friend,
                creator=note.kind == "creator" and not note.special)
        if topic == "brand_tag":
            at_users = [self.world.brand]
        comment = Comment(comment_id=self.ids.object_id(moment), note=note, author=author, created_ms=moment,
                          topic=topic, text=text, pictures=self._pictures(topic, moment), parent=parent,
                          at_users=at_users)
        note.comments.append(comment)
        return comment

    # --- the whole history -------------------------------------------------------------------------
    def place_comments(self) -> None:
        """Each person comments as often as planned, inside their active months, on notes they follow."""
        picker = NotePicker(self.world.notes)
        for person in self.world.people:
            for _ in range(person.planned_comments):
                moment = sample_active_time(self.rng, person.active_from, person.active_to)
                if moment > self.latest_ms:
                    continue
                note = picker.pick(self.rng, person.audience, moment)
                if note is not None:
                    self.new_comment(note, person, moment, self._topic(person, note, moment))

    def add_crisis(self) -> list[Person]:
        """70 furious comments on the launch within 16-52 hours, then a spill-over onto other notes."""
        rng, world = self.rng, self.world
        note = world.crisis_note
        start = world.crisis_start_ms
        pool = [p for p in world.people if p.follows_account("brand") and p.kind in ("casual", "regular")]
        angry = rng.sample(pool, 85)
        for person in angry[:70]:
            self.new_comment(note, person, sample_active_time(rng, start + 16 * HOUR_MS, start + 52 * HOUR_MS),
                             "crisis")
        later = [n for n in world.notes if n.kind == "brand" and start + DAY_MS < n.created_ms < start + 12 * DAY_MS]
        for person in angry[70:]:
            target = rng.choice(later)
            moment = sample_active_time(rng, target.created_ms + HOUR_MS, target.created_ms + 3 * DAY_MS)
            self.new_comment(target, person, min(moment, self.latest_ms), "crisis")
        statement = P.BRAND_REPLIES["crisis"][1].format(p=P.CRISIS_PRODUCT)
        self.new_comment(note, world.brand, start + 30 * HOUR_MS + 17 * 60_000, "statement", text=statement)
        return angry

    def build_threads(self, note: Note) -> None:
        """Turn a note's comments into threads: ~30% answer an earlier comment, often a reply itself."""
        rng = self.rng
        note.comments.sort(key=lambda c: (c.created_ms, c.comment_id))
        earlier: list[Comment] = []
        tops: list[Comment] = []
        for comment in note.comments:
            chance = 0.65 if comment.topic == "spam" else 0.3
            if comment.is_ours or comment.topic in ("mention", "brand_tag") or not earlier or rng.random() >= chance:
                tops.append(comment)
                earlier.append(comment)
                continue
            if comment.topic == "spam" or rng.random() < 0.6:
                parent = rng.choice(tops[:3] + tops[-12:])
            else:
                parent = rng.choice(earlier[-20:])
            if parent.author is comment.author:
                tops.append(comment)
                earlier.append(comment)
                continue
            comment.parent = parent
            if comment.topic == "crisis" and parent.topic != "crisis":
                pass  # an angry reply keeps its own words
            elif comment.topic not in ("spam", "abuse", "partnership") and rng.random() < 0.7:
                author = comment.author
                comment.text = self.book.reply(parent.topic, skin=getattr(author, "skin_type", None),
                                               product=note.product)
                comment.topic = "crisis" if parent.topic == "crisis" else "reply"
                if parent.parent is not None and rng.random() < 0.12:
                    comment.text = f"@{parent.author.nickname_at(comment.created_ms)} {comment.text}"
                    comment.at_users = [parent.author]
            parent.children.append(comment)
            earlier.append(comment)

    def _reply_delay(self, account: Account, moment: int) -> int:
        rng = self.rng
        median = 1.6 * HOUR_MS if account.role == "brand" else 5 * HOUR_MS
        delay = int(math.exp(rng.gauss(math.log(median), 1.0 if account.role == "brand" else 1.2)))
        answered = moment + max(delay, 3 * 60_000)
        if account.role == "brand" and local_hour(answered) < 9:
            answered += (9 - local_hour(answered)) * HOUR_MS + rng.randrange(2 * HOUR_MS)
        return answered

    def _answer(self, account: Account, note: Note, comment: Comment, topic: str) -> Comment | None:
        moment = self._reply_delay(account, comment.created_ms)
        if moment > self.latest_ms:
            return None
        author = comment.author
        if note.special == "crisis" and moment > self.world.crisis_start_ms + 16 * HOUR_MS \
                and topic not in ("casual", "followup", "mention"):
            topic = "crisis"
        text = self.book.account_reply(account.role, topic, nickname=author.nickname_at(moment),
                                       product=note.product, skin=getattr(author, "skin_type", None),
                                       concern=(getattr(author, "concerns", None) or [None])[0])
        reply = self.new_comment(note, account, moment, "account_reply", parent=comment, text=text)
        comment.children.append(reply)
        return reply

    def add_account_replies(self, note: Note) -> None:
        """The account answers a good share of comments; some followers answer back, and get answered."""
        rng = self.rng
        account = note.account
        scale = 1.0 if account.role == "brand" else 0.6
        for comment in list(note.comments):
            if comment.is_ours or rng.random() >= REPLY_CHANCE.get(comment.topic, 0.1) * scale:
                continue
            if note.kind == "ugc":
                continue
            reply = self._answer(account, note, comment, comment.topic)
            if reply is None or comment.topic not in FOLLOW_UP_TOPICS or rng.random() >= 0.3:
                continue
            moment = reply.created_ms + int(math.exp(rng.gauss(math.log(HOUR_MS), 1.0)))
            if moment > self.latest_ms:
                continue
            follow = self.new_comment(note, comment.author, moment, "followup", parent=reply,
                                      text=self.book.followup())
            reply.children.append(follow)
            if rng.random() < 0.45:
                self._answer(account, note, follow, "followup")
        if note.kind == "ugc":
            self._ugc_replies(note)
        note.comments.sort(key=lambda c: (c.created_ms, c.comment_id))

    def _ugc_replies(self, note: Note) -> None:
        """On a follower's challenge post the brand cheers once; the author thanks some commenters."""
        rng = self.rng
        if rng.random() < 0.7:
            moment = self._reply_delay(self.world.brand, note.created_ms)
            if moment <= self.latest_ms:
                self.new_comment(note, self.world.brand, moment, "ugc_cheer",
                                 text=rng.choice(["太棒了！已收录到挑战合集，继续加油💪",
                                                  "打卡成功✅ 坚持7天有机会抽正装哦",
                                                  "这篇写得好用心！已转发给小伙伴们看"]))
        for comment in list(note.comments):
            if comment.author is note.author or comment.is_ours or rng.random() >= 0.3:
                continue
            moment = comment.created_ms + rng.randrange(10 * 60_000, 10 * HOUR_MS)
            if moment <= self.latest_ms:
                reply = self.new_comment(note, note.author, moment, "reply",
                                         text=self.book.reply("praise" if comment.topic != "question" else "question"),
                                         parent=comment)
                comment.children.append(reply)

    def assign_likes(self) -> None:
        rng = self.rng
        for note in self.world.notes:
            for comment in note.comments:
                if comment.topic == "crisis":
                    likes = math.exp(rng.gauss(4.0, 1.0))
                elif comment.parent is None:
                    likes = note.popularity * math.exp(rng.gauss(0.8, 1.3))
                else:
                    likes = math.exp(rng.gauss(0.0, 1.1)) - 1
                comment.like_count = max(0, int(likes))
                comment.late_likes = rng.choice([0, 0, 1, 2, 5])
                if comment.topic == "spam" and comment.parent is not None and rng.random() < 0.6:
                    comment.status = -2
        crisis = [c for c in self.world.crisis_note.comments if c.topic == "crisis" and c.parent is None]
        if crisis:
            max(crisis, key=lambda c: c.like_count).like_count = 12_000 + rng.randrange(3_000)


def simulate(rng: random.Random, ids: Ids, book: P.Phrasebook, world: World, latest_ms: int) -> list[Person]:
    """Fill every note with its comments; returns the people who took part in the crisis."""
    simulator = ThreadSimulator(rng, ids, book, world, latest_ms)
    simulator.place_comments()
    angry = simulator.add_crisis()
    for note in world.notes:
        simulator.build_threads(note)
        simulator.add_account_replies(note)
    simulator.assign_likes()
    world.comments = sorted((c for n in world.notes for c in n.comments), key=lambda c: (c.created_ms, c.comment_id))
    return angry
