"""Moving the models to this app changed no table: rows written while communities owned them
are read by the notifications app after the migrations, on SQLite and on PostgreSQL."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from seedbed.notifications.models import Notification, NotificationSettings
from tests.factories import MemberFactory

BEFORE = [
    ("communities", "0003_notification_intro_alter_notification_kind"),
    ("notifications", None),
]


@pytest.mark.django_db(transaction=True)
def test_notifications_and_settings_written_before_the_move_are_there_after_it():
    reader, actor = MemberFactory(), MemberFactory()
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE[0]).apps
        note = old.get_model("communities", "Notification").objects.create(
            recipient_id=reader.pk, actor_id=actor.pk, kind="invitation"
        )
        old.get_model("communities", "NotificationSettings").objects.create(
            user_id=reader.pk, digest="daily"
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    moved = Notification.objects.get(pk=note.pk)
    assert (moved.recipient, moved.actor, moved.kind) == (reader, actor, "invitation")
    assert NotificationSettings.objects.get(user=reader).digest == "daily"
    assert Notification._meta.db_table == "communities_notification"
