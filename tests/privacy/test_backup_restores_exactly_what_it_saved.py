import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from seedbed.accounts.models import User
from seedbed.communities.models import Post
from seedbed.privacy.backup import MANIFEST, row_counts, table_checksums
from tests.factories import MemberFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    (root / "library").mkdir(parents=True)
    (root / "library" / "deck.pdf").write_bytes(b"%PDF-1.4 original deck")
    settings.MEDIA_ROOT = root
    return root


def _members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as archive:
        return {m.name: archive.extractfile(m).read() for m in archive.getmembers() if m.isfile()}


def _write(path: Path, members: dict[str, bytes]) -> None:
    with tarfile.open(path, "w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def _refusal(path: Path) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path))
    message = str(refused.value)
    assert "\n" not in message
    return message


def test_a_restore_brings_back_every_row_and_file_the_backup_saved(world, media, tmp_path):
    archive = tmp_path / "site.tar"
    counts, sums = row_counts(), table_checksums()
    call_command("backup", str(archive), stdout=io.StringIO())

    manifest = json.loads(_members(archive)[MANIFEST])
    assert manifest["vendor"] == connection.vendor and manifest["format"] == 1
    assert manifest["row_counts"]["accounts_user"] == User.objects.count()
    assert ["accounts", "0001_initial"] in manifest["migrations"]
    assert "media/library/deck.pdf" in manifest["members"]

    Post.objects.all().delete()
    MemberFactory()
    (media / "library" / "deck.pdf").write_bytes(b"changed")
    (media / "stray.txt").write_text("added after the backup")

    call_command("restore", str(archive), stdout=io.StringIO())
    assert row_counts() == counts
    assert table_checksums() == sums
    assert (media / "library" / "deck.pdf").read_bytes() == b"%PDF-1.4 original deck"
    assert not (media / "stray.txt").exists()


def test_a_damaged_archive_is_refused_and_nothing_changes(world, media, tmp_path):
    archive = tmp_path / "site.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    Post.objects.all().delete()
    counts, sums = row_counts(), table_checksums()

    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert "damaged" in _refusal(truncated) or "manifest" in _refusal(truncated)

    members = _members(archive)
    database = next(name for name in members if name.startswith("database."))
    tampered = tmp_path / "tampered.tar"
    _write(tampered, {**members, database: members[database][:-10] + b"0123456789"})
    assert "checksum" in _refusal(tampered)

    manifest = json.loads(members[MANIFEST])
    manifest["vendor"] = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    foreign = tmp_path / "foreign.tar"
    _write(foreign, {**members, MANIFEST: json.dumps(manifest).encode()})
    assert "database; this site uses" in _refusal(foreign)

    manifest = json.loads(members[MANIFEST])
    manifest["migrations"].append(["accounts", "9999_from_the_future"])
    newer = tmp_path / "newer.tar"
    _write(newer, {**members, MANIFEST: json.dumps(manifest).encode()})
    assert "newer code" in _refusal(newer)

    smuggled = tmp_path / "smuggled.tar"
    _write(smuggled, {**members, "../escape.txt": b"x"})
    assert "differ from its manifest" in _refusal(smuggled)

    not_tar = tmp_path / "notes.txt"
    not_tar.write_text("hello")
    assert "damaged" in _refusal(not_tar)
    assert "no such file" in _refusal(tmp_path / "missing.tar")

    assert row_counts() == counts and table_checksums() == sums
    assert (media / "library" / "deck.pdf").read_bytes() == b"%PDF-1.4 original deck"


def test_a_backup_into_a_missing_folder_is_one_line_and_leaves_no_file(db, tmp_path, media):
    with pytest.raises(CommandError, match="no such folder"):
        call_command("backup", str(tmp_path / "nowhere" / "site.tar"))
    assert not (tmp_path / "nowhere").exists()


def test_the_cli_answers_bad_input_in_one_line_with_a_non_zero_exit(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "seedbed.cli", "restore", str(tmp_path / "missing.tar")],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "SEEDBED_DATA_DIR": str(tmp_path), "HOME": str(tmp_path)},
    )
    assert done.returncode != 0
    assert done.stderr.strip().count("\n") == 0 and "no such file" in done.stderr
