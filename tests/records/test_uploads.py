"""Upload checks: size limit and type decided by the magic bytes, not the extension."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from guichet.records.uploads import EXTENSIONS, SIGNATURES, check_upload, clean_filename, format_size
from tests.records.factories import JPEG_BYTES, PDF_BYTES, PNG_BYTES


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.pdf", PDF_BYTES, "application/pdf"),
        ("A.PDF", PDF_BYTES, "application/pdf"),
        ("photo.jpg", JPEG_BYTES, "image/jpeg"),
        ("photo.jpeg", JPEG_BYTES, "image/jpeg"),
        ("scan.png", PNG_BYTES, "image/png"),
    ],
)
def test_accepted_formats(name: str, content: bytes, expected: str) -> None:
    assert check_upload(SimpleUploadedFile(name, content), max_bytes=1000) == expected


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("faux.pdf", b"MZ\x90\x00 not a pdf at all", "content"),
        ("faux.pdf", b"<html><script>alert(1)</script>", "content"),
        ("image.png", PDF_BYTES, "content"),
        ("script.exe", PDF_BYTES, "type"),
        ("sans-extension", PDF_BYTES, "type"),
        ("vide.pdf", b"", "empty"),
    ],
)
def test_refused_uploads(name: str, content: bytes, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile(name, content), max_bytes=1000)
    assert error.value.code == code


def test_size_limit_in_french() -> None:
    upload = SimpleUploadedFile("gros.pdf", PDF_BYTES + b"0" * (2 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        check_upload(upload, max_bytes=1024 * 1024)
    assert error.value.messages == ["Le fichier fait 2 Mo : la taille maximale est de 1 Mo."]


def test_limit_is_inclusive() -> None:
    assert check_upload(SimpleUploadedFile("a.pdf", PDF_BYTES), max_bytes=len(PDF_BYTES)) == "application/pdf"


def test_format_size() -> None:
    assert format_size(10 * 1024 * 1024) == "10 Mo"
    assert format_size(int(12.3 * 1024 * 1024)) == "12,3 Mo"
    assert format_size(512 * 1024) == "512 ko"


def test_clean_filename_drops_paths_and_control_characters() -> None:
    assert clean_filename("C:\\Users\\x\\..\\avis\n2025.pdf") == "avis2025.pdf"
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("") == "piece"


@given(content=st.binary(min_size=1, max_size=64), extension=st.sampled_from([".pdf", ".jpg", ".jpeg", ".png"]))
def test_only_the_matching_signature_is_accepted(content: bytes, extension: str) -> None:
    expected = EXTENSIONS[extension]
    upload = SimpleUploadedFile("piece" + extension, content)
    if content.startswith(SIGNATURES[expected]):
        assert check_upload(upload, max_bytes=1000) == expected
    else:
        with pytest.raises(ValidationError):
            check_upload(upload, max_bytes=1000)
