import subprocess
import sys

import pytest
from django.core.management import call_command

from seedbed.cli import ALIASES, main


def test_serve_and_worker_are_names_for_django_commands():
    assert ALIASES == {"serve": "runserver", "worker": "db_worker"}


def test_the_seedbed_command_passes_other_commands_to_django(capsys):
    assert main(["help", "demo"]) == 0
    assert "--members" in capsys.readouterr().out


@pytest.mark.django_db
def test_createoperator_makes_a_staff_member_with_a_verified_address(tmp_path):
    from allauth.account.models import EmailAddress

    from seedbed.accounts.models import User

    # call_command, not main(): a command run from argv closes every connection when it ends.
    call_command("createoperator", "ops@example.org", name="Ops", password="a-Strong-pass-2026")
    user = User.objects.get(email="ops@example.org")
    assert user.is_staff and user.is_operator and "operator" in user.roles
    assert EmailAddress.objects.get(user=user).verified
    assert user.check_password("a-Strong-pass-2026")


@pytest.mark.slow
def test_createoperator_refuses_a_bad_address_with_one_line():
    result = subprocess.run(
        [sys.executable, "-m", "seedbed.cli", "createoperator", "not-an-email", "--password", "x"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "not a valid e-mail address" in result.stderr
    assert "Traceback" not in result.stderr
