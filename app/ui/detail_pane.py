"""The detail pane: one item in full, by kind, with its provenance always in view.

Text goes to a QTextBrowser that never loads a resource (no remote content, no
scripts: the HTML is built from escaped text, app/ui/detail_html.py). PDFs show their
pages through QtPdf (QPdfDocument + QPdfView) from item_bytes(); images are scaled
and zoomable. Search terms are highlighted.
"""

import re
from html import escape as _esc

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRegularExpression, Qt, Signal
from PySide6.QtGui import QColor, QPixmap, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.store import annotations
from app.store.cjk_index import CJK_RUN, cjk_words
from app.store.item_fields import FieldsUnreadable
from app.store.item_query import get_item, item_bytes
from app.ui.detail_html import item_html, provenance_html, warnings_of
from app.ui.evidence_model import KIND_LABELS, format_time, stored_utc_us

FTS_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
MAX_HIGHLIGHTS = 500
IMAGE_MIME = ("image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp", "image/tiff")


def _query_terms(query: str | None) -> list[tuple[str, bool]]:
    """(term, is_prefix) for each word or phrase of a search worth highlighting."""
    if not query:
        return []
    words = re.findall(r'"([^"]+)"(\*?)|([\w@.\-#]+)(\*?)', query)
    terms = [(phrase or word, bool(phrase_star or word_star)) for phrase, phrase_star, word, word_star in words]
    terms = [(t, star) for t, star in terms if t and t not in FTS_OPERATORS and not t.endswith(":")]
    # "API 密钥" is found in "API密钥" (CJK is matched by bigrams, app/store/cjk_index.py):
    # highlight its words one by one as well.
    seen = {t for t, _ in terms}
    return terms + [(part, False) for t, _ in terms if CJK_RUN.search(t) for part in cjk_words(t) if part not in seen]


def search_terms(query: str | None) -> list[str]:
    """The words of a search worth highlighting (operators and column names dropped)."""
    return [term for term, _prefix in _query_terms(query)]


def highlight_patterns(query: str | None) -> list[str]:
    """A regular expression per term matching whole words only, as the search does:
    "by" does not mark "bytes" (but "by*" does); a phrase matches across punctuation.
    CJK has no spaces between words, so its terms match anywhere."""
    patterns = []
    for term, prefix in _query_terms(query):
        if CJK_RUN.search(term):
            patterns.append(re.escape(term))
            continue
        words = [re.escape(w) for w in re.split(r"[^\w]+", term) if w]
        if words:
            patterns.append(r"(?<!\w)" + r"[^\w]+".join(words) + (r"\w*" if prefix else r"(?!\w)"))
    return patterns


class SafeTextBrowser(QTextBrowser):
    """A text browser that loads nothing: no images, no remote or local resources."""

    def loadResource(self, _type, _url):  # noqa: N802 (Qt override)
        return None


class ImageView(QScrollArea):
    """An image scaled to fit, zoomable with the buttons or Ctrl+wheel."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        self.pixmap = QPixmap()
        self.zoom = 1.0

    def set_image(self, data: bytes) -> bool:
        self.pixmap = QPixmap()
        ok = self.pixmap.loadFromData(data)
        self.label.setText("" if ok else "This image could not be decoded.")
        self.fit()
        return ok

    def fit(self) -> None:
        if self.pixmap.isNull():
            return
        width = max(50, self.viewport().width() - 4)
        self.zoom = min(1.0, width / max(1, self.pixmap.width()))
        self._show()

    def zoom_by(self, factor: float) -> None:
        self.zoom = max(0.05, min(8.0, self.zoom * factor))
        self._show()

    def _show(self) -> None:
        if not self.pixmap.isNull():
            size = self.pixmap.size() * self.zoom
            self.label.setPixmap(
                self.pixmap.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            )

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1.25 if event.angleDelta().y() > 0 else 0.8)
        else:
            super().wheelEvent(event)


class DetailPane(QWidget):
    item_link_activated = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.item: dict | None = None
        self._pdf_buffer = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.title_label = QLabel(wordWrap=True, objectName="detailTitle")
        self.warning_label = QLabel(wordWrap=True, objectName="detailWarnings")
        self.warning_label.setStyleSheet(
            "background: #fff4ce; color: #5c4400; padding: 4px; border: 1px solid #e0c060;"
        )
        self.tabs = QTabWidget()
        self.text_view = SafeTextBrowser(objectName="detailText", openLinks=False)
        self.text_view.anchorClicked.connect(self._on_link)
        self.pdf_document = QPdfDocument(self)
        self.pdf_view = QPdfView()  # no parent until it is a tab: else it paints over the title
        self.pdf_view.setDocument(self.pdf_document)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.image_view = ImageView()
        self.image_page = self._image_page()
        self.annotations_label = QLabel(
            wordWrap=True,
            objectName="detailAnnotations",
            textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse,
        )
        self.provenance_label = QLabel(
            wordWrap=True,
            objectName="detailProvenance",
            textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse,
        )
        self.provenance_label.setStyleSheet("background: palette(alternate-base); padding: 4px;")
        layout.addWidget(self.title_label)
        layout.addWidget(self.warning_label)
        layout.addWidget(self._body(), 1)
        self.clear()

    def _body(self) -> QSplitter:
        """The item above, its tags, notes and provenance below: the user moves the line between them.

        The lower part scrolls (hashes do not wrap), so the pane stays narrow and short enough
        to sit beside the table at 1366x768 and at 200%."""
        info = QWidget()
        box = QVBoxLayout(info)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.annotations_label)
        box.addWidget(self.provenance_label)
        box.addStretch(1)
        area = QScrollArea(objectName="detailInfo")
        area.setWidget(info)
        area.setWidgetResizable(True)
        area.setMinimumHeight(48)
        body = QSplitter(Qt.Orientation.Vertical, objectName="detailSplitter")
        body.addWidget(self.tabs)
        body.addWidget(area)
        body.setChildrenCollapsible(False)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 1)
        body.setSizes([300, 110])  # the shares kept as the pane is resized
        return body

    def _image_page(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        buttons = QHBoxLayout()
        for text, slot in (
            ("Fit", self.image_view.fit),
            ("Zoom in", lambda: self.image_view.zoom_by(1.25)),
            ("Zoom out", lambda: self.image_view.zoom_by(0.8)),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        box.addWidget(self.image_view, 1)
        return page

    # -- showing ---------------------------------------------------------------------------

    def clear(self, message: str = "Select an item to see it in full here.") -> None:
        self.item = None
        self.title_label.setText(f"<i>{message}</i>")
        self.warning_label.hide()
        self._set_tabs([])
        self.text_view.clear()
        self.annotations_label.clear()
        self.annotations_label.hide()
        self.provenance_label.clear()
        self.provenance_label.hide()

    def show_item(self, case, item_id: int, zone, search: str | None = None) -> None:
        """Show one item of `case` (GUI-thread CaseFile), times in `zone`."""
        try:
            item = get_item(case.conn, item_id)
        except FieldsUnreadable as exc:  # the original is damaged: say so, and what to do
            self.clear(str(exc))
            return
        if item is None:
            self.clear(f"Item {item_id} is not in this case.")
            return
        self.item = item
        fmt = lambda us: format_time(us, zone)  # noqa: E731
        kind = KIND_LABELS.get(item["kind"], item["kind"])
        self.title_label.setText(
            f"<b>{_esc(item['title'] or '(untitled)')}</b><br>{kind} · item {item['id']} · {fmt(item['ts_us'])}"
        )
        warnings = warnings_of(item)
        self.warning_label.setText("⚠ " + "<br>⚠ ".join(_esc(w) for w in warnings))
        self.warning_label.setVisible(bool(warnings))
        self.text_view.setHtml(item_html(case.conn, item, fmt))
        self._highlight(highlight_patterns(search))
        self._show_media(case.conn, item)
        self._show_annotations(case, item_id, fmt)
        self.provenance_label.setText(provenance_html(item))
        self.provenance_label.show()

    def _show_media(self, conn, item: dict) -> None:
        tabs = [("Content", self.text_view)]
        if item["kind"] in ("document", "image", "attachment"):
            data = item_bytes(conn, item["id"])
            if data and data[:5] == b"%PDF-" and self._load_pdf(data):
                tabs.append(("Pages", self.pdf_view))
            elif data and (item["kind"] == "image" or item["fields"].get("mime_type") in IMAGE_MIME):
                if self.image_view.set_image(data):
                    tabs.insert(0, ("Image", self.image_page))
        self._set_tabs(tabs)

    def _load_pdf(self, data: bytes) -> bool:
        self.pdf_document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._pdf_buffer = buffer  # the document reads from it: keep it alive
        self.pdf_document.load(buffer)
        return self.pdf_document.status() == QPdfDocument.Status.Ready and self.pdf_document.pageCount() > 0

    def _set_tabs(self, tabs) -> None:
        while self.tabs.count():
            self.tabs.removeTab(0)
        for title, widget in tabs or [("Content", self.text_view)]:
            self.tabs.addTab(widget, title)
        self.tabs.setCurrentIndex(0)

    def _show_annotations(self, case, item_id: int, fmt) -> None:
        tags = annotations.item_tags(case, item_id)
        notes = annotations.item_notes(case, item_id)
        lines = [f"<b>Tags:</b> {_esc(', '.join(t['code'] for t in tags)) or 'none'}"]
        for note in notes:  # the time in the zone the case is shown in, as every other time
            when = fmt(stored_utc_us(note["created_utc"]))
            lines.append(f"<b>Note</b> ({_esc(note['who'] or '')}, {_esc(when)}): {_esc(str(note['text']))}")
        self.annotations_label.setText("<br>".join(lines))
        self.annotations_label.show()

    def _highlight(self, patterns: list[str]) -> None:
        selections = []
        document = self.text_view.document()
        marker = QTextCharFormat()
        marker.setBackground(QColor("#ffe066"))
        options = (
            QRegularExpression.PatternOption.CaseInsensitiveOption
            | QRegularExpression.PatternOption.UseUnicodePropertiesOption
        )
        for pattern in patterns:
            expression = QRegularExpression(pattern, options)
            cursor = QTextCursor(document)
            while len(selections) < MAX_HIGHLIGHTS:
                cursor = document.find(expression, cursor, QTextDocument.FindFlag(0))
                if cursor.isNull():
                    break
                selection = QTextEdit.ExtraSelection()
                selection.cursor, selection.format = cursor, marker
                selections.append(selection)
        self.text_view.setExtraSelections(selections)

    def highlight_count(self) -> int:
        return len(self.text_view.extraSelections())

    def _on_link(self, url) -> None:
        if url.scheme() == "item" and url.path().isdigit():
            self.item_link_activated.emit(int(url.path()))
