"""Language detection and tokenising for Chinese and English text.

Chinese has no spaces, so words come from jieba's dictionary-based segmenter; English (and any
other Latin-script text) is split into lower-cased word tokens. Texts on the platform mix both
("我们做 AI 医疗 SaaS"), so a text is split into runs of CJK and non-CJK characters and each run
gets its own tokenizer, rather than picking one tokenizer per text. Language detection is the share
of CJK characters among the letters: cheap, deterministic, and enough to tell zh from en, the two
languages the product supports.

jieba logs "Building prefix dict ..." to stderr when its dictionary loads; its logger is turned
down here so that normal use prints nothing.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba

__all__ = ["STOP_WORDS", "cjk_ratio", "clear_cache", "detect_language", "tokenize"]

jieba.setLogLevel(logging.WARNING)
logging.getLogger("jieba").setLevel(logging.WARNING)

_CJK = (
    "\u3400-\u4dbf"  # extension A
    "\u4e00-\u9fff"  # unified ideographs
    "\uf900-\ufaff"  # compatibility ideographs
)
_CJK_RUN = re.compile(f"[{_CJK}]+")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_WORD = re.compile(r"[^\W_]+(?:[+#]+|(?:['.][^\W_]+)*)", re.UNICODE)

_ENGLISH_STOP = """
a an and are as at be been but by can do does for from has have he her his how i if in into
is it its me more most my no not of on or our out over she so such than that the their them
then there these they this those to up us was we were what when where which who will with
would you your also about all any each just only own same some very via per etc
"""
_CHINESE_STOP = """
的 了 和 是 在 我 我们 你 你们 他 她 它 他们 这 那 这个 那个 就 也 都 而 及 与 或
等 对 从 把 被 为 为了 以 以及 之 其 中 上 下 有 没有 一个 一些 可以 能 会 要 很 更
最 并 并且 但 但是 如果 因为 所以 还 让 给 用 通过 进行 我司 我们的 一 个 着 过 吗
吧 呢 啊 于 做 一家 专注
"""
STOP_WORDS: frozenset[str] = frozenset(_ENGLISH_STOP.split()) | frozenset(_CHINESE_STOP.split())


def cjk_ratio(text: str) -> float:
    """Share of CJK ideographs among the letters of ``text`` (0.0 for no letters)."""
    letters = len(_LETTER.findall(text))
    if letters == 0:
        return 0.0
    return len(_CJK_CHAR.findall(text)) / letters


def detect_language(text: str, threshold: float = 0.3) -> str:
    """``"zh"`` when at least ``threshold`` of the letters are CJK, else ``"en"``.

    The threshold is low because one Chinese character carries about as much as a short English
    word: a sentence with a few English brand names is still Chinese."""
    return "zh" if cjk_ratio(text) >= threshold else "en"


@lru_cache(maxsize=65536)
def _tokens(text: str) -> tuple[str, ...]:
    out: list[str] = []
    pos = 0
    for match in _CJK_RUN.finditer(text):
        out.extend(_latin_tokens(text[pos : match.start()]))
        for word in jieba.lcut(match.group(), HMM=True):
            word = word.strip()
            if word and word not in STOP_WORDS and _CJK_CHAR.search(word):
                out.append(word)
        pos = match.end()
    out.extend(_latin_tokens(text[pos:]))
    return tuple(out)


def _latin_tokens(text: str) -> list[str]:
    tokens = []
    for match in _WORD.finditer(text.lower()):
        word = match.group()
        if len(word) < 2 or word in STOP_WORDS or word.isdigit():
            continue
        tokens.append(word)
    return tokens


def tokenize(text: str) -> list[str]:
    """Words of ``text``: jieba words for Chinese runs, lower-cased word tokens otherwise,
    without stop words, one-letter Latin tokens and bare numbers. Results are cached per text,
    because matching tokenises the same descriptions again for explanations."""
    return list(_tokens(text or ""))


def clear_cache() -> None:
    """Forget cached tokenisations (benchmarks measuring cold runs, long-lived workers)."""
    _tokens.cache_clear()
