"""HTML to PDF with WeasyPrint, fetching nothing: the style sheets are read from the app's own
static files and the fonts come from the machine (Debian's ``fonts-dejavu-core``; ``.ci/run``
installs Pango and them)."""

from __future__ import annotations

from django.contrib.staticfiles import finders


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run here (Pango is missing): the page offers HTML and JSON instead."""


def html_to_pdf(html: str, stylesheets: tuple[str, ...] = ()) -> bytes:
    """The PDF of a complete HTML document, laid out with ``stylesheets`` (paths of the app's
    static files, such as ``css/access-document-print.css``). Only ``data:`` URLs may be read
    while rendering: a link in the document to a style sheet, image or font elsewhere (or on
    the internet) is refused, not fetched."""
    try:
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher
    except OSError as error:  # the Pango library is not installed
        raise PdfUnavailable(str(error)) from error
    fetcher = URLFetcher(allowed_protocols=("data",))
    sheets = [CSS(filename=_static_file(path), url_fetcher=fetcher) for path in stylesheets]
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(stylesheets=sheets)


def _static_file(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    return found
