"""``seedbed engine evaluate`` and ``recommend`` on plain interaction files, and their errors."""

import csv
import json

import pytest

from seedbed.engine.cli import main
from seedbed.engine.recommend.cli import read_interactions


def write_interactions(path, header="user,item,weight,timestamp", sep=","):
    """90 users in three taste groups of ten items each, eight items per user in time order."""
    lines = [header.replace(",", sep)]
    for user in range(90):
        group = user % 3
        for step in range(8):
            item = group * 10 + (user + step * 3) % 10
            lines.append(sep.join([f"u{user}", f"i{item}", "1", str(1000 + step)]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow  # every algorithm with its grid
def test_evaluate_prints_one_row_per_algorithm_references_tuned_and_the_ratio(tmp_path, capsys):
    data = write_interactions(tmp_path / "x.csv")
    out = tmp_path / "table.json"
    assert main(["evaluate", "--interactions", str(data), "--k", "5", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    rows = {row["algorithm"]: row for row in json.loads(out.read_text())}
    for name in (
        "popularity",
        "implicit als",
        "implicit bpr",
        "implicit item-knn",
        "item-knn",
        "ease",
        "rp3beta",
        "hybrid (default)",
    ):
        assert name in rows and f"\n{name} " in printed
        assert {"precision", "recall", "ndcg", "map", "coverage"} <= set(rows[name])
    assert rows["item-knn"]["ndcg"] > rows["popularity"]["ndcg"]
    assert rows["popularity"]["k"] == 5
    assert rows["implicit als"]["setting"]["factors"] in (64, 128)
    assert rows["implicit als"]["setting"]["iterations"] in (15, 30)
    assert set(rows["hybrid (default)"]["setting"]["weights"]) >= {"Popularity", "EASE"}
    ratio = rows["hybrid (default)"]["ndcg"] / max(
        rows[name]["ndcg"]
        for name in ("popularity", "implicit als", "implicit bpr", "implicit item-knn")
    )
    assert "hybrid (default) NDCG@5 / best reference" in printed
    assert f"{ratio:.3f}" in printed


def test_progress_goes_to_stderr_only_on_a_terminal(tmp_path, capsys, monkeypatch):
    data = write_interactions(tmp_path / "x.csv")
    argv = ["recommend", "--interactions", str(data), "--out", str(tmp_path / "r.csv")]
    assert main(argv) == 0
    assert capsys.readouterr().err == ""
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    assert main(argv) == 0
    assert "fitting the default recommender" in capsys.readouterr().err


@pytest.mark.slow  # every algorithm with its grid
def test_lastfm_user_artists_is_read_tab_separated_with_play_counts_as_weights(tmp_path, capsys):
    data = tmp_path / "user_artists.dat"
    lines = ["userID\tartistID\tweight"]
    lines += [f"{u}\t{(u * 7 + j) % 25}\t{100 * (j + 1)}" for u in range(60) for j in range(6)]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read = read_interactions(str(data), "\t")
    assert read.matrix.shape == (60, 25) and read.timestamps is None
    assert read.matrix[0].toarray()[0, 0] == 100 and read.matrix.max() == 600
    argv = ["evaluate", "--interactions", str(data), "--sep", "tab"]
    assert main(argv) == 2
    assert "needs a timestamp column" in capsys.readouterr().err
    assert main([*argv, "--split", "random"]) == 0


@pytest.mark.slow  # every algorithm with its grid
def test_evaluate_reads_movielens_headers_and_tab_separated_files(tmp_path):
    data = write_interactions(tmp_path / "x.tsv", "userId,movieId,rating,timestamp", sep="\t")
    read = read_interactions(str(data), "\t")
    assert read.matrix.shape == (90, 30) and read.timestamps is not None
    argv = ["evaluate", "--interactions", str(data), "--sep", "tab", "--split", "random"]
    assert main(argv) == 0


def test_recommend_writes_unseen_items_for_every_user_or_the_asked_ones(tmp_path):
    data = write_interactions(tmp_path / "x.csv")
    out = tmp_path / "recs.csv"
    assert main(["recommend", "--interactions", str(data), "--top", "3", "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 90 * 3
    seen = {(line.split(",")[0], line.split(",")[1]) for line in data.read_text().split()[1:]}
    assert not {(row["user"], row["item"]) for row in rows} & seen
    assert [row["rank"] for row in rows[:3]] == ["1", "2", "3"]
    users = tmp_path / "users.csv"
    users.write_text("user\nu4\nnewcomer\n", encoding="utf-8")
    argv = ["recommend", "--interactions", str(data), "--top", "2", "--users", str(users)]
    assert main([*argv, "--out", str(out)]) == 0
    assert [row["user"] for row in csv.DictReader(out.open())] == [
        "u4",
        "u4",
        "newcomer",
        "newcomer",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("person,item\nu1,i1\n", "missing column 'user'"),
        ("user,item,weight\nu1,i1,lots\n", "line 2: weight 'lots' is not a number"),
        ("user,item,weight\nu1,i1,-1\n", "weight '-1' must be a finite number >= 0"),
        ("user,item\n", "no interactions"),
        ("", "file is empty"),
        ("user;item\nu1;i1\n", "(is --sep right?)"),
        ("userId,rating\n1,5\n", "missing column 'item'"),
        ("userId,movieId,rating,timestamp\n1,2,4.5,yesterday\n", "timestamp 'yesterday'"),
        ("user,item\nu1\n", "line 2: 1 cells, too few"),
    ],
)
def test_a_bad_interactions_file_exits_2_with_one_line(tmp_path, capsys, content, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    assert main(["evaluate", "--interactions", str(bad), "--split", "random"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_a_temporal_split_without_timestamps_and_a_missing_file_are_one_line_errors(
    tmp_path, capsys
):
    data = tmp_path / "x.csv"
    data.write_text("user,item\nu1,i1\nu1,i2\n", encoding="utf-8")
    assert main(["evaluate", "--interactions", str(data)]) == 2
    assert "needs a timestamp column" in capsys.readouterr().err
    assert main(["recommend", "--interactions", str(tmp_path / "nope.csv"), "--out", "x"]) == 2
    assert "file not found" in capsys.readouterr().err
    assert main(["evaluate", "--interactions", str(data), "--test-fraction", "2"]) == 2
    assert "between 0 and 1" in capsys.readouterr().err
