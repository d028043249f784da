"""``python -m seedbed.engine.sentiment_train [--data DIR] [--out PATH]``: train the shipped
sentiment model.

Reads ChnSentiCorp's development split (``chnsenticorp/dev.csv``, ``label,review``) and both UCI
sentence files (``uci-sentences/*_labelled.txt``, ``sentence<TAB>label``) from ``--data``
(default ``$SEEDBED_SHARED_DATA`` or ``/work/shared/data``), adds the few slang posts below, and
writes ``seedbed/engine/data/sentiment.joblib`` unless ``--out`` says otherwise. The data is not
in the repository; the model file is.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from seedbed.engine.sentiment import MODEL_PATH, SentimentModel

# Community posts the review corpora never resemble: slang, idioms that look negated ("不错",
# "没问题", "not bad") and the short, event-centred complaints and thanks of a startup
# community. Written by hand for training only; tests/engine/data/community_posts.csv is a
# separate hand-written set the model never sees.
SLANG: list[tuple[str, int]] = [
    ("这次路演yyds", 1),
    ("导师太给力了，绝绝子", 1),
    ("这个活动真的太赞了", 1),
    ("项目很牛，爱了爱了", 1),
    ("这次对接会拉胯", 0),
    ("踩雷了，完全是浪费时间", 0),
    ("投资人全程划水，无语", 0),
    ("这活动太坑了", 0),
    ("分享嘉宾很牛，讲得通透", 1),
    ("这个路演项目绝了，思路清奇", 1),
    ("干货满满，收藏了", 1),
    ("讲得不错，学到很多", 1),
    ("没问题，我们会准时参加", 1),
    ("这次沙龙没毛病，安排得很好", 1),
    ("还不错，下次还会来", 1),
    ("创始人表达清楚，问答环节也到位", 1),
    ("对接效率很高，当场约了二次见面", 1),
    ("主办方很用心，细节拉满", 1),
    ("认识了好几个靠谱的合伙人", 1),
    ("这个产品体验真香", 1),
    ("评委点评很专业，受益良多", 1),
    ("氛围一级棒，强烈推荐", 1),
    ("一点都不无聊，时间过得很快", 1),
    ("不贵，性价比很高", 1),
    ("说实话没想到这么有料", 1),
    ("团队执行力太强了，佩服", 1),
    ("这届比赛水平很高，期待决赛", 1),
    ("感谢组织者，辛苦了", 1),
    ("不好，完全不是宣传的那样", 0),
    ("不怎么样，内容太浅", 0),
    ("不太满意，环节拖沓", 0),
    ("讲的东西不行，全是套话", 0),
    ("这个项目太水了，没有壁垒", 0),
    ("又是画饼，听得心累", 0),
    ("完全是割韭菜的课程，避雷", 0),
    ("报名了却没人通知改时间，白跑一趟", 0),
    ("评委敷衍，几分钟就打发了", 0),
    ("估值离谱，投资人都摇头", 0),
    ("现场冷场好几次，很尴尬", 0),
    ("App一直闪退，体验很差", 0),
    ("流程混乱，签到排了半小时", 0),
    ("说好的茶歇也没有，坑人", 0),
    ("走过场而已，没有实质交流", 0),
    ("不推荐这个孵化器，服务跟不上", 0),
    ("没什么干货，浪费时间", 0),
    ("这个平台真坑，收费不透明", 0),
    # topic words (活动, 嘉宾, 项目, 路演) on both sides, so that they carry no opinion
    ("这个活动组织得很差", 0),
    ("这个活动安排得很好", 1),
    ("活动现场太乱了", 0),
    ("嘉宾准备不足，讲得很乱", 0),
    ("嘉宾讲得很实在", 1),
    ("这个项目不太靠谱", 0),
    ("这个项目前景很好", 1),
    ("路演时间太短，根本讲不完", 0),
    ("路演节奏紧凑，效率很高", 1),
    ("感觉不太专业", 0),
    ("对接会的投资人不太认真", 0),
    ("这次的分享不怎么样", 0),
    ("这个团队很强", 1),
    ("The demo day was lit, totally worth it", 1),
    ("Great vibes, this meetup slaps", 1),
    ("Kudos to the mentors, super helpful", 1),
    ("The pitch night was meh", 0),
    ("Total waste of time, the panel was cringe", 0),
    ("This workshop sucks", 0),
    ("Not bad, the second half was really useful", 1),
    ("No problem, see you at the demo day", 1),
    ("Their API is a killer app for small shops", 1),
    ("The founders nailed the Q&A", 1),
    ("Really insightful session on fundraising", 1),
    ("Smooth check-in and great speakers", 1),
    ("Met my cofounder here, can't thank the organisers enough", 1),
    ("The mentor office hours are a game changer", 1),
    ("Legit the best pitch practice I've done", 1),
    ("Helpful investors, clear feedback, will come again", 1),
    ("Honestly impressed by the student teams", 1),
    ("The new matching feature rocks", 1),
    ("Not great, the talks were mostly sales pitches", 0),
    ("The app is buggy and the schedule never loads", 0),
    ("Overhyped event, nothing new was said", 0),
    ("The speaker ghosted us and nobody told the room", 0),
    ("Underwhelming demos and a clunky registration", 0),
    ("The judging was a joke", 0),
    ("Don't waste your evening on this one", 0),
    ("Way too crowded and the mic kept failing", 0),
    ("Zero useful feedback, just buzzwords", 0),
    ("I didn't get anything out of the workshop", 0),
    ("Shady sponsors pushing crypto the whole night", 0),
    ("It was a flop, half the speakers cancelled", 0),
]


def read_chnsenticorp(folder: Path) -> tuple[list[str], list[int]]:
    with (folder / "chnsenticorp" / "dev.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r["review"] for r in rows], [int(r["label"]) for r in rows]


def read_uci(path: Path) -> tuple[list[str], list[int]]:
    texts, labels = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            text, label = line.rsplit("\t", 1)
            texts.append(text.strip())
            labels.append(int(label))
    return texts, labels


#: How many reviews each community post counts as: there are a few dozen of them beside 7,400
#: reviews, and they are the only short, in-domain text the model sees.
SLANG_WEIGHT = 5.0


def training_data(folder: Path) -> tuple[list[str], list[int]]:
    texts, labels = read_chnsenticorp(folder)
    for name in ("amazon_cells_labelled.txt", "yelp_labelled.txt"):
        more_texts, more_labels = read_uci(folder / "uci-sentences" / name)
        texts += more_texts
        labels += more_labels
    texts += [text for text, _ in SLANG]
    labels += [label for _, label in SLANG]
    return texts, labels


def sample_weights(texts: list[str]) -> list[float]:
    """1 for each review, ``SLANG_WEIGHT`` for each community post (they come last)."""
    return [1.0] * (len(texts) - len(SLANG)) + [SLANG_WEIGHT] * len(SLANG)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seedbed.engine.sentiment_train")
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(os.environ.get("SEEDBED_SHARED_DATA", "/work/shared/data")),
    )
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    try:
        texts, labels = training_data(args.data)
    except (OSError, ValueError, KeyError) as error:
        print(f"{parser.prog}: cannot read the training data: {error}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    model = SentimentModel().fit(texts, labels, sample_weight=sample_weights(texts))
    path = model.save(args.out)
    print(
        f"{len(texts)} texts, {time.perf_counter() - started:.1f} s; "
        f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
