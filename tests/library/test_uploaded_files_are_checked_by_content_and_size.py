"""An uploaded file must be a PDF or slides by its content (not its name), at most 20 MB; it is
stored under a random name and downloaded, never rendered inline."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from seedbed.library import files, services
from tests.library.conftest import PDF, api_for, client_for, pdf, pptx


def add_with(user, upload):
    return services.add_resource(user, kind="template", title="Cap table", upload=upload)


def test_a_pdf_and_a_pptx_are_accepted(world):
    first = add_with(world["operator"], pdf("Cap table.pdf"))
    assert (first.file_type, first.file_name, first.file_size) == ("pdf", "Cap table.pdf", len(PDF))
    second = add_with(world["operator"], pptx())
    assert second.file_type == "pptx"
    assert first.file.name != second.file.name and first.file.name.startswith("library/")


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("evil.pdf", b"<html><script>alert(1)</script>", "application/pdf"),
        SimpleUploadedFile("notes.pptx", b"PK\x03\x04not really a zip", "application/zip"),
        SimpleUploadedFile("empty.pdf", b"", "application/pdf"),
    ],
    ids=["html named pdf", "broken zip", "empty"],
)
def test_anything_else_is_refused_on_the_file_field(world, upload):
    with pytest.raises(ValidationError) as refused:
        add_with(world["operator"], upload)
    assert "file" in refused.value.message_dict


def test_a_zip_that_is_not_slides_is_refused(world):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(ValidationError):
        add_with(world["operator"], SimpleUploadedFile("doc.pptx", buffer.getvalue()))


def test_a_file_over_the_limit_is_refused(world, monkeypatch):
    monkeypatch.setattr(files, "MAX_FILE_BYTES", len(PDF) - 1)
    with pytest.raises(ValidationError) as refused:
        add_with(world["operator"], pdf())
    assert "MB" in refused.value.message_dict["file"][0]


def test_the_api_uploads_and_refuses_with_the_envelope(world):
    resource = world["public_resource"]
    api = api_for(world["owner"])
    done = api.post(f"/api/v1/library/resources/{resource.pk}/file", {"file": pptx()})
    assert done.status_code == 200
    assert done.json()["file_url"] == reverse("library:file", args=[resource.pk])
    bad = api.post(
        f"/api/v1/library/resources/{resource.pk}/file",
        {"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 an executable")},
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "file"
    other = api_for(world["member"]).post(
        f"/api/v1/library/resources/{resource.pk}/file", {"file": pdf()}
    )
    assert other.status_code == 403


def test_the_download_is_an_attachment_under_the_original_name(world):
    resource = world["private_resource"]
    response = client_for(world["moderator"]).get(reverse("library:file", args=[resource.pk]))
    assert response.status_code == 200
    assert 'filename="secret.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_a_resource_without_a_file_has_no_download(world, client):
    resource = world["public_resource"]
    assert client.get(reverse("library:file", args=[resource.pk])).status_code == 404


def test_the_api_download_serves_members_the_file(world):
    resource = world["private_resource"]
    response = api_for(world["member"]).get(f"/api/v1/library/resources/{resource.pk}/file")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_a_replaced_file_leaves_the_disk(world, django_capture_on_commit_callbacks):
    resource = world["private_resource"]
    old = resource.file.name
    storage = resource.file.storage
    assert storage.exists(old)
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_resource(world["owner"], resource.pk, upload=pptx())
    resource.refresh_from_db()
    assert resource.file_type == "pptx" and storage.exists(resource.file.name)
    assert not storage.exists(old)
