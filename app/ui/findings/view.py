"""The Findings view: the accounts of the latest extraction analysis ranked by score, the
indicators of the chosen one with their numbers, its charts and its cluster's graph.

Choosing an account (or one of its indicators) filters the evidence table to the rows
behind it; one button tags those rows, another makes the account's "Extraction
indicators" summary exhibit. The analysis runs on the worker bridge with progress and
Cancel. The view reads the case through app/store/findings.py and the analysis' chart
data only (no SQL here).
"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.analysis.extraction.charts import chart_data
from app.analysis.extraction.model import INDICATOR_NAMES
from app.analysis.extraction.operation import analyse_extraction, case_settings
from app.analysis.extraction.report import exhibit_for_account, exhibit_for_cluster
from app.core.cancel import Progress
from app.core.case_changes import CaseChanges
from app.store import annotations, findings
from app.store.item_query import ItemFilter
from app.ui.findings.charts import AccountCharts
from app.ui.findings.graph import MAX_NODES, ClusterGraph
from app.ui.tag_commands import TAGS, TagCommand
from app.ui.latest_read import LatestRead

ACCOUNT_COLUMNS = ("#", "Account", "Flag", "Score", "Requests", "Output tokens", "Indicators")
INDICATOR_COLUMNS = ("Indicator", "Value", "Line", "Rows", "What it means")
DEFAULT_TAG = "TOS-AUTOMATED-EXTRACTION"
EXHIBITS = CaseChanges(exhibits=True)


# Made once: a run of 500 accounts is 3,500 cells, and each enum `|` costs Python time.
CELL_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
SIZED_ROWS = 100  # rows measured to size the account table's columns (Qt's default: 1,000)


def _cell(text, align_right: bool = False, data=None) -> QTableWidgetItem:
    item = QTableWidgetItem(str(text))
    item.setFlags(CELL_FLAGS)
    if align_right:
        item.setTextAlignment(RIGHT)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def _read_latest_run(case, _token):
    """(run id, run, accounts) of the case's latest extraction run; (None, None, []) if none."""
    yield Progress("Reading the findings", 0, None, "steps")
    run_id = findings.latest_run_id(case.conn)
    if run_id is None:
        return None, None, []
    return run_id, findings.run_outline(case.conn, run_id, MAX_NODES), findings.run_accounts(case.conn, run_id)


def _chart_reader(finding_id: int):
    def read(case, _token):
        yield Progress("Reading the account's charts", 0, None, "steps")
        return chart_data(case.conn, findings.get_finding(case.conn, finding_id))

    return read


def shown_value(indicator: dict, key: str) -> str:
    value = indicator[key]
    if indicator["threshold"] < 1 and indicator["code"] != "rate_shaping":
        return f"{value * 100:.0f}%"
    return f"{value:,.0f}" if value >= 100 or value == int(value) else f"{value:.2f}"


class FindingsView(QWidget):
    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window = window
        self.run_id: int | None = None
        self.run: dict | None = None
        self.accounts: list[dict] = []
        self.runner = None
        self.dock = None  # set by install(): a hidden view reads the case when it is shown
        self.stale = False  # the case changed while the view was hidden
        self.run_reader = LatestRead("Reading the findings", self)
        self.chart_reader = LatestRead("Reading the account's charts", self)
        self._build()

    # -- building ------------------------------------------------------------------------

    def _build(self) -> None:
        self.status = QLabel("No extraction analysis yet.")
        self.status.setWordWrap(True)
        self.run_button = QPushButton("Run analysis")
        self.run_button.setToolTip("Compute every account's extraction indicators (Analysis > Find the Extraction)")
        self.rows_button = QPushButton("Show rows")
        self.rows_button.setToolTip("List the rows behind the chosen account or indicator in the evidence table")
        self.tag_button = QPushButton("Tag rows…")
        self.exhibit_button = QPushButton("Make exhibit")
        self.exhibit_button.setToolTip(
            "An 'Extraction indicators' summary exhibit of the chosen account (or its cluster, on the graph tab)"
        )
        self.run_button.clicked.connect(self.run_analysis)
        self.rows_button.clicked.connect(self.show_rows)
        self.tag_button.clicked.connect(self.tag_rows)
        self.exhibit_button.clicked.connect(self.make_exhibit)
        buttons = QHBoxLayout()
        for button in (self.run_button, self.rows_button, self.tag_button, self.exhibit_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.account_table = self._table(ACCOUNT_COLUMNS)
        self.account_table.horizontalHeader().setResizeContentsPrecision(SIZED_ROWS)
        self.account_table.itemSelectionChanged.connect(self._account_chosen)
        self.account_table.setWordWrap(False)
        self.indicator_table = self._table(INDICATOR_COLUMNS)
        self.indicator_table.setWordWrap(True)
        self.indicator_table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        # Row heights follow the sentence's wrapping whenever the column's width changes.
        self.indicator_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.indicator_table.itemSelectionChanged.connect(self._indicator_chosen)
        self.reason = QLabel("")  # why the account is (not) flagged; the chosen indicator's sentence
        self.reason.setWordWrap(True)
        self.reason.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.charts = AccountCharts()
        self.graph = ClusterGraph()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.charts, "Charts")
        self.tabs.addTab(self.graph, "Cluster graph")

        self.tabs.insertTab(0, self.indicator_table, "Indicators")
        self.tabs.setCurrentIndex(0)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.reason)
        lower_layout.addWidget(self.tabs, 1)
        # Accounts above; the chosen one's indicators, charts and cluster graph in tabs below, each
        # the dock's full width (readable at 200%), the dock beside the table (fits 768 pixels high).
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.account_table)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.splitter, 1)
        self._enable()

    def _table(self, columns) -> QTableWidget:
        table = QTableWidget(0, len(columns))
        table.setHorizontalHeaderLabels(list(columns))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        return table

    def _enable(self) -> None:
        has_case = self.window.case is not None
        chosen = self.current_account() is not None
        self.run_button.setEnabled(has_case and self.runner is None)
        for button in (self.rows_button, self.tag_button, self.exhibit_button):
            button.setEnabled(has_case and chosen)

    # -- reading -------------------------------------------------------------------------

    def refresh_when_seen(self) -> None:
        """Refresh now if the view is shown, else when it is (`stale`).

        Reading a run is not free (500 accounts with their clusters: ~0.3 s and 120 MB on a
        1M-row case): a case opens without it while the Findings view is closed."""
        if self.dock is not None and not self.dock.isVisible():
            self.run_reader.stop()
            self._clear()  # nothing of the case shown before stays behind
            self.run_id, self.run, self.accounts = None, None, []
            self.stale = True
            return
        self.refresh()

    def _clear(self) -> None:
        self.chart_reader.stop()
        self.account_table.setRowCount(0)
        self.indicator_table.setRowCount(0)
        self.charts.show_account("", None)
        self.graph.show_cluster(None, set())
        self.reason.setText("")

    def refresh(self) -> None:
        """Show the latest extraction run of the open case (or say there is none).

        The run is read on a worker (its clusters may be megabytes of links); only the
        latest read is shown, an earlier one still running is cancelled."""
        self.stale = False
        case = self.window.case
        self._clear()
        self.run_id, self.run, self.accounts = None, None, []
        self.run_reader.stop()
        if case is None:
            self.status.setText("")
            self._enable()
            return
        self.status.setText("Reading the latest analysis run…")
        self._enable()
        self.run_reader.start(case.path, _read_latest_run, self._run_read, self._read_failed)

    def _run_read(self, read) -> None:
        run_id, run, accounts = read
        if run_id is None:
            self.status.setText("No extraction analysis yet: Run analysis computes each account's indicators.")
            self._enable()
            return
        self.run_id, self.run, self.accounts = run_id, run, accounts
        flagged = sum(1 for a in self.accounts if a["flagged"])
        self.status.setText(
            f"Analysis run {self.run_id} ({self.run['created_utc'][:19].replace('T', ' ')} UTC): "
            f"{self.run['rows_read']:,} log rows, {len(self.accounts):,} accounts, {flagged} flagged. "
            "Choose an account to list the rows behind it."
        )
        self.account_table.setRowCount(len(self.accounts))
        for row, account in enumerate(self.accounts):
            fired = [INDICATOR_NAMES[i["code"]] for i in account["indicators"] if i["fired"] and i["code"] != "volume"]
            cells = (
                _cell(account["rank"], True, account["id"]),
                _cell(account["account"]),
                _cell("FLAGGED" if account["flagged"] else ""),
                _cell(f"{account['score']:.2f}", True),
                _cell(f"{account['requests']:,}", True),
                _cell(f"{account['output_tokens']:,}", True),
                _cell(", ".join(fired)),
            )
            for column, cell in enumerate(cells):
                if account["flagged"]:
                    cell.setForeground(Qt.GlobalColor.darkRed)
                self.account_table.setItem(row, column, cell)
        self.account_table.resizeColumnsToContents()
        self._enable()

    def _read_failed(self, message: str) -> None:
        self.status.setText(f"The analysis run could not be read: {message}")

    def current_account(self) -> dict | None:
        rows = self.account_table.selectionModel().selectedRows() if self.account_table.selectionModel() else []
        return self.accounts[rows[0].row()] if rows and rows[0].row() < len(self.accounts) else None

    def current_indicator(self) -> dict | None:
        account = self.current_account()
        rows = self.indicator_table.selectionModel().selectedRows()
        if account is None or not rows:
            return None
        code = self.indicator_table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        return next((i for i in account["indicators"] if i["code"] == code), None)

    def select_account(self, name: str) -> None:
        for row, account in enumerate(self.accounts):
            if account["account"] == name:
                self.account_table.selectRow(row)
                return

    def cluster_of(self, name: str) -> tuple[int, dict] | tuple[None, None]:
        for index, cluster in enumerate(self.run["clusters"] if self.run else []):
            if name in cluster["accounts"]:
                return index, cluster
        return None, None

    def _account_chosen(self) -> None:
        account = self.current_account()
        self._enable()
        if account is None:
            return
        self.reason.setText(f"{account['account']}: {account['reason']}")
        indicators = account["indicators"]
        self.indicator_table.blockSignals(True)
        self.indicator_table.setRowCount(len(indicators))
        for row, indicator in enumerate(indicators):
            name = INDICATOR_NAMES.get(indicator["code"], indicator["code"])
            cells = (
                _cell(name if indicator["fired"] else f"{name} (not met)", data=indicator["code"]),
                _cell(shown_value(indicator, "value"), True),
                _cell(shown_value(indicator, "threshold"), True),
                _cell(f"{indicator['row_count']:,}" if indicator["fired"] else "", True),
                _cell(indicator["summary"]),
            )
            for column, cell in enumerate(cells):
                cell.setToolTip(indicator["summary"])
                if not indicator["fired"]:
                    cell.setForeground(Qt.GlobalColor.gray)
                self.indicator_table.setItem(row, column, cell)
        for column in (0, 1, 2, 3):
            self.indicator_table.resizeColumnToContents(column)
        self.indicator_table.blockSignals(False)
        self.charts.show_account(account["account"], None)  # "Reading..." until its numbers come
        self.chart_reader.start(
            self.window.case.path,
            _chart_reader(account["id"]),
            lambda data, name=account["account"]: self.charts.show_account(name, data),
        )
        _index, cluster = self.cluster_of(account["account"])
        flagged = {a["account"] for a in self.accounts if a["flagged"]}
        self.graph.show_cluster(cluster, flagged, account["account"])
        self.show_rows()

    def _indicator_chosen(self) -> None:
        indicator = self.current_indicator()
        if indicator is not None:
            self.reason.setText(f"{INDICATOR_NAMES.get(indicator['code'], indicator['code'])}: {indicator['summary']}")
            self.show_rows()

    # -- acting --------------------------------------------------------------------------

    def chosen_indicator_ids(self) -> tuple[list[int], str]:
        """The indicators whose rows are meant: the chosen one, else every fired one of the account."""
        account = self.current_account()
        if account is None:
            return [], ""
        indicator = self.current_indicator()
        if indicator is not None and indicator["fired"]:
            return [indicator["id"]], f"{account['account']}'s {INDICATOR_NAMES[indicator['code']].lower()}"
        fired = [i["id"] for i in account["indicators"] if i["fired"]]
        return fired, f"{account['account']}'s indicators"

    def show_rows(self) -> None:
        ids, what = self.chosen_indicator_ids()
        if not ids:
            self.window.statusBar().showMessage("No indicator fired for this account: no rows to list.", 5000)
            return
        self.window.model.set_filter(ItemFilter(finding_indicators=ids))
        self.window.statusBar().showMessage(
            f"The evidence table lists the rows behind {what} (View > Clear Filters shows everything).", 8000
        )

    def supporting_items(self) -> list[int]:
        ids, _what = self.chosen_indicator_ids()
        conn = self.window.case.conn
        return sorted({item for indicator in ids for item in findings.indicator_items(conn, indicator)})

    def tag_rows(self, code: str | None = None) -> None:
        ids = self.supporting_items()
        if not ids:
            return
        if code is None:
            codes = [c.code for c in self.window.case.taxonomy()]
            start = codes.index(DEFAULT_TAG) if DEFAULT_TAG in codes else 0
            code, ok = QInputDialog.getItem(self, "Tag rows", f"Tag {len(ids):,} rows with:", codes, start, False)
            if not ok:
                return
        context = self.window.tagger.context

        def tagged(new_ids) -> None:
            if new_ids:
                self.window.undo_stack.push(TagCommand(context, code, new_ids))
                self.window.statusBar().showMessage(f"Tagged {len(new_ids):,} rows {code}.", 5000)

        context.apply(
            lambda case: annotations.tag_items(case, ids, code),
            len(ids),
            f"Tagging {len(ids):,} rows {code}",
            TAGS,
            tagged,
        )

    def make_exhibit(self) -> int | None:
        account = self.current_account()
        if account is None:
            return None
        context = self.window.tagger.context
        if self.tabs.currentWidget() is self.graph and self.graph.cluster is not None:
            index, _cluster = self.cluster_of(account["account"])
            exhibit_id = context.write(lambda case: exhibit_for_cluster(case, self.run_id, index), EXHIBITS)
        else:
            exhibit_id = context.write(lambda case: exhibit_for_account(case, account["id"]), EXHIBITS)
        if exhibit_id:
            self.window.statusBar().showMessage(
                f"Made summary exhibit {exhibit_id}; export it from File > Export with its exhibit chosen.", 8000
            )
        return exhibit_id

    def run_analysis(self):
        """Run the analysis on a worker with progress and Cancel; show its findings when done."""
        if self.window.case is None or self.runner is not None:
            return None

        def operation(case, token):
            return analyse_extraction(case, case_settings(case), token=token)

        self.runner = self.window.run_task(operation, "Finding the extraction", writes=True, changes=CaseChanges())
        self.runner.done.connect(self._analysis_done)
        self._enable()
        return self.runner

    def _analysis_done(self) -> None:
        self.runner = None
        self.refresh()
