"""One human is one person, whichever MediaCrawler generation saw them first, and masked nicknames
are masks: the crawl of fixtures/make_fixtures.py, classic (2026-03) and teaching edition (2026-07)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import insert, text

from fandesk.content.models import DmConversation, DmMessage
from fandesk.people.models import Person, PersonTag
from tests.ingest.fixtures import make_fixtures as crawl
from tests.ingest.helpers import add_fixture_accounts, rows, scalar

CLASSIC = "data/xhs/jsonl/creator_{}_2026-03-10.jsonl"
TEACHING = "data/xhs/jsonl/creator_{}_2026-07-15.jsonl"
# what each human wrote in both crawls together
WROTE = {crawl.BRAND: 3, crawl.TAOTAO: 3, crawl.SANSAN: 2, crawl.LU: 2, crawl.MIA: 1}


@pytest.fixture(scope="session")
def eras(tmp_path_factory):
    return crawl.build(tmp_path_factory.mktemp("mediacrawler"))


def _import(cli, folder, pattern):
    """A crawl's comments (its notes matter not here), for the account they are on."""
    result = cli("import", str(folder / pattern.format("comments")), "--account", "chengji_lab")
    assert result.exit_code == 0, result.output
    return result


def _one_person_per_human(workspace):
    people = rows(workspace, """SELECT p.person_key, p.nickname, p.nickname_masked, count(c.id) FROM person p
                                LEFT JOIN comment c ON c.person_id = p.id
                                GROUP BY p.person_key, p.nickname, p.nickname_masked ORDER BY p.person_key""")
    assert sorted(people) == sorted((f"uid:{h.user_id}", h.nickname, False, n) for h, n in WROTE.items())
    # the follower's interaction log is whole: every comment of theirs that is not ours, on one person
    log = dict(rows(workspace, "SELECT p.person_key, count(*) FROM interaction i JOIN person p ON p.id = i.person_id "
                               "GROUP BY p.person_key"))
    assert log == {f"uid:{h.user_id}": n for h, n in WROTE.items() if h is not crawl.BRAND}


def test_classic_then_teaching_edition_is_one_person_per_human(workspace, cli, eras):
    add_fixture_accounts(workspace)
    _import(cli, eras["classic"], CLASSIC)
    later = _import(cli, eras["teaching"], TEACHING)
    assert "person" not in later.output  # no one new
    _one_person_per_human(workspace)
    creator_hashes = dict(rows(workspace, "SELECT platform_user_id, creator_hash FROM person"))
    assert creator_hashes == {h.user_id: h.creator_hash for h in crawl.HUMANS}


def test_teaching_edition_first_then_classic_gives_people_their_user_id(workspace, cli, eras):
    add_fixture_accounts(workspace)
    _import(cli, eras["teaching"], TEACHING)
    assert scalar(workspace, "SELECT count(*) FROM person WHERE person_key LIKE 'hash:%'") == len(crawl.HUMANS)
    _import(cli, eras["classic"], CLASSIC)
    _one_person_per_human(workspace)
    history = rows(workspace, "SELECT nickname FROM nickname_change ORDER BY nickname")
    assert history == sorted((h.nickname,) for h in crawl.HUMANS)


def test_an_account_added_with_only_its_user_id_knows_its_teaching_edition_comments(workspace, cli, eras):
    add_fixture_accounts(workspace)  # chengji_lab: --user-id only
    _import(cli, eras["teaching"], TEACHING)
    ours = rows(workspace, "SELECT c.platform_id, a.handle FROM comment c JOIN account a ON a.id = c.account_id "
                           "WHERE c.is_ours = :t ORDER BY c.platform_id", t=True)
    assert ours == [("66b00000000000000000c002", "chengji_lab"), ("66b00000000000000000c008", "chengji_lab"),
                    ("66b00000000000000000c010", "chengji_lab")]
    # the account's own replies are not a follower's interactions, nor inbox items
    assert scalar(workspace, "SELECT count(*) FROM interaction i JOIN person p ON p.id = i.person_id "
                             "WHERE p.creator_hash = :h", h=crawl.BRAND.creator_hash) == 0


def test_short_masked_nicknames_are_masks(workspace, cli, eras):
    """The teaching edition masks 2 characters as first + *, 1 as *: not nicknames to keep."""
    add_fixture_accounts(workspace)
    _import(cli, eras["teaching"], TEACHING)
    people = dict((key, (nickname, bool(masked))) for key, nickname, masked in rows(
        workspace, "SELECT person_key, nickname, nickname_masked FROM person"))
    assert people[f"hash:{crawl.SANSAN.creator_hash}"] == ("三*", True)
    assert people[f"hash:{crawl.LU.creator_hash}"] == ("*", True)
    assert people[f"hash:{crawl.TAOTAO.creator_hash}"] == ("桃***桃", True)
    assert rows(workspace, "SELECT nickname FROM nickname_change") == []
    _import(cli, eras["classic"], CLASSIC)
    names = dict(rows(workspace, "SELECT platform_user_id, nickname FROM person"))
    assert names[crawl.SANSAN.user_id] == "三三" and names[crawl.LU.user_id] == "鹿"
    assert "三*" not in {n for (n,) in rows(workspace, "SELECT nickname FROM nickname_change")}


def _split_like_an_older_fandesk(workspace) -> int:
    """What fandesk left before people were joined across generations, after a classic then a teaching
    import: people known by user id had no creator_hash, and each human had a second person, keyed by
    hash, holding what only the teaching edition brought (its new comments with their interactions and
    inbox items). One of those also has a tag (one the first person has too) and a DM conversation with
    the same account as the first person's."""
    later = [row[0] for row in crawl.LATER_COMMENTS]
    made = 0
    with workspace.engine.begin() as conn:
        account = conn.execute(text("SELECT id FROM account WHERE handle = 'chengji_lab'")).scalar()
        people = conn.execute(text("SELECT id, creator_hash, nickname FROM person")).all()
        next_id = conn.execute(text("SELECT max(id) FROM person")).scalar() + 100
        for pid, creator_hash, nickname in people:
            twin = next_id + made
            made += 1
            conn.execute(insert(Person.__table__).values(id=twin, person_key=f"hash:{creator_hash}",
                                                         creator_hash=creator_hash, nickname=f"{nickname[0]}*",
                                                         nickname_masked=True))
            moved = [cid for (cid,) in conn.execute(text("SELECT id FROM comment WHERE person_id = :p"),
                                                    {"p": pid}).all()
                     if conn.execute(text("SELECT platform_id FROM comment WHERE id = :c"), {"c": cid}).scalar()
                     in later]
            for cid in moved:
                conn.execute(text("UPDATE comment SET person_id = :t WHERE id = :c"), {"t": twin, "c": cid})
                conn.execute(text("UPDATE inbox_item SET person_id = :t WHERE channel = 'comment' AND source_id = :c"),
                             {"t": twin, "c": cid})
            conn.execute(text("UPDATE interaction SET person_id = :t WHERE person_id = :p AND source_ref IN "
                              f"({', '.join(repr(f'comment:{c}') for c in later)})"), {"t": twin, "p": pid})
            if nickname == crawl.TAOTAO.nickname:
                for person, tag in ((pid, "VIP"), (twin, "VIP"), (twin, "回购")):
                    conn.execute(insert(PersonTag.__table__).values(account_id=account, person_id=person, tag=tag))
                for person, store_id in ((pid, "1"), (twin, "2")):
                    conversation = conn.execute(insert(DmConversation.__table__).values(
                        account_id=account, person_id=person).returning(DmConversation.id)).scalar()
                    conn.execute(insert(DmMessage.__table__).values(
                        conversation_id=conversation, platform_id=store_id, is_ours=False, text=f"消息{store_id}",
                        created_at=datetime(2026, 7, 1, 12, int(store_id))))
        conn.execute(text("UPDATE person SET creator_hash = NULL WHERE person_key LIKE 'uid:%'"))
    return made


def test_people_an_older_fandesk_split_are_merged_on_the_next_import(workspace, cli, eras):
    add_fixture_accounts(workspace)
    _import(cli, eras["classic"], CLASSIC)
    _import(cli, eras["teaching"], TEACHING)
    split = _split_like_an_older_fandesk(workspace)
    assert scalar(workspace, "SELECT count(*) FROM person") == 2 * len(crawl.HUMANS) == 2 * split
    inbox = "SELECT count(*), count(DISTINCT person_id) FROM inbox_item WHERE channel = 'comment'"
    inbox_before = rows(workspace, inbox)

    # any import joins them again
    _import(cli, eras["teaching"], TEACHING)
    _one_person_per_human(workspace)
    taotao = f"uid:{crawl.TAOTAO.user_id}"
    assert rows(workspace, "SELECT t.tag FROM person_tag t JOIN person p ON p.id = t.person_id "
                           "WHERE p.person_key = :k ORDER BY t.tag", k=taotao) == [("VIP",), ("回购",)]
    assert rows(workspace, """SELECT count(DISTINCT c.id), count(m.id) FROM dm_conversation c
                              JOIN dm_message m ON m.conversation_id = c.id JOIN person p ON p.id = c.person_id
                              WHERE p.person_key = :k""", k=taotao) == [(1, 2)]
    inbox_after = rows(workspace, inbox)
    assert inbox_after[0][0] == inbox_before[0][0] and inbox_after[0][1] < inbox_before[0][1]
    assert scalar(workspace, "SELECT count(*) FROM inbox_item WHERE person_id NOT IN (SELECT id FROM person)") == 0
    # each merge is in the audit log, with both keys
    merges = rows(workspace, "SELECT object_id, before, after FROM audit_event WHERE action = 'person.merge'")
    assert len(merges) == split
    gone = {json.loads(before)["person_key"] for _, before, _ in merges}
    assert gone == {f"hash:{h.creator_hash}" for h in crawl.HUMANS}
    assert {json.loads(after)["person_key"] for _, _, after in merges} == {f"uid:{h.user_id}" for h in crawl.HUMANS}
    # and once joined, there is nothing more to do
    _import(cli, eras["teaching"], TEACHING)
    assert scalar(workspace, "SELECT count(*) FROM audit_event WHERE action = 'person.merge'") == split
