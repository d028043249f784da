from django_tasks import task

from seedbed.notifications import services


@task()
def send_digests(frequency: str) -> int:
    """E-mail every member who chose `frequency` their digest; returns how many were sent."""
    sent = 0
    for user in services.members_due_a_digest(frequency).iterator(chunk_size=500):
        sent += services.send_digest(user, frequency)
    return sent
