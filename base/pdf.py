"""HTML to PDF with WeasyPrint, fetching nothing: every style is in the document and the fonts
come from the machine (Debian's ``fonts-dejavu-core``; ``.ci/run`` installs Pango and them)."""

from __future__ import annotations


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run here (Pango is missing): the page offers HTML and JSON instead."""


def html_to_pdf(html: str) -> bytes:
    """The PDF of a complete HTML document. Only ``data:`` URLs may be read: a link to a style
    sheet, image or font elsewhere (or on the internet) is refused, not fetched."""
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except OSError as error:  # the Pango library is not installed
        raise PdfUnavailable(str(error)) from error
    fetcher = URLFetcher(allowed_protocols=("data",))
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
