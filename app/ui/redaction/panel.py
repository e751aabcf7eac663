"""Redaction mode: the current item's text and pages, where the user redacts.

Select text and press "Redact selection"; drag a box on a page of a PDF or an image.
Both use the reason chosen above. The item's redactions are listed below (Remove
undoes one; Ctrl+Z undoes the last change). "Export preview" shows what the export
produces: each redaction as a solid box with its label instead of a red outline.
"""

import re

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.export.redaction_marks import flexible
from app.store import redactions
from app.store.item_query import get_item, item_bytes
from app.ui.redaction import commands
from app.ui.redaction.page_view import PageView, render_page
from app.ui.redaction.text_view import RedactionText

RENDER_SCALE = 1.5  # pixels per point of the page pictures (the view scales them to fit)


class RedactionPanel(QWidget):
    def __init__(self, window):
        super().__init__()
        self.setObjectName("redactionPanel")
        self.window = window
        self.item: dict | None = None
        self.data: bytes | None = None
        self.pages = 0
        self.heading = QLabel("Select an item to redact it.", wordWrap=True, objectName="redactionHeading")
        self.reason = QComboBox(objectName="redactionReason")
        self.preview = QCheckBox("Export preview", objectName="redactionPreview")
        self.preview.setToolTip("Show redactions as the export burns them in: solid boxes with their label")
        self.preview.toggled.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(QLabel("Reason"))
        top.addWidget(self.reason, 1)
        top.addWidget(self.preview)
        self.text = RedactionText()
        self.redact_text = QPushButton("Redact selection", objectName="redactSelection")
        self.redact_text.setShortcut("Ctrl+Alt+D")
        self.redact_text.clicked.connect(self.redact_selection)
        text_tab = QWidget()
        text_layout = QVBoxLayout(text_tab)
        text_layout.setContentsMargins(0, 0, 0, 0)
        text_layout.addWidget(self.text, 1)
        text_layout.addWidget(self.redact_text)
        self.page_view = PageView()
        self.page_view.box_drawn.connect(self.redact_box)
        self.page = QSpinBox(objectName="redactionPage", minimum=1, maximum=1, prefix="Page ")
        self.page.valueChanged.connect(self._show_page)
        self.page_count = QLabel("")
        page_bar = QHBoxLayout()
        page_bar.addWidget(self.page)
        page_bar.addWidget(self.page_count)
        page_bar.addWidget(QLabel("Drag a box on the page to redact it."), 1)
        page_tab = QWidget()
        page_layout = QVBoxLayout(page_tab)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addLayout(page_bar)
        page_layout.addWidget(self.page_view, 1)
        self.tabs = QTabWidget(objectName="redactionTabs")
        self.tabs.addTab(text_tab, "Text")
        self.tabs.addTab(page_tab, "Page")
        self.listing = QListWidget(objectName="redactionList")
        self.listing.setMaximumHeight(110)
        self.remove_button = QPushButton("Remove", objectName="removeRedaction")
        self.remove_button.clicked.connect(self.remove_selected)
        self.pattern_button = QPushButton("Redact by pattern...", objectName="redactByPattern")
        self.pattern_button.clicked.connect(self.open_pattern_dialog)
        bottom = QHBoxLayout()
        bottom.addWidget(self.pattern_button)
        bottom.addStretch(1)
        bottom.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(QLabel("Redactions of this item"))
        layout.addWidget(self.listing)
        layout.addLayout(bottom)
        self._set_enabled(False)

    # -- what is shown ------------------------------------------------------------------

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.reason, self.preview, self.redact_text, self.listing, self.remove_button, self.tabs):
            widget.setEnabled(enabled)
        self.pattern_button.setEnabled(self.window.case is not None)

    def show_item(self, item_id: int | None) -> None:
        case = self.window.case
        self.item = get_item(case.conn, item_id) if case is not None and item_id is not None else None
        if self.item is None:
            self.heading.setText("Select an item to redact it." if case else "No case open.")
            self.text.setPlainText("")
            self.page_view.clear()
            self.listing.clear()
            self._set_enabled(False)
            return
        self._set_enabled(True)
        self._fill_reasons()
        kind = self.item["kind"].replace("_", " ")
        self.heading.setText(f"Item {self.item['id']} ({kind}): {self.item.get('title') or ''}")
        self.data = (
            item_bytes(case.conn, self.item["id"]) if self.item["kind"] in ("document", "attachment", "image") else None
        )
        self.pages = len(redactions.page_sizes(self.data))
        self.tabs.setTabEnabled(1, self.pages > 0)
        self.page.blockSignals(True)
        self.page.setMaximum(max(1, self.pages))
        self.page.setValue(1)
        self.page.blockSignals(False)
        self.page_count.setText(f"of {self.pages}" if self.pages else "")
        self.tabs.setCurrentIndex(1 if self.pages else 0)
        self.refresh()

    def _fill_reasons(self) -> None:
        chosen = self.reason.currentData()
        self.reason.clear()
        for code, name in redactions.reasons(self.window.case.conn):
            self.reason.addItem(name, code)
        if chosen:
            index = self.reason.findData(chosen)
            self.reason.setCurrentIndex(max(0, index))

    def refresh(self) -> None:
        if self.item is None or self.window.case is None:
            return
        conn = self.window.case.conn
        self.found = redactions.redactions_by_item(conn, [self.item["id"]]).get(self.item["id"])
        self.names = redactions.reason_names(conn)
        self.text.show_text(self.item.get("text") or "", self.found, self.names, self.preview.isChecked())
        self.listing.clear()
        for r in redactions.list_redactions(conn, self.item["id"]):
            entry = QListWidgetItem(f"{self.names.get(r.reason, r.reason)}: {r.describe()}  ({r.who})")
            entry.setData(256, r.id)
            self.listing.addItem(entry)
        self._show_page()

    def _show_page(self) -> None:
        if not self.pages or self.data is None:
            self.page_view.clear()
            return
        number = self.page.value()
        image, size = render_page(self.data, number, RENDER_SCALE)
        self.page_view.set_page(image, size, self._page_boxes(number), self.preview.isChecked())

    def _page_boxes(self, number: int) -> list:
        """The boxes on this page: drawn ones and where the item's redacted strings are in its text layer."""
        if not self.found:
            return []
        label = lambda code: redactions.label(self.names.get(code, code))  # noqa: E731
        boxes = [(box, label(reason)) for page, box, reason, _rid in self.found.boxes if page == number]
        if self.found.strings and self.data[:1024].lstrip().startswith(b"%PDF"):
            import pypdfium2  # here, not at start-up: the window opens without PDFium

            from app.export.redact_pdf import locate, page_chars

            patterns = [(re.compile(flexible(s)), label(r), rid) for s, r, rid in self.found.strings if s.split()]
            document = pypdfium2.PdfDocument(self.data)
            try:
                page = document[number - 1]
                left, bottom, _right, _top = page.get_cropbox()
                textpage = page.get_textpage()
                for (x0, y0, x1, y1), text, _rid in locate(page_chars(textpage), patterns):
                    boxes.append(((x0 - left, y0 - bottom, x1 - left, y1 - bottom), text))
                textpage.close()
                page.close()
            finally:
                document.close()
        return boxes

    # -- redacting ----------------------------------------------------------------------

    def redact_selection(self) -> None:
        span = self.text.selected_span() if self.item and not self.preview.isChecked() else None
        if span is None:
            self.window.show_error("Select the text to redact first (with Export preview off).")
            return
        item_id, reason = self.item["id"], self.reason.currentData()
        commands.make(
            self.window,
            lambda case: redactions.redact_span(case, item_id, span[0], span[1], reason),
            f"Redact characters {span[0]}-{span[1]} of item {item_id}",
        )

    def redact_box(self, box) -> None:
        if self.item is None:
            return
        item_id, page, reason = self.item["id"], self.page.value(), self.reason.currentData()
        commands.make(
            self.window,
            lambda case: redactions.redact_box(case, item_id, page, box, reason),
            f"Redact a box on page {page} of item {item_id}",
        )

    def remove_selected(self) -> None:
        entry = self.listing.currentItem()
        if entry is not None:
            commands.remove(self.window, entry.data(256))

    def open_pattern_dialog(self) -> None:
        from app.ui.redaction.pattern_dialog import PatternDialog

        PatternDialog(self.window).exec()
