"""PDF rendering for every app (WeasyPrint): embedded fonts, a URL fetcher that serves only
the project's own static files, metadata, PDF/UA, caching by content in shared storage, and
a Celery path for large documents. Apps keep only their templates and what goes into them:

    from ledelse.documents import Document, pdf_response
    doc = Document(template="lus/pdf/record.html", context={...}, title=..., subject=...)
    return pdf_response(doc)
"""

from ledelse.documents.render import Document, pdf_response, render_html, render_pdf

__all__ = ["Document", "pdf_response", "render_html", "render_pdf"]
