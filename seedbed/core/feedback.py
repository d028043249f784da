from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    """Show a service's refusal on the next page; `messages` flattens field errors too."""
    for message in exc.messages:
        messages.error(request, message)
