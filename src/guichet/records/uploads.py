"""Checks on an uploaded document: size limit and type allow-list decided by the content (magic bytes)."""

from __future__ import annotations

import hashlib
import os
import unicodedata

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

# The first bytes of each accepted format, and the extensions each may carry.
SIGNATURES: dict[str, bytes] = {
    "application/pdf": b"%PDF-",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
}
EXTENSIONS: dict[str, str] = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
ACCEPTED_LABEL = "PDF, JPEG ou PNG"


def format_size(size: int) -> str:
    """« 10 Mo », « 12,3 Mo », « 512 ko » (French decimal comma)."""
    if size >= 1024 * 1024:
        value, unit = size / (1024 * 1024), "Mo"
    else:
        value, unit = size / 1024, "ko"
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",") + f" {unit}"


def detect_content_type(head: bytes) -> str | None:
    return next((kind for kind, magic in SIGNATURES.items() if head.startswith(magic)), None)


def clean_filename(name: str) -> str:
    """The base name without control characters, kept for display and for the download name."""
    base = os.path.basename(name.replace("\\", "/"))
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[-255:] or "piece"


def check_upload(upload: UploadedFile, *, max_bytes: int) -> str:
    """The content type of an acceptable upload; ``ValidationError`` (French) otherwise."""
    name = upload.name or ""
    size = upload.size or 0
    if size == 0:
        raise ValidationError("Le fichier est vide.", code="empty")
    if size > max_bytes:
        raise ValidationError(
            f"Le fichier fait {format_size(size)} : la taille maximale est de {format_size(max_bytes)}.",
            code="too_large",
        )
    expected = EXTENSIONS.get(os.path.splitext(name)[1].lower())
    if expected is None:
        raise ValidationError(f"Format non accepté : seuls les fichiers {ACCEPTED_LABEL} sont acceptés.", code="type")
    upload.seek(0)
    detected = detect_content_type(upload.read(16))
    upload.seek(0)
    if detected != expected:
        raise ValidationError(
            f"Le contenu du fichier « {clean_filename(name)} » n'est pas celui d'un fichier {ACCEPTED_LABEL} "
            "valide, ou ne correspond pas à son extension.",
            code="content",
        )
    return detected


def sha256_of(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading an upload as soon as it passes the limit, so an oversized file never reaches the disk
    (the rest of the request body is read and dropped). Must be installed before ``request.POST`` is read."""

    def __init__(self, request: HttpRequest, *, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.max_bytes:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
