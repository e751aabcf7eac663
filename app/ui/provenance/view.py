"""The Provenance dock: run the tracing, rank the outputs, compare, act on a link."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.analysis.provenance.operation import provenance_settings, trace_outputs
from app.analysis.provenance.texts import LoggedResponses, output_text
from app.analysis.settings import load_settings
from app.core.case_changes import CaseChanges
from app.store import annotations
from app.store import provenance_links as store
from app.store.item_query import ItemFilter
from app.ui.provenance.compare import ComparePane
from app.ui.provenance.marks_tab import MarksTab
from app.ui.provenance.ranked_model import RankedOutputs
from app.ui.tag_commands import TAGS, TagCommand

EXHIBITS = CaseChanges(exhibits=True)
NOTHING_SHOWN_ELSEWHERE = CaseChanges()  # provenance rows: only this view shows them


class ProvenanceView(QWidget):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.dock = None
        self.runner = None
        self.output_links: list[dict] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)
        self.tabs.addTab(self._links_tab(), "Outputs and our responses")
        self.marks = MarksTab(window)
        self.tabs.addTab(self.marks, "Canaries and self-identification")

    def _links_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.run_button = QPushButton("Trace Outputs")
        self.run_button.setToolTip("Compare every model output with our logged responses (runs in the background)")
        self.run_button.clicked.connect(self.run)
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(0.01, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setDecimals(2)
        self.threshold.setValue(load_settings()["provenance"]["link_share"])
        self.threshold.setToolTip("Link when at least this share of an output's words is in shared passages")
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        bar.addWidget(self.run_button)
        bar.addWidget(QLabel("Link at a share of at least"))
        bar.addWidget(self.threshold)
        bar.addWidget(self.summary, 1)
        layout.addLayout(bar)
        splitter = QSplitter(Qt.Orientation.Vertical)  # the list above the comparison: the dock is narrow
        self.model = RankedOutputs(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _old: self.choose(current.row()))
        self.compare = ComparePane()
        self.compare.link_chosen.connect(self._show_link_of_output)
        self.compare.show_request.connect(self.show_request)
        self.compare.tag_both.connect(self.tag_both)
        self.compare.make_exhibit.connect(self.make_exhibit)
        splitter.addWidget(self.table)
        splitter.addWidget(self.compare)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([200, 500])
        self.table.setMinimumHeight(60)
        layout.addWidget(splitter, 1)
        return tab

    # -- showing ------------------------------------------------------------------------------

    def show_dock(self) -> None:
        if self.dock is not None:
            self.dock.show()
            self.dock.raise_()

    def show_and_run(self) -> None:
        self.show_dock()
        self.run()

    def reload(self) -> None:
        case = self.window.case
        self.compare.set_categories(case.taxonomy() if case else [])
        self.marks.reload()
        if case is None:
            self.model.set_rows([])
            self.summary.setText("")
            self.compare.show_link(None)
            return
        run = store.latest_run(case.conn)
        self.model.set_rows(store.ranked_outputs(case.conn) if run else [])
        self.summary.setText(self._summary(run))
        if self.model.rows:
            self.table.selectRow(0)
        else:
            self.compare.show_link(None)

    def on_changes(self, changes: CaseChanges) -> None:
        if changes.taxonomy and self.window.case is not None:
            self.compare.set_categories(self.window.case.taxonomy())

    def _summary(self, run: dict | None) -> str:
        if run is None:
            return "Not traced yet: Trace Outputs compares every model output with our logged responses."
        outputs = len(self.model.rows)
        return (
            f"{outputs:,} of {run['outputs_compared']:,} outputs copy our logged responses "
            f"({run['responses_compared']:,} rows read; traced {run['created_utc'][:16].replace('T', ' ')} UTC "
            f"at a share of {run['settings']['provenance']['link_share']:.2f})."
        )

    def choose(self, row: int) -> None:
        ranked = self.model.link_at(row)
        if ranked is None or self.window.case is None:
            self.compare.show_link(None)
            return
        self.output_links = store.links(self.window.case.conn, output_id=ranked["output_id"])
        self.compare.set_links(self.output_links)
        self._show_link_of_output(0)

    def _show_link_of_output(self, index: int) -> None:
        if not 0 <= index < len(self.output_links) or self.window.case is None:
            return
        link = self.output_links[index]
        conn = self.window.case.conn
        response = LoggedResponses(conn).one(link["response_id"])
        self.compare.show_link(link, output_text(conn, link["output_id"]), response.text if response else "")

    # -- doing --------------------------------------------------------------------------------

    def run(self) -> None:
        if self.window.case is None or (self.runner is not None):
            return
        settings = load_settings()
        settings["provenance"] = provenance_settings(settings, round(self.threshold.value(), 2))
        self.run_button.setEnabled(False)
        self.runner = self.window.run_task(
            lambda case, token: trace_outputs(case, settings, token),
            "Tracing outputs to our logged responses",
            writes=True,
            changes=NOTHING_SHOWN_ELSEWHERE,
        )
        self.runner.finished.connect(lambda _result: self.reload())
        self.runner.done.connect(self._run_ended)

    def _run_ended(self) -> None:
        self.runner = None
        self.run_button.setEnabled(True)

    def show_request(self, link: dict) -> None:
        """The output and its logged request in the evidence table, the request selected and shown."""
        window = self.window
        window.model.set_filter(ItemFilter(item_ids=[link["output_id"], link["response_id"]]))
        for row in range(window.model.rowCount()):
            if window.model.item_id(row) == link["response_id"]:
                window.table.select_rows([row])
                window.table.setCurrentIndex(window.model.index(row, 0))
                break
        window.statusBar().showMessage(
            "The evidence table shows the output and the logged request; View > Clear Filters shows everything.", 8000
        )

    def tag_both(self, link: dict, code: str | None) -> None:
        if not code:
            self.window.statusBar().showMessage("Choose a category to tag them with first.", 4000)
            return
        ids = [link["output_id"], link["response_id"]]
        context = self.window.tagger.context
        new_ids = context.write(lambda case: annotations.tag_items(case, ids, code), TAGS)
        if new_ids:
            command = TagCommand(context, code, new_ids)
            self.window.undo_stack.push(command)
            self.window.statusBar().showMessage(command.text(), 4000)
        elif new_ids == []:
            self.window.statusBar().showMessage(f"Both items are tagged {code} already.", 4000)

    def make_exhibit(self, link: dict) -> int | None:
        """A comparison exhibit of the output and the response (drawn side by side in the bundle)."""
        case = self.window.case
        run = store.latest_run(case.conn) if case else None
        if run is None:
            return None
        ref = {
            "output_id": link["output_id"],
            "response_id": link["response_id"],
            "provenance": run["settings"]["provenance"],
            "passages": link["passages"],
        }
        title = f"Comparison of output {link['output_id']} with our logged response {link['response_id']}"
        exhibit_id = self.window.tagger.context.write(
            lambda case: annotations.create_summary_exhibit(case, title, "comparison", ref), EXHIBITS
        )
        if exhibit_id:
            self.window.statusBar().showMessage(f"Exhibit made: {title}.", 6000)
        return exhibit_id
