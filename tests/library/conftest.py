import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from seedbed.accounts.services import create_api_token
from seedbed.communities import services as community_services
from seedbed.communities.models import Membership, Role, Visibility
from seedbed.library import services
from seedbed.library.models import Resource, ResourceStatus
from tests.factories import MemberFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def pdf(name: str = "slides.pdf", body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def pptx(name: str = "deck.pptx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/zip")


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_for(user) -> Client:
    _token, secret = create_api_token(user, "tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def published(author, **fields) -> Resource:
    """A resource published at once (``author`` moderates where it goes)."""
    values = {"kind": "book", "title": "A book", "link": "https://example.org/book"}
    values.update(fields)
    resource = services.add_resource(author, **values)
    assert resource.status == ResourceStatus.APPROVED
    return resource


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    """An owner of a public and a private community, a moderator and a member of both, an
    outsider, an operator; a published resource in each community and one platform-wide."""
    owner = MemberFactory(display_name="Owner")
    operator = MemberFactory(display_name="Operator", is_staff=True)
    public = community_services.create_community(owner, name="Open founders")
    private = community_services.create_community(
        owner, name="Closed founders", visibility=Visibility.PRIVATE
    )
    member, moderator, outsider = MemberFactory.create_batch(3)
    for community in (public, private):
        Membership.objects.create(community=community, user=member)
        Membership.objects.create(community=community, user=moderator, role=Role.MODERATOR)
    return {
        "owner": owner,
        "operator": operator,
        "member": member,
        "moderator": moderator,
        "outsider": outsider,
        "public": public,
        "private": private,
        "public_resource": published(
            owner, title="Open term sheet guide", community=public.slug, topics=["fundraising"]
        ),
        "private_resource": published(
            owner,
            title="Secret cap table",
            community=private.slug,
            topics=["fundraising"],
            upload=pdf("secret.pdf"),
        ),
        "platform_resource": published(
            operator, title="Deep Learning", topics=["machine learning"]
        ),
    }
