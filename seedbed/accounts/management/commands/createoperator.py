import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from seedbed.accounts.services import create_operator


class Command(BaseCommand):
    help = "Create an operator (staff who sees the admin and operator pages), or promote one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="display name")
        parser.add_argument(
            "--password",
            default=None,
            help="password (asked for when omitted; or set SEEDBED_OPERATOR_PASSWORD)",
        )

    def handle(self, *args, email: str, name: str, password: str | None, **options) -> None:

        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"not a valid e-mail address: {email!r}") from None
        password = password or os.environ.get("SEEDBED_OPERATOR_PASSWORD")
        if not password:
            if not options.get("interactive", True):
                raise CommandError("no password given")
            password = getpass.getpass("Password: ")
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("weak password: " + " ".join(exc.messages)) from None
        user = create_operator(
            email=email, password=password, display_name=name or email.split("@")[0]
        )
        self.stdout.write(self.style.SUCCESS(f"Operator {user.email} is ready."))
