"""Uploaded files: a PDF or slides, recognised by their first bytes (never by the name or the
browser's word), at most ``MAX_FILE_BYTES``, stored under a random name."""

from __future__ import annotations

import io
import secrets
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 20 * 1024 * 1024

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "ppt": "application/vnd.ms-powerpoint",
    "odp": "application/vnd.oasis.opendocument.presentation",
}

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODP = b"application/vnd.oasis.opendocument.presentation"


def _zip_kind(upload: UploadedFile) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
            names = set(archive.namelist())
            if "ppt/presentation.xml" in names:
                return "pptx"
            if "mimetype" in names and archive.read("mimetype").strip() == _ODP:
                return "odp"
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    return None


def file_kind(upload: UploadedFile) -> str | None:
    """``pdf``, ``pptx``, ``ppt`` or ``odp`` from the content, or None for anything else."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head == _OLE:
        return "ppt"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    return None


def check_upload(upload: UploadedFile) -> str:
    """The file's kind, or a ValidationError on ``file`` saying what is accepted."""
    if upload.size is None or upload.size > MAX_FILE_BYTES:
        raise ValidationError(
            {"file": [_("A file can be at most %(n)d MB.") % {"n": MAX_FILE_BYTES // 2**20}]}
        )
    if upload.size == 0:
        raise ValidationError({"file": [_("The file is empty.")]})
    kind = file_kind(upload)
    if kind is None:
        raise ValidationError({"file": [_("Upload a PDF or slides (PowerPoint or OpenDocument).")]})
    upload.seek(0)
    return kind


def stored_name(kind: str) -> str:
    """A name nobody can guess or choose: the original name is kept only for the download."""
    return f"{secrets.token_urlsafe(18)}.{kind}"
