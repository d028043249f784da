import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from seedbed.accounts.models import MemberRole, User, Visibility

PASSWORD = "a-long-Test-passphrase-42"


class MemberFactory(factory.django.DjangoModelFactory):
    """A member with a verified e-mail address and the test password."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Member {n}")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))
    visibility = Visibility.PUBLIC

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            MemberRole.objects.bulk_create([MemberRole(user=self, role=r) for r in extracted])


def wipe_library_and_engagement() -> None:
    """What the demo writes in the library and the ledger, for the modules that load the demo
    outside a test's transaction and must leave the database as they found it. Platform-wide
    resources and tracks, rewards and ledger rows outlive the members and communities."""
    from seedbed.engagement.models import (
        HelpfulMark,
        MemberBadge,
        PointEntry,
        Redemption,
        Reward,
        Standing,
    )
    from seedbed.library.models import Resource, Track

    for model in (Redemption, Reward, MemberBadge, HelpfulMark, Standing, Track, Resource):
        model.objects.all().delete()
    PointEntry.objects.filter(reverses__isnull=False).delete()
    PointEntry.objects.all().delete()
