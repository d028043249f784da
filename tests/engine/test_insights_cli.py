"""``seedbed engine sentiment``, ``communities`` and ``activity`` on plain files, and their
one-line errors."""

import csv
import sys

import numpy as np
import pytest

from seedbed.engine.cli import main


def rows(path):
    return list(csv.DictReader(path.open(encoding="utf-8")))


def test_sentiment_keeps_the_input_columns_and_adds_language_score_and_label(tmp_path, capsys):
    posts = tmp_path / "posts.csv"
    posts.write_text(
        "id,body,author\n1,这次路演太棒了，收获很大,a\n2,The venue was awful and the talk boring,b\n"
        '3,"not bad, really useful",c\n',
        encoding="utf-8",
    )
    out = tmp_path / "scored.csv"
    argv = ["sentiment", "--in", str(posts), "--text-column", "body", "--out", str(out)]
    assert main(argv) == 0
    got = rows(out)
    assert list(got[0]) == ["id", "body", "author", "language", "sentiment", "sentiment_label"]
    assert [r["language"] for r in got] == ["zh", "en", "en"]
    assert float(got[0]["sentiment"]) > 0 > float(got[1]["sentiment"])
    assert all(-1 <= float(r["sentiment"]) <= 1 for r in got)
    assert got[1]["sentiment_label"] == "negative"
    assert "3 posts" in capsys.readouterr().out


def test_sentiment_reads_the_text_column_by_default_and_blank_text_is_neutral(tmp_path):
    posts = tmp_path / "posts.csv"
    posts.write_text('text\n""\n!!!\n', encoding="utf-8")
    out = tmp_path / "o.csv"
    assert main(["sentiment", "--in", str(posts), "--out", str(out)]) == 0
    assert [r["sentiment_label"] for r in rows(out)] == ["neutral"]  # the blank line is skipped


def _square_of_cliques(path, sep=",", header=True):
    """Four cliques of six, joined in a ring by one tie each."""
    lines = ["source,target,weight".replace(",", sep)] if header else []
    for c in range(4):
        nodes = [f"n{c * 6 + i}" for i in range(6)]
        lines += [sep.join([a, b, "2"]) for i, a in enumerate(nodes) for b in nodes[i + 1 :]]
        lines.append(sep.join([f"n{c * 6}", f"n{((c + 1) % 4) * 6 + 1}", "1"]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_communities_finds_the_planted_cliques_and_prints_the_modularity(tmp_path, capsys):
    out = tmp_path / "nodes.csv"
    assert (
        main(
            [
                "communities",
                "--edges",
                str(_square_of_cliques(tmp_path / "e.csv")),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    got = rows(out)
    assert list(got[0]) == ["node", "community", "pagerank", "betweenness"]
    assert len(got) == 24
    by_clique = {}
    for r in got:
        by_clique.setdefault(int(r["node"][1:]) // 6, set()).add(r["community"])
    assert all(len(labels) == 1 for labels in by_clique.values())
    assert len({next(iter(v)) for v in by_clique.values()}) == 4
    assert sum(float(r["pagerank"]) for r in got) == pytest.approx(1.0, abs=1e-4)
    printed = capsys.readouterr().out
    assert "modularity 0.6" in printed or "modularity 0.7" in printed


def test_communities_reads_a_bare_space_separated_edge_list(tmp_path):
    edges = tmp_path / "email.txt"
    edges.write_text("0 1\n1  2\n2 0\n3 4\n4 5\n5 3\n2 3\n", encoding="utf-8")
    out = tmp_path / "nodes.csv"
    argv = [
        "communities",
        "--edges",
        str(edges),
        "--no-header",
        "--sep",
        "space",
        "--out",
        str(out),
    ]
    assert main(argv) == 0
    got = {r["node"]: r["community"] for r in rows(out)}
    assert got["0"] == got["1"] == got["2"] != got["3"] == got["4"] == got["5"]


def _events(path, members=40, days=120):
    """Members posting at their own pace; the second half stop a month before the end."""
    rng = np.random.default_rng(0)
    lines = ["member,action,timestamp,target"]
    start = np.datetime64("2026-01-01T00:00:00")
    for m in range(members):
        stop = days if m < members // 2 else days - 35
        for day in sorted(rng.uniform(0, stop, size=int(rng.integers(5, 30)))):
            stamp = start + np.timedelta64(int(day * 86400), "s")
            kind, target = ("reply", f"m{(m + 1) % members}") if day % 3 < 1 else ("post", "")
            lines.append(f"m{m},{kind},{stamp}Z,{target}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_activity_writes_score_level_rule_and_churn_risk_with_reasons(tmp_path, capsys):
    out = tmp_path / "members.csv"
    assert (
        main(
            [
                "activity",
                "--events",
                str(_events(tmp_path / "a.csv")),
                "--out",
                str(out),
                "--weight",
                "post=2",
                "--half-life",
                "14",
            ]
        )
        == 0
    )
    got = {r["member"]: r for r in rows(out)}
    assert list(next(iter(got.values()))) == [
        "member",
        "score",
        "level",
        "rule",
        "churn_risk",
        "reasons",
    ]
    assert len(got) == 40
    quiet = [got[f"m{m}"] for m in range(20, 40)]
    assert all(r["level"] in ("casual", "at risk", "dormant") for r in quiet)
    assert all(r["churn_risk"] == "" for r in quiet)  # not active in the last 30 days
    busy = [r for r in got.values() if r["churn_risk"]]
    assert busy and all(0 <= float(r["churn_risk"]) <= 1 for r in busy)
    codes = {part.split("=")[0] for r in busy for part in r["reasons"].split(";") if part}
    assert codes <= {
        "days_since_last_action",
        "actions_last_30_days",
        "actions_last_90_days",
        "trend",
        "replies_received_90_days",
        "events_attended_90_days",
        "partners_90_days",
    }
    assert "40 members as of 2026-04-30" in capsys.readouterr().out


def test_activity_takes_epoch_seconds_and_says_when_churn_cannot_be_fitted(tmp_path, capsys):
    events = tmp_path / "a.csv"
    events.write_text("member,action,timestamp\nx,post,1767225600\ny,post,1767312000.5\n")
    out = tmp_path / "m.csv"
    assert main(["activity", "--events", str(events), "--out", str(out)]) == 0
    assert [r["level"] for r in rows(out)] == ["new", "new"]
    assert "churn risk left blank" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("command", "content", "message"),
    [
        ("sentiment", "body\nhello\n", "missing column 'text'"),
        ("sentiment", "text\n", "no rows"),
        ("sentiment", "", "file is empty"),
        ("sentiment", b"text\n\xff\xfe\n", "not UTF-8"),
        ("communities", "source,target\na\n", "1 cells, expected 2"),
        ("communities", "source,target,weight\na,b,heavy\n", "weight 'heavy' is not a number"),
        ("communities", "source,target,weight\na,b,-1\n", "must be a finite number >= 0"),
        ("communities", "source;target\na;b\n", "missing column 'source' (is --sep right?)"),
        ("activity", "member,action\nx,post\n", "missing column 'timestamp'"),
        ("activity", "member,action,timestamp\nx,post,yesterday\n", "line 2: timestamp"),
        ("activity", "member,action,timestamp\nx,post,nan\n", "neither ISO 8601"),
        ("activity", "member,action,timestamp\n,post,1\n", "member or action is empty"),
    ],
)
def test_a_bad_file_exits_2_with_one_line_naming_the_file(
    tmp_path, capsys, command, content, message
):
    path = tmp_path / "in.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    flag = {"sentiment": "--in", "communities": "--edges", "activity": "--events"}[command]
    assert main([command, flag, str(path), "--out", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("seedbed engine: error: ") and str(path) in err
    assert message in err
    assert not (tmp_path / "o.csv").exists()


def test_a_missing_file_or_an_unwritable_output_exits_2(tmp_path, capsys):
    assert main(["communities", "--edges", str(tmp_path / "nope.csv"), "--out", "x.csv"]) == 2
    assert "file not found" in capsys.readouterr().err
    edges = _square_of_cliques(tmp_path / "e.csv")
    assert main(["communities", "--edges", str(edges), "--out", str(tmp_path)]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_a_bad_option_exits_2(tmp_path, capsys):
    assert main(["activity", "--events", "a.csv", "--out", "b.csv", "--half-life", "0"]) == 2
    assert main(["activity", "--events", "a.csv", "--out", "b.csv", "--weight", "post"]) == 2


def test_progress_goes_to_stderr_only_on_a_terminal(tmp_path, capsys, monkeypatch):
    posts = tmp_path / "p.csv"
    posts.write_text("text\ngreat\n", encoding="utf-8")
    assert main(["sentiment", "--in", str(posts), "--out", str(tmp_path / "o.csv")]) == 0
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["sentiment", "--in", str(posts), "--out", str(tmp_path / "o.csv")]) == 0
    assert "sentiment: 1 of 1 posts" in capsys.readouterr().err
