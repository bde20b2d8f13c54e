"""Common questions: group a period's questions into clusters of the same question asked in other words.

    cluster_questions(["求链接", "有链接吗[哭惹R]", "link pls", "多少钱"])
    # -> [QuestionCluster(label="求链接", count=3, ...), QuestionCluster(label="多少钱", count=1, ...)]

Rules, not a model: a question is reduced to what it asks about (stickers, emoji, mentions, greetings and
question particles go; 求链接 / 有链接吗 / link / 🔗 all become one token "链接"), then questions whose
words overlap enough (cosine of weighted character n-grams and those tokens) are joined by average
linkage, so a cluster never grows by a chain of loose neighbours. Pure: no database, no model file.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .extract import EMOJI, HASHTAG, LINK, MENTION, STICKER

SAME_QUESTION = 0.5  # cosine similarity at which two questions count as the same (see the data card)
MAX_CLUSTERED = 3000  # distinct questions clustered pairwise (memory grows with its square)
EXAMPLES = 3

# What a question asks about, written many ways -> one token. Longest spelling wins; order does not matter.
TOPICS: dict[str, tuple[str, ...]] = {
    "链接": ("求链接", "有链接吗", "链接在哪", "蹲链接", "链接", "连接", "lj", "link", "🔗"),
    "购买": ("哪里买", "在哪买", "哪买", "怎么买", "在哪里买", "哪里可以买", "哪儿买", "在哪儿买", "哪里有卖", "哪有卖",
           "购买渠道", "怎么入", "在哪入", "哪里入", "where to buy", "where can i buy", "where did you get",
           "where did you buy", "where is it from"),
    "价格": ("多少钱", "多钱", "几多钱", "什么价", "啥价", "价格", "价钱", "价位", "多少米", "how much", "price"),
    "色号": ("色号", "什么色号", "啥色号", "哪个色号", "什么色", "啥色", "哪个颜色", "什么颜色", "哪个色", "哪一色",
           "shade", "colour", "color"),
    "牌子": ("什么牌子", "啥牌子", "哪个牌子", "哪家的", "哪家", "哪个品牌", "什么品牌", "品牌", "牌子", "what brand",
           "which brand", "brand"),
    "尺码": ("尺码", "码数", "多大码", "什么码", "几码", "穿多大", "穿的多大", "size"),
    "发货": ("什么时候发货", "几天发货", "多久发货", "发货", "几天到", "多久到", "几天能到", "物流", "快递", "ship",
           "shipping", "deliver"),
    "补货": ("补货", "断货", "缺货", "还有货", "有货吗", "restock", "back in stock", "sold out"),
    "用法": ("怎么用", "如何用", "咋用", "用法", "使用方法", "怎么使用", "how to use", "how do you use",
           "how do i use"),
    "顺序": ("先用", "后用", "顺序", "哪个先", "order"),
    "平替": ("平替", "dupe"),
    "油皮": ("混油皮", "混油", "油皮", "油性皮肤", "油性肌肤", "大油皮", "oily skin", "oily"),
    "干皮": ("混干皮", "混干", "干皮", "干性皮肤", "干性肌肤", "大干皮", "dry skin"),
    "敏感肌": ("敏感肌", "敏感皮", "敏皮", "敏感肌肤", "sensitive skin", "sensitive"),
    "痘肌": ("痘痘肌", "痘肌", "长痘", "闭口", "acne"),
    "孕妇": ("孕妇", "孕期", "怀孕", "哺乳期", "pregnant", "pregnancy"),
    "适合": ("适合", "适不适合", "能用吗", "可以用吗", "能用", "可以用", "友好", "suitable", "work for", "ok for",
           "okay for"),
    "持久": ("持妆", "持久", "掉色", "脱妆", "能撑", "last", "lasting", "long wear"),
    "味道": ("味道", "香味", "气味", "好闻", "什么香", "什么调", "smell", "scent"),
    "身高": ("身高", "多高", "个子", "how tall", "height"),
    "体重": ("体重", "多重", "多少斤", "几斤", "weight"),
    "教程": ("教程", "怎么画", "怎么化", "怎么弄", "怎么做", "tutorial"),
    "名字": ("叫什么", "什么名字", "名字", "哪一款", "哪款", "哪个型号", "型号", "which one", "what is it called",
           "name"),
}
# Words that ask but say nothing about what: greetings, particles, "please", "same question".
FILLERS = (
    "多久", "会", "能", "要", "还", "大概", "wearing", "wear", "using", "use", "are", "have", "get", "got",
    "请问", "求问", "想问", "问一下", "问下", "问问", "姐妹们", "姐妹", "宝子们", "宝子", "宝宝们", "宝们",
    "集美们", "集美", "博主", "楼主", "亲们", "同问", "同求", "求求", "蹲一个", "蹲", "加一", "+1", "一下", "可以",
    "能不能", "可不可以", "有没有", "是不是", "会不会", "什么", "啥", "怎么", "如何", "多少", "哪个", "哪里", "哪",
    "这个", "这款", "那个", "这是", "是", "你的", "你们", "你", "我", "的", "了", "呀", "啊", "呢", "吗", "嘛",
    "么", "哦", "噢", "哇", "啦", "吧", "求", "有", "please", "pls", "plz", "anyone", "know", "what", "is", "the",
    "this", "it", "a", "do", "you", "does", "can", "i", "of", "your",
)
TOPIC_WEIGHT = 3.0
# Who or what the question is for: two questions for different skin types are different questions.
ATTRIBUTES = frozenset({"油皮", "干皮", "敏感肌", "痘肌", "孕妇"})
REST_MIN = 0.3  # when both name a thing (外套, 包包), their words must overlap at least this much
_TOPIC_OF = {spelling.lower(): topic for topic, spellings in TOPICS.items() for spelling in spellings}
_TOPIC_PATTERN = re.compile("|".join(re.escape(s) for s in sorted(_TOPIC_OF, key=len, reverse=True)))
_LATIN_FILLERS = {f for f in FILLERS if f.isascii() and f.isalpha()}
_CJK_FILLERS = re.compile("|".join(re.escape(f) for f in sorted((f for f in FILLERS if not f.isascii()), key=len,
                                                               reverse=True)))
_NOT_WORD = re.compile(r"[^\w\u4e00-\u9fff]+")
_LATIN_WORD = re.compile(r"[a-z][a-z']*|\d+")


@dataclass
class QuestionCluster:
    """One question as the period asked it: how often, in which words, and which inputs asked it."""

    label: str  # the wording asked most often (shortest on a tie)
    count: int
    examples: list[str]  # up to EXAMPLES distinct wordings, most asked first
    members: list[int] = field(default_factory=list)  # indices into the input list
    topics: list[str] = field(default_factory=list)  # what it asks about, e.g. ["价格"], ["适合", "油皮"]


def question_terms(text: str) -> tuple[list[str], str]:
    """What a question asks about: its topic tokens and the words left once stickers, emoji, mentions,
    links, hashtags, greetings and particles are gone."""
    plain = unicodedata.normalize("NFKC", text).lower()
    for pattern in (LINK, HASHTAG, MENTION):
        plain = pattern.sub(" ", plain)
    if "🔗" in plain:
        plain = plain.replace("🔗", " link ")
    plain = STICKER.sub(" ", plain)
    plain = EMOJI.sub(" ", plain)
    topics = []

    def take(match: re.Match) -> str:
        spelling = match.group(0)
        if spelling.isascii() and not _on_word_edges(match):
            return spelling
        topics.append(_TOPIC_OF[spelling])
        return " "

    plain = _TOPIC_PATTERN.sub(take, plain)
    plain = _CJK_FILLERS.sub(" ", plain)
    words = [w for w in _LATIN_WORD.findall(plain) if w not in _LATIN_FILLERS]
    rest = _NOT_WORD.sub(" ", _LATIN_WORD.sub(" ", plain))
    return sorted(set(topics)), " ".join(filter(None, [*rest.split(), *words]))


def _on_word_edges(match: re.Match) -> bool:
    text, start, end = match.string, match.start(), match.end()
    # Latin words end where Latin letters and digits end: "求lj" and "link在哪" are words next to Chinese
    return (start == 0 or not _latin_alnum(text[start - 1])) and (end == len(text) or not _latin_alnum(text[end]))


def _latin_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _features(terms: list[tuple[list[str], str]]) -> sp.csr_matrix:
    """Rows of weighted tokens: topics, Latin words, CJK characters and character pairs; unit length."""
    vocabulary: dict[str, int] = {}
    rows, columns, values = [], [], []
    for row, (topics, rest) in enumerate(terms):
        weights: Counter = Counter()
        for topic in topics:
            weights["§" + topic] += TOPIC_WEIGHT
        for chunk in rest.split():
            if chunk.isascii():
                weights[chunk] += 1.0
                continue
            for i, char in enumerate(chunk):
                weights[char] += 0.5
                if i + 1 < len(chunk):
                    weights[chunk[i:i + 2]] += 1.0
        for token, weight in weights.items():
            rows.append(row)
            columns.append(vocabulary.setdefault(token, len(vocabulary)))
            values.append(weight)
    matrix = sp.csr_matrix((values, (rows, columns)), shape=(len(terms), max(len(vocabulary), 1)))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return sp.diags(1 / np.maximum(norms, 1e-12)) @ matrix


def similarity(terms: list[tuple[list[str], str]]) -> np.ndarray:
    """Pairwise similarity of reduced questions: the cosine of their weighted tokens, but 0 when they are
    for different people (skin type, pregnancy), ask about different things (no topic in common), or both
    name a thing and the things differ (外套 vs 包包)."""
    full = _features(terms)
    matrix = (full @ full.T).toarray().astype(np.float32)
    rest = _features([([], r) for _, r in terms])
    rest_similarity = (rest @ rest.T).toarray()
    has_rest = np.array([_names_a_thing(r) for _, r in terms])
    matrix[np.outer(has_rest, has_rest) & (rest_similarity < REST_MIN)] = 0
    attributes = [frozenset(t for t in topics if t in ATTRIBUTES) for topics, _ in terms]
    asks = [frozenset(t for t in topics if t not in ATTRIBUTES) for topics, _ in terms]
    attribute_id = {a: i for i, a in enumerate(dict.fromkeys(attributes))}
    codes = np.array([attribute_id[a] for a in attributes])
    matrix[codes[:, None] != codes[None, :]] = 0
    for i, topics in enumerate(asks):
        if topics:
            apart = [j for j, other in enumerate(asks) if other and not topics & other]
            matrix[i, apart] = 0
    return matrix


def _names_a_thing(rest: str) -> bool:
    """Whether the words left name something (外套, 精华, jacket), not just a stray character."""
    return any(len(word) >= 2 if not word.isascii() else len(word) >= 3 for word in rest.split())


def _average_linkage(matrix: np.ndarray, threshold: float) -> np.ndarray:
    """Cluster ids from average-linkage agglomeration, cut where the average similarity between two
    clusters drops below `threshold`."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    if matrix.shape[0] == 1:
        return np.zeros(1, dtype=np.int64)
    distance = np.clip(1 - matrix, 0, 2).astype(np.float64)
    np.fill_diagonal(distance, 0)
    tree = linkage(squareform(distance, checks=False), method="average")
    return fcluster(tree, t=1 - threshold, criterion="distance") - 1


def cluster_questions(texts: list[str], *, threshold: float = SAME_QUESTION) -> list[QuestionCluster]:
    """Clusters of the same question in other words, most asked first. Identical questions (once reduced:
    "求链接[哭惹R]" and "求链接！") always share a cluster; a question with nothing left to compare (only
    stickers or punctuation) stays alone with its exact copies."""
    reduced: dict[tuple, list[int]] = {}
    for index, text in enumerate(texts):
        topics, rest = question_terms(text)
        key = (tuple(topics), rest) if topics or rest else ("raw", text.strip())
        reduced.setdefault(key, []).append(index)
    keys = sorted(reduced, key=lambda k: (-len(reduced[k]), repr(k)))
    comparable = [k for k in keys if k[0] != "raw"]
    groups: list[list[tuple]] = []
    if comparable:
        head = comparable[:MAX_CLUSTERED]
        ids = _average_linkage(similarity([(list(k[0]), k[1]) for k in head]), threshold)
        by_id: dict[int, list[tuple]] = {}
        for key, cluster_id in zip(head, ids.tolist(), strict=True):
            by_id.setdefault(cluster_id, []).append(key)
        # a very busy period: past MAX_CLUSTERED distinct questions, the rarest ones stand alone
        groups = list(by_id.values()) + [[key] for key in comparable[MAX_CLUSTERED:]]
    groups += [[k] for k in keys if k[0] == "raw"]
    clusters = [_cluster(texts, [i for key in group for i in reduced[key]], group) for group in groups]
    return sorted(clusters, key=lambda c: (-c.count, c.label))


def _cluster(texts: list[str], members: list[int], keys: list[tuple]) -> QuestionCluster:
    wordings = Counter(texts[i].strip() for i in members)
    ranked = sorted(wordings, key=lambda w: (-wordings[w], len(w), w))
    topics = Counter(t for key in keys if key[0] != "raw" for t in key[0])
    return QuestionCluster(label=ranked[0], count=len(members), examples=ranked[:EXAMPLES],
                           members=sorted(members), topics=[t for t, _ in topics.most_common(3)])
