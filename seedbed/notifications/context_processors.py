from django.http import HttpRequest

from seedbed.notifications.services import unread_count


def notifications(request: HttpRequest) -> dict[str, int]:
    """The unread badge in the top bar: one query, and only for signed-in members."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
