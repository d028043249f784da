from django.utils import timezone
from django_tasks import task

from seedbed.notifications import services


@task()
def send_digests(frequency: str) -> int:
    """E-mail every member who chose `frequency` this period's digest, at most once each
    however often it runs; returns how many were sent."""
    now = timezone.now()
    sent = 0
    for user in services.members_due_a_digest(frequency, now).iterator(chunk_size=500):
        sent += services.send_digest(user, frequency, now)
    return sent
