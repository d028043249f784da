import csv
from pathlib import Path

import pytest

from seedbed.engine.cli import main

DATA = Path(__file__).parent / "data"


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def schedule_files(tmp_path):
    requests = write(
        tmp_path / "requests.csv",
        "founder,investor,founder_pref,investor_pref\n"
        "Acme,Ventures A,must,like\n"
        "Acme,Ventures B,like,\n"
        "Bolt,Ventures A,must,must\n"
        "Bolt,Ventures B,no,must\n"
        "Cogs,Ventures B,like,like\n",
    )
    slots = write(tmp_path / "slots.csv", "slot,tables\n10:00,2\n10:20,1\n")
    return requests, slots, tmp_path / "schedule.csv"


def test_schedule_command_writes_a_feasible_optimal_schedule(schedule_files, capsys):
    requests, slots, out = schedule_files
    code = main(["schedule", "--requests", requests, "--slots", slots, "--out", str(out)])
    assert code == 0
    rows = read_rows(out)
    assert list(rows[0]) == ["slot", "table", "founder", "investor", "weight"]
    pairs = {(r["founder"], r["investor"]) for r in rows}
    assert ("Bolt", "Ventures B") not in pairs
    assert len(rows) == 3
    assert sum(int(r["weight"]) for r in rows) == 6 + 4 + 2
    stdout = capsys.readouterr().out
    assert "scheduled 3 meetings, total weight 12" in stdout
    assert "gap 0.00%" in stdout


def test_schedule_command_respects_people_limits_and_availability(schedule_files, tmp_path):
    requests, slots, out = schedule_files
    people = write(
        tmp_path / "people.csv",
        "id,role,max_meetings,available\n"
        "Acme,founder,1,10:20\n"
        "Bolt,founder,,\n"
        "Cogs,founder,,10:00\n"
        "Ventures A,investor,,\n"
        "Ventures B,investor,1,\n",
    )
    args = ["schedule", "--requests", requests, "--slots", slots, "--people", people]
    assert main([*args, "--out", str(out)]) == 0
    rows = read_rows(out)
    by_founder = {}
    for r in rows:
        by_founder.setdefault(r["founder"], []).append(r)
    assert len(by_founder.get("Acme", [])) <= 1
    assert all(r["slot"] == "10:20" for r in by_founder.get("Acme", []))
    assert all(r["slot"] == "10:00" for r in by_founder.get("Cogs", []))
    assert sum(1 for r in rows if r["investor"] == "Ventures B") <= 1


def test_the_sample_files_in_the_test_data_folder_schedule(tmp_path):
    out = tmp_path / "s.csv"
    code = main(
        [
            "schedule",
            "--requests",
            str(DATA / "requests.csv"),
            "--slots",
            str(DATA / "slots.csv"),
            "--people",
            str(DATA / "people.csv"),
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert len(read_rows(out)) > 0


def run_error(capsys, argv):
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_missing_requests_file_is_reported_on_one_line(schedule_files, capsys, tmp_path):
    _, slots, out = schedule_files
    missing = str(tmp_path / "nope.csv")
    line = run_error(
        capsys, ["schedule", "--requests", missing, "--slots", slots, "--out", str(out)]
    )
    assert line == f"seedbed engine: error: {missing}: file not found"


def test_missing_column_names_the_file_line_and_column(schedule_files, capsys, tmp_path):
    requests, _, out = schedule_files
    slots = write(tmp_path / "slots2.csv", "slot,count\n10:00,2\n")
    line = run_error(
        capsys, ["schedule", "--requests", requests, "--slots", slots, "--out", str(out)]
    )
    assert line == f"seedbed engine: error: {slots}, line 1: missing column 'tables'"


def test_bad_number_names_the_line(schedule_files, capsys, tmp_path):
    requests, _, out = schedule_files
    slots = write(tmp_path / "slots3.csv", "slot,tables\n10:00,2\n\n10:20,two\n")
    line = run_error(
        capsys, ["schedule", "--requests", requests, "--slots", slots, "--out", str(out)]
    )
    assert line == f"seedbed engine: error: {slots}, line 4: tables 'two' is not a whole number"


def test_unknown_preference_value_names_the_line(schedule_files, capsys, tmp_path):
    _, slots, out = schedule_files
    requests = write(
        tmp_path / "r.csv",
        "founder,investor,founder_pref,investor_pref\nAcme,V,must,\nBolt,V,maybe,like\n",
    )
    line = run_error(
        capsys, ["schedule", "--requests", requests, "--slots", slots, "--out", str(out)]
    )
    assert line == (
        f"seedbed engine: error: {requests}, line 3: founder_pref 'maybe' is not must, like, no or blank"
    )


def test_unknown_person_is_reported(schedule_files, capsys, tmp_path):
    requests, slots, out = schedule_files
    people = write(
        tmp_path / "people.csv",
        "id,role\nAcme,founder\nBolt,founder\nVentures A,investor\nVentures B,investor\n",
    )
    argv = ["schedule", "--requests", requests, "--slots", slots, "--people", people]
    line = run_error(capsys, [*argv, "--out", str(out)])
    assert line == (
        f"seedbed engine: error: {requests}, line 6: unknown founder 'Cogs' (not in {people})"
    )


def test_empty_file_is_reported(schedule_files, capsys, tmp_path):
    requests, _, out = schedule_files
    slots = write(tmp_path / "empty.csv", "")
    line = run_error(
        capsys, ["schedule", "--requests", requests, "--slots", slots, "--out", str(out)]
    )
    assert line.startswith(f"seedbed engine: error: {slots}: file is empty")


def test_header_only_file_is_reported(schedule_files, capsys, tmp_path):
    _, slots, out = schedule_files
    requests = write(tmp_path / "r.csv", "founder,investor,founder_pref,investor_pref\n")
    line = run_error(
        capsys, ["schedule", "--requests", requests, "--slots", slots, "--out", str(out)]
    )
    assert line.startswith(f"seedbed engine: error: {requests}: no requests")


def test_unknown_slot_in_availability_is_reported(schedule_files, capsys, tmp_path):
    requests, slots, out = schedule_files
    people = write(tmp_path / "p.csv", "id,role,available\nAcme,founder,9:00;10:00\n")
    argv = ["schedule", "--requests", requests, "--slots", slots, "--people", people]
    line = run_error(capsys, [*argv, "--out", str(out)])
    assert line == f"seedbed engine: error: {people}, line 2: unknown slot '9:00' in available"


def test_repeated_pair_is_reported(schedule_files, capsys, tmp_path):
    _, slots, out = schedule_files
    requests = write(
        tmp_path / "r.csv",
        "founder,investor,founder_pref,investor_pref\nA,V,must,\nA,V,like,\n",
    )
    line = run_error(
        capsys, ["schedule", "--requests", requests, "--slots", slots, "--out", str(out)]
    )
    assert "line 3: pair (A, V) repeated (first on line 2)" in line


def test_not_utf8_file_is_reported(schedule_files, capsys, tmp_path):
    requests, _, out = schedule_files
    slots = tmp_path / "latin1.csv"
    slots.write_bytes("slot,tables\ncafé,1\n".encode("latin-1"))
    line = run_error(
        capsys, ["schedule", "--requests", requests, "--slots", str(slots), "--out", str(out)]
    )
    assert f"{slots}: not UTF-8 text" in line


def test_unwritable_output_is_reported(schedule_files, capsys, tmp_path):
    requests, slots, _ = schedule_files
    out = tmp_path / "missing-dir" / "s.csv"
    line = run_error(
        capsys, ["schedule", "--requests", requests, "--slots", slots, "--out", str(out)]
    )
    assert line.startswith(f"seedbed engine: error: {out}: cannot write")


def test_missing_argument_is_reported_on_one_line(capsys):
    line = run_error(capsys, ["schedule", "--slots", "x.csv"])
    assert line == (
        "seedbed engine: error: the following arguments are required: --requests, --out "
        "(see seedbed engine schedule --help)"
    )


def test_unknown_command_and_bad_option_values_are_reported_on_one_line(capsys):
    assert "invalid choice: 'plan'" in run_error(capsys, ["plan"])
    assert run_error(capsys, []).startswith("seedbed engine: error: the following arguments")
    argv = ["match", "--projects", "p.csv", "--offers", "o.csv", "--out", "m.csv"]
    line = run_error(capsys, [*argv, "--min-score", "nan"])
    assert line.startswith("seedbed engine: error: argument --min-score: 'nan' is not a finite")


def test_unterminated_quote_is_an_error_naming_the_line_it_opens_on(tmp_path, capsys):
    projects = write(
        tmp_path / "p.csv",
        'id,description\nacme,warehouse robots\nbolt,"payments for shops\ncogs,gears\n',
    )
    code, out = run_match(tmp_path, projects=projects)
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert not out.exists()
    assert err == (
        f'seedbed engine: error: {projects}, line 3: a quote (") opened on this line is never closed'
    )


def test_text_after_a_closing_quote_is_an_error(schedule_files, capsys, tmp_path):
    requests, _, out = schedule_files
    slots = write(tmp_path / "slots.csv", 'slot,tables\n"10:00"am,2\n10:20,1\n')
    line = run_error(
        capsys, ["schedule", "--requests", requests, "--slots", slots, "--out", str(out)]
    )
    assert line.startswith(f"seedbed engine: error: {slots}, line 2: malformed CSV")


def test_a_quoted_cell_may_span_lines(tmp_path):
    projects = write(
        tmp_path / "p.csv",
        'id,description\nacme,"warehouse robots\nfor shops"\nbolt,payments\n',
    )
    code, out = run_match(tmp_path, projects=projects)
    assert code == 0
    assert {r["project"] for r in read_rows(out)} == {"acme", "bolt"}


@pytest.mark.parametrize("column", ["tables", "capacity"])
def test_a_number_beyond_64_bits_is_a_one_line_error(schedule_files, capsys, tmp_path, column):
    requests, slots, out = schedule_files
    huge = "9" * 25
    if column == "tables":
        slots = write(tmp_path / "slots.csv", f"slot,tables\n10:00,{huge}\n")
        argv = ["schedule", "--requests", requests, "--slots", slots, "--out", str(out)]
        path = slots
    else:
        path = write(tmp_path / "p.csv", f"id,description,capacity\nacme,robots,{huge}\n")
        argv = ["match", "--projects", path, "--offers", str(DATA / "offers.csv")]
        argv += ["--out", str(out)]
    line = run_error(capsys, argv)
    assert line == (
        f"seedbed engine: error: {path}, line 2: {column} '{huge}' is too large "
        "(at most 1,000,000,000)"
    )


EXCLUDING = (
    "id,description,sectors,stage,needs,capacity,exclude\n"
    "bluekelp,Seaweed packaging,cleantech,pre-seed,investor,2,{exclude}\n"
)


def test_an_exclusion_that_names_no_offer_is_reported_with_a_suggestion(tmp_path, capsys):
    projects = write(tmp_path / "p.csv", EXCLUDING.format(exclude="Fund-C;fund-x"))
    code, out = run_match(tmp_path, projects=projects)
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert not out.exists()
    assert err == (
        f"seedbed engine: error: {projects}, line 2: exclude names no offer: "
        "'Fund-C' (did you mean 'fund-c'?), 'fund-x'"
    )


def test_an_exclusion_that_names_no_project_is_reported(tmp_path, capsys):
    offers = write(
        tmp_path / "o.csv",
        "id,kind,description,exclude\nf,investor,x,acme；zeta\nfund-c,mentor,y,\n",
    )
    code, _ = run_match(tmp_path, offers=offers)
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err == f"seedbed engine: error: {offers}, line 2: exclude names no project: 'zeta'"


def test_full_width_semicolons_separate_exclusions(tmp_path):
    projects = write(tmp_path / "p.csv", EXCLUDING.format(exclude="fund-a；fund-c"))
    plain = write(tmp_path / "plain.csv", EXCLUDING.format(exclude=""))
    code, out = run_match(tmp_path, projects=plain)
    assert code == 0
    assert {r["offer"] for r in read_rows(out)} >= {"fund-c"}
    code, out = run_match(tmp_path, projects=projects)
    assert code == 0
    assert not {r["offer"] for r in read_rows(out)} & {"fund-a", "fund-c"}


def run_match(tmp_path, projects=None, offers=None, extra=()):
    out = tmp_path / "matches.csv"
    argv = [
        "match",
        "--projects",
        projects or str(DATA / "projects.csv"),
        "--offers",
        offers or str(DATA / "offers.csv"),
        "--out",
        str(out),
        *extra,
    ]
    return main(argv), out


def test_match_command_allocates_within_capacities_and_explains(tmp_path, capsys):
    code, out = run_match(tmp_path)
    assert code == 0
    rows = read_rows(out)
    assert list(rows[0]) == ["project", "offer", "kind", "score", "reasons", "shared_terms"]
    projects = {r["id"]: r for r in read_rows(DATA / "projects.csv")}
    offers = {r["id"]: r for r in read_rows(DATA / "offers.csv")}
    for pid, p in projects.items():
        assert sum(1 for r in rows if r["project"] == pid) <= int(p["capacity"])
    for oid, o in offers.items():
        assert sum(1 for r in rows if r["offer"] == oid) <= int(o["capacity"])
    assert ("bluekelp", "fund-c") not in {(r["project"], r["offer"]) for r in rows}
    assert {r["project"] for r in rows} == set(projects)
    chinese = next(r for r in rows if r["project"] == "yunfan" and r["offer"] == "fund-b")
    assert "医疗" in chinese["shared_terms"]
    assert "stage: series-a" in chinese["reasons"]
    assert "allocated" in capsys.readouterr().out


def test_unknown_offer_kind_is_reported(tmp_path, capsys):
    offers = write(tmp_path / "o.csv", "id,kind,description\nx,investor,a\ny,banker,b\n")
    code, _ = run_match(tmp_path, offers=offers)
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err == (
        f"seedbed engine: error: {offers}, line 3: kind 'banker' is not one of "
        "investor, talent, mentor, service"
    )


def test_bad_amount_in_projects_is_reported(tmp_path, capsys):
    projects = write(tmp_path / "p.csv", 'id,description,ask_min\na,"robots, for shops",1M\n')
    code, _ = run_match(tmp_path, projects=projects)
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err == f"seedbed engine: error: {projects}, line 2: ask_min '1M' is not a number"


def test_inverted_ticket_range_is_reported(tmp_path, capsys):
    offers = write(
        tmp_path / "o.csv", "id,kind,description,ticket_min,ticket_max\nf,investor,x,5,1\n"
    )
    code, _ = run_match(tmp_path, offers=offers)
    assert code == 2
    assert "line 2: ticket_min is larger than ticket_max" in capsys.readouterr().err


def test_missing_description_column_is_reported(tmp_path, capsys):
    projects = write(tmp_path / "p.csv", "id,sectors\na,ai\n")
    code, _ = run_match(tmp_path, projects=projects)
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err == f"seedbed engine: error: {projects}, line 1: missing column 'description'"


def test_repeated_project_id_is_reported(tmp_path, capsys):
    projects = write(tmp_path / "p.csv", "id,description\na,x\nb,y\na,z\n")
    code, _ = run_match(tmp_path, projects=projects)
    assert code == 2
    assert "line 4: id 'a' repeated (first on line 2)" in capsys.readouterr().err


def test_missing_offers_file_is_reported(tmp_path, capsys):
    code, _ = run_match(tmp_path, offers=str(tmp_path / "none.csv"))
    assert code == 2
    assert capsys.readouterr().err.strip().endswith("none.csv: file not found")


def test_trailing_empty_cells_from_spreadsheets_are_accepted(schedule_files, tmp_path):
    requests, _, out = schedule_files
    slots = write(tmp_path / "slots.csv", "slot,tables\n10:00,2,,\n10:20,1,\n")
    assert main(["schedule", "--requests", requests, "--slots", slots, "--out", str(out)]) == 0


def test_extra_non_empty_cells_are_reported(schedule_files, capsys, tmp_path):
    requests, _, out = schedule_files
    slots = write(tmp_path / "slots.csv", "slot,tables\n10:00,2,oops\n")
    line = run_error(
        capsys, ["schedule", "--requests", requests, "--slots", slots, "--out", str(out)]
    )
    assert line == f"seedbed engine: error: {slots}, line 2: 3 cells but the header has 2 columns"


def test_time_limit_must_be_positive(schedule_files, capsys):
    requests, slots, out = schedule_files
    argv = ["schedule", "--requests", requests, "--slots", slots, "--out", str(out)]
    assert main([*argv, "--time-limit", "0"]) == 2
    assert "must be a positive number" in capsys.readouterr().err


def test_match_command_learns_from_past_outcomes(tmp_path):
    pairs = [
        (p, o)
        for p in ("acme", "bluekelp", "yunfan", "dingo")
        for o in ("fund-a", "fund-b", "fund-c", "fund-d")
    ]
    lines = ["project,offer,outcome"]
    lines += [f"{p},{o},{'accepted' if k % 2 else 'declined'}" for k, (p, o) in enumerate(pairs)]
    outcomes = write(tmp_path / "outcomes.csv", "\n".join(lines) + "\n")
    code, out = run_match(tmp_path, extra=["--outcomes", outcomes])
    assert code == 0
    rows = read_rows(out)
    assert any("learned from past intro outcomes" in r["reasons"] for r in rows)


def test_outcome_for_an_unknown_project_is_reported(tmp_path, capsys):
    outcomes = write(
        tmp_path / "o.csv", "project,offer,outcome\nacme,fund-a,accepted\nzeta,fund-a,declined\n"
    )
    code, _ = run_match(tmp_path, extra=["--outcomes", outcomes])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err == f"seedbed engine: error: {outcomes}, line 3: unknown project 'zeta'"


def test_unknown_outcome_value_is_reported(tmp_path, capsys):
    outcomes = write(tmp_path / "o.csv", "project,offer,outcome\nacme,fund-a,maybe\n")
    code, _ = run_match(tmp_path, extra=["--outcomes", outcomes])
    assert code == 2
    assert "line 2: outcome 'maybe' is not accepted, met or declined" in capsys.readouterr().err
