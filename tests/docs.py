"""Small real documents made by the tests: PDFs with reportlab, DOCX with python-docx."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

HEADER = "Serious Case Review: Child Q - Final publication copy"


def write_pdf(
    path: Path, pages: list[list[tuple[str, str]]], header: str = HEADER, encrypt: str | None = None
) -> Path:
    """One list of (style, line) per page; style 'h' is a bold heading, 'b' body text.

    Every page gets the running header and a 'Page x of y' footer, as real reports do.
    """
    width, height = A4
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1, encrypt=encrypt)
    for number, lines in enumerate(pages, start=1):
        pdf.setFont("Helvetica", 8)
        pdf.drawString(72, height - 40, header)
        pdf.drawCentredString(width / 2, 36, f"Page {number} of {len(pages)}")
        y = height - 90
        for style, line in lines:
            if style == "gap":
                y -= 10
                continue
            pdf.setFont(
                "Helvetica-Bold" if style == "h" else "Helvetica", 14 if style == "h" else 10.5
            )
            y -= 20 if style == "h" else 14
            pdf.drawString(72, y, line)
        pdf.showPage()
    pdf.save()
    return path


def write_image_only_pdf(path: Path) -> Path:
    """A 'scanned' page: shapes and no text layer."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for i in range(20):
        pdf.rect(72, 700 - i * 30, 400, 12, fill=1)
    pdf.showPage()
    pdf.save()
    return path
