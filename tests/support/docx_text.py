"""The text of a generated DOCX as a reader sees it.

The documents keep Thai words whole for word processors with invisible word joiners and
zero-width spaces (documents/thai_text.whole_words); ``plain`` removes them, as a reader's eye
does, so that tests compare the words themselves.
"""

from __future__ import annotations

import io

from itadesk.documents.thai_text import WJ, ZWSP


def plain(text: str) -> str:
    return text.replace(WJ, "").replace(ZWSP, "")


def docx_text(data: bytes) -> str:
    """Every paragraph of the body and of its tables (nested too), in order, a line each."""
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]

    def cells(tables):
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
                    cells(cell.tables)

    cells(document.tables)
    return plain("\n".join(parts))
