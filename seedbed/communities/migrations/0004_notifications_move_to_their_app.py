# The notification models move to the notifications app: only Django's idea of which app owns
# them changes; the tables and their rows stay (notifications/0001 takes them over).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('communities', '0003_notification_intro_alter_notification_kind'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Notification'),
                migrations.DeleteModel(name='NotificationSettings'),
            ],
            database_operations=[],
        ),
    ]
