"""The PDF toolkit renders French typography as it is, on any machine (embedded DejaVu fonts)."""

import io

from pypdf import PdfReader

from guichet.pdf import Document


def _text(document: Document) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document.to_bytes())).pages)


def test_french_characters_survive_in_the_text_layer() -> None:
    document = Document(title="Vos tarifs « 2026 »")
    document.add_page()
    document.heading("Objet : un cœur à 12\u202f€")
    document.paragraph("« Œuvre » – l’accès aux droits…")
    text = _text(document)
    assert "un cœur à 12" in text
    assert "€" in text
    assert "« Œuvre » – l’accès aux droits…" in text


def test_long_text_flows_onto_numbered_pages() -> None:
    document = Document(title="Rapport")
    document.add_page()
    document.paragraph("Ligne de rapport assez longue pour remplir la page. " * 400)
    reader = PdfReader(io.BytesIO(document.to_bytes()))
    assert len(reader.pages) > 1
    assert f"Page 2 / {len(reader.pages)}" in reader.pages[1].extract_text()
    assert reader.metadata is not None and reader.metadata.title == "Rapport"
