"""Side by side: the competitor's output and our logged response, shared passages marked.

Shared passages are shaded AND underlined (legible without colour); what is not shared
is left plain, so the differences -- words changed, inserted, left out -- stand out
between the marked runs.
"""

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.analysis.provenance.highlight import pieces, sides
from app.analysis.provenance.sentences import link_sentence, when_utc

SHARED_STYLE = "background-color:#ffe08a; text-decoration:underline;"


def side_html(side) -> str:
    """The text as HTML, shared passages in SHARED_STYLE, line breaks kept."""
    parts = []
    for piece, shared in pieces(side):
        escaped = html.escape(piece).replace("\n", "<br>")
        parts.append(f'<span style="{SHARED_STYLE}">{escaped}</span>' if shared else escaped)
    return "<div>" + "".join(parts) + "</div>"


class ComparePane(QWidget):
    """One link shown side by side, with what the user can do with it."""

    show_request = Signal(dict)  # the link
    tag_both = Signal(dict, str)  # the link, the category code
    make_exhibit = Signal(dict)
    link_chosen = Signal(int)  # index into the output's links

    def __init__(self, parent=None):
        super().__init__(parent)
        self.link: dict | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.links_combo = QComboBox()
        self.links_combo.setToolTip("This output's links to our logged responses, strongest first")
        self.links_combo.currentIndexChanged.connect(lambda i: self.link_chosen.emit(i) if i >= 0 else None)
        layout.addWidget(self.links_combo)
        self.sentence = QLabel("Choose an output to compare it with the response it copies.")
        self.sentence.setWordWrap(True)
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.sentence)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.output_title, self.output_text = self._column("The competitor's output")
        self.response_title, self.response_text = self._column("Our logged response")
        layout.addWidget(self.splitter, 1)
        legend = QLabel(
            f'<span style="{SHARED_STYLE}">Shared passages</span> are shaded and underlined; '
            "unmarked text is not shared."
        )
        layout.addWidget(legend)
        buttons = QHBoxLayout()
        tagging = QHBoxLayout()  # a second row: the pane fits beside the table at 1366x768
        self.request_button = QPushButton("Show the Request in the Table")
        self.request_button.clicked.connect(lambda: self.link and self.show_request.emit(self.link))
        self.category = QComboBox()
        self.category.setToolTip("The category both items are tagged with")
        self.tag_button = QPushButton("Tag Both")
        self.tag_button.clicked.connect(
            lambda: self.link and self.tag_both.emit(self.link, self.category.currentData())
        )
        self.exhibit_button = QPushButton("Make a Comparison Exhibit")
        self.exhibit_button.clicked.connect(lambda: self.link and self.make_exhibit.emit(self.link))
        for widget in (self.request_button, self.exhibit_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        tagging.addWidget(self.category, 1)
        tagging.addWidget(self.tag_button)
        layout.addLayout(buttons)
        layout.addLayout(tagging)
        self.set_enabled(False)

    def _column(self, title: str) -> tuple[QLabel, QTextBrowser]:
        column = QWidget(self.splitter)
        box = QVBoxLayout(column)
        box.setContentsMargins(0, 0, 0, 0)
        label = QLabel(title)
        label.setWordWrap(True)
        text = QTextBrowser()
        text.setOpenLinks(False)
        text.setMinimumHeight(40)  # the dock must fit under the table at 1366x768
        box.addWidget(label)
        box.addWidget(text, 1)
        return label, text

    def set_categories(self, categories) -> None:
        self.category.clear()
        for category in categories:
            self.category.addItem(f"{category.code} -- {category.name}", category.code)

    def set_enabled(self, enabled: bool) -> None:
        for widget in (self.request_button, self.category, self.tag_button, self.exhibit_button):
            widget.setEnabled(enabled)

    def set_links(self, links: list[dict]) -> None:
        """The links of one output (the combo), the first shown."""
        self.links_combo.blockSignals(True)
        self.links_combo.clear()
        for link in links:
            self.links_combo.addItem(
                f"{link['similarity'] * 100:.0f}% -- response {link['response_id']}"
                f" ({link['response_account'] or 'no account'}, {when_utc(link['response_ts_us'])})"
            )
        self.links_combo.blockSignals(False)
        self.links_combo.setVisible(len(links) > 1)

    def show_link(self, link: dict | None, output_text: str = "", response_text: str = "") -> None:
        self.link = link
        self.set_enabled(link is not None)
        if link is None:
            self.sentence.setText("Choose an output to compare it with the response it copies.")
            self.output_text.clear()
            self.response_text.clear()
            return
        output, response = sides(output_text, response_text, link["passages"])
        self.sentence.setText(link_sentence(link) + ".")
        self.output_title.setText(f"The competitor's output (item {link['output_id']})")
        self.response_title.setText(
            f"Our logged response (item {link['response_id']}; {link['response_account'] or 'no account'}, "
            f"{when_utc(link['response_ts_us'])})"
        )
        self.output_text.setHtml(side_html(output))
        self.response_text.setHtml(side_html(response))
