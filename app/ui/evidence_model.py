"""The evidence table's model: a lazy, windowed view of a million items over SQL.

Only pages of PAGE rows near what the view paints are held (an LRU of MAX_PAGES). A
page is fetched by keyset from the key of the row before it: known when the previous
page is cached or its boundary was seen, else found once with an OFFSET counted from
the nearer end (app/store/item_pages.py). rowCount is the filtered count, cached.
Qt's canFetchMore/fetchMore is deliberately NOT used: reaching row 1,000,000 that way
loads every row before it (+600 MB).
"""

import sqlite3
import time
from collections import OrderedDict
from datetime import datetime, timedelta

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QPixmap

from app.core.cancel import Progress
from app.core.timestamps import EPOCH, resolve_zone, to_utc_us
from app.store import item_pages
from app.store.case_file import file_of
from app.store.item_lookups import thumbnails
from app.store.item_query import ItemFilter, check_search, tags_of
from app.store.source_lookups import source_names
from app.ui.task_runner import TaskRunner

PAGE = 200
GUI_BUDGET_S = 0.05  # longer than this, a count runs on a worker thread
MAX_PAGES = 50
COLUMNS = (
    ("time", "Time"),
    ("kind", "Kind"),
    ("account", "Account / sender"),
    ("title", "Title"),
    ("tags", "Tags"),
    ("source", "Source"),
)
COLUMN = {name: number for number, (name, _label) in enumerate(COLUMNS)}
SORTABLE = {"time", "kind", "source", "account"}
# Roles as plain ints: comparing against Qt's enum members costs ~40 us per data() call
# in PySide6 (a painted screen asks ~2,500 times).
DISPLAY, TOOLTIP, FONT, DECORATION = (
    int(Qt.ItemDataRole.DisplayRole.value),
    int(Qt.ItemDataRole.ToolTipRole.value),
    int(Qt.ItemDataRole.FontRole.value),
    int(Qt.ItemDataRole.DecorationRole.value),
)
THUMBNAIL_HEIGHT = 18
HORIZONTAL = Qt.Orientation.Horizontal
KIND_LABELS = {
    "log_entry": "Log entry",
    "email": "Email",
    "attachment": "Attachment",
    "output": "Output",
    "document": "Document",
    "image": "Image",
}


def format_time(ts_us: int | None, zone) -> str:
    """'2025-03-03 10:15:00 +00:00' in the display zone; 'undated' for none."""
    if ts_us is None:
        return "undated"
    moment = (EPOCH + timedelta(microseconds=ts_us)).astimezone(zone)
    offset = moment.strftime("%z")
    return f"{moment:%Y-%m-%d %H:%M:%S} {offset[:3]}:{offset[3:]}"


def stored_utc_us(iso: str | None) -> int | None:
    """A time the case recorded ('2026-03-01T10:00:00.000000Z': a note, a tag) as UTC microseconds."""
    if not iso:
        return None
    try:
        return to_utc_us(datetime.fromisoformat(iso.replace("Z", "+00:00")))
    except ValueError:
        return None


class QueryTooSlow(Exception):
    """A query would hold the GUI thread longer than GUI_BUDGET_S."""


def within_budget(conn: sqlite3.Connection, work):
    """Run `work()` on the GUI thread's connection, interrupted after GUI_BUDGET_S."""
    deadline = time.monotonic() + GUI_BUDGET_S
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 2_000)
    try:
        return work()
    except sqlite3.OperationalError as exc:
        if "interrupt" in str(exc):
            raise QueryTooSlow() from exc
        raise
    finally:
        conn.set_progress_handler(None, 0)


def page_with_tags(conn, window: item_pages.Window, after) -> list[dict]:
    """A page of rows with their tags and, for images, the thumbnail payload's bytes."""
    rows = item_pages.page(conn, window, after, PAGE)
    tags = tags_of(conn, [r["id"] for r in rows])
    images = thumbnails(conn, [r["id"] for r in rows if r["kind"] == "image"])
    for r in rows:
        r["tags"] = tags[r["id"]]
        r["thumbnail"] = images.get(r["id"])
    return rows


def first_screen(conn, window: item_pages.Window) -> tuple[int, list[dict]]:
    """(count, first page): what a new filter needs before the table can show it."""
    rows = page_with_tags(conn, window, None)
    count = len(rows) if len(rows) < PAGE else item_pages.count(conn, window)
    return count, rows


class EvidenceTableModel(QAbstractTableModel):
    count_changed = Signal(int)
    busy_changed = Signal(bool)  # True while a slow filter is counted on a worker thread
    about_to_sort = Signal()  # the table keeps its selection across a sort (it remembers it here)
    sorted = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.conn = None
        self.case_path = None
        self._background: TaskRunner | None = None
        self.window = item_pages.Window(ItemFilter())
        self.zone = resolve_zone("UTC")
        self._count = 0
        self._pages: OrderedDict[int, list[dict]] = OrderedDict()
        self._boundaries: dict[int, tuple] = {}  # page number -> key of the row before it
        self._sources: dict[int, str] = {}
        self._italic = QFont()
        self._italic.setItalic(True)

    # -- what is shown -----------------------------------------------------------------

    def set_connection(self, conn, zone_name: str, case_path=None) -> None:
        """Show a case (its GUI-thread connection), times in `zone_name`; None empties the table.

        `case_path` lets a slow filter be counted on a worker thread (its own connection).
        """
        self.conn = conn
        if case_path is None and conn is not None:  # the file behind the connection
            case_path = file_of(conn)
        self.case_path = case_path
        self.zone = resolve_zone(zone_name)
        self._sources = source_names(conn) if conn else {}
        self.set_window(item_pages.Window(ItemFilter(), self.window.sort, self.window.descending))

    def set_window(self, window: item_pages.Window) -> None:
        """List what `window` selects (filter and sort); raises SearchSyntaxError first if bad.

        Counting and the first page run here when they take under GUI_BUDGET_S; a slower
        filter (a common word over a million rows) is counted on a worker thread instead,
        and the table changes when `count_changed` follows. The window never freezes.
        """
        self._cancel_background()
        if self.conn is None:
            self._install(window, 0, [])
            return
        if window.item_filter.search:
            check_search(self.conn, window.item_filter.search)
        try:
            count, first_page = within_budget(self.conn, lambda: first_screen(self.conn, window))
        except QueryTooSlow:
            self._count_in_background(window)
            return
        self._install(window, count, first_page)

    def _install(self, window: item_pages.Window, count: int, first_page: list[dict]) -> None:
        self.beginResetModel()
        self.window = window
        self._count = count
        self._clear_cache()
        if first_page:
            self._keep_page(0, first_page)
        self.endResetModel()
        self.busy_changed.emit(False)
        self.count_changed.emit(count)

    def _count_in_background(self, window: item_pages.Window) -> None:
        def operation(case, token):
            yield Progress("Counting", 0, None, "items")
            case.conn.set_progress_handler(lambda: int(token.cancelled), 10_000)
            try:
                return window, *first_screen(case.conn, window)
            except sqlite3.OperationalError:
                token.raise_if_cancelled()
                raise

        runner = TaskRunner(self.case_path, operation, title="Counting", parent=self, show_dialog=False)
        runner.finished.connect(self._counted_in_background)
        runner.failed.connect(self._background_count_failed)
        runner.done.connect(runner.deleteLater)
        self._background = runner
        self.busy_changed.emit(True)
        runner.start()

    def _counted_in_background(self, result) -> None:
        if self.sender() is self._background:  # an earlier filter's count, cancelled too late, is dropped
            self._install(*result)

    def _background_count_failed(self, _message: str, _details: str) -> None:
        if self.sender() is self._background:
            self.busy_changed.emit(False)

    def _cancel_background(self) -> None:
        if self._background is not None:
            self._background.cancel()
            self._background = None

    def set_filter(self, item_filter: ItemFilter) -> None:
        self.set_window(item_pages.Window(item_filter, self.window.sort, self.window.descending))

    def refresh(self) -> None:
        """Re-read after a write: same rows -> repaint in place (selection kept); else reset."""
        if self.conn is None:
            return
        self._sources = source_names(self.conn)
        try:
            count = within_budget(self.conn, lambda: item_pages.count(self.conn, self.window))
        except QueryTooSlow:
            count = -1
        if count != self._count:
            self.set_window(self.window)
            return
        self._clear_cache()
        if count:
            self.dataChanged.emit(self.index(0, 0), self.index(count - 1, len(COLUMNS) - 1))

    def _clear_cache(self) -> None:
        self._pages.clear()
        self._boundaries.clear()

    # -- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=DISPLAY):
        if orientation == HORIZONTAL and role == DISPLAY:
            return COLUMNS[section][1]
        return None

    def data(self, index, role=DISPLAY):
        if role != DISPLAY and role != TOOLTIP and role != FONT and role != DECORATION:
            return None
        row = self.row(index.row())
        if row is None:
            return None
        column = COLUMNS[index.column()][0]
        if role == DECORATION:
            return self._thumbnail(row) if column == "kind" and row["thumbnail"] else None
        if column == "time":
            return self._time_data(row, role)
        if role == DISPLAY:
            return self._text(row, column)
        if role == TOOLTIP and column in ("title", "tags", "source"):
            return self._text(row, column)
        return None

    def _thumbnail(self, row: dict) -> QPixmap:
        """The image's thumbnail, row-high (made on the GUI thread, kept with its page)."""
        if "pixmap" not in row:
            pixmap = QPixmap()
            pixmap.loadFromData(row["thumbnail"])
            row["pixmap"] = pixmap.scaledToHeight(THUMBNAIL_HEIGHT, Qt.TransformationMode.SmoothTransformation)
        return row["pixmap"]

    def _time_data(self, row: dict, role):
        assumed = bool(row["ts_assumed"])
        if role == DISPLAY:
            return format_time(row["ts_us"], self.zone) + (" ?" if assumed else "")
        if role == FONT:
            return self._italic if assumed or row["ts_us"] is None else None
        if assumed:
            return f"The zone was assumed ({row['ts_zone']}): the source did not state it. Shown in {self.zone}."
        return None if row["ts_us"] is None else f"Stated zone {row['ts_zone']}; shown in {self.zone}."

    def _text(self, row: dict, column: str) -> str:
        if column == "kind":
            return KIND_LABELS.get(row["kind"], row["kind"])
        if column == "source":
            return self._sources.get(row["source_id"], str(row["source_id"]))
        if column == "tags":
            return ", ".join(row["tags"])
        if column == "title":
            return (row["title"] or "").replace("\n", " ")[:300]
        return row[column] or ""

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        name = COLUMNS[column][0]
        if name in SORTABLE and self.conn is not None:
            self.about_to_sort.emit()
            self.set_window(item_pages.Window(self.window.item_filter, name, order == Qt.SortOrder.DescendingOrder))
            self.sorted.emit()

    def rows_of(self, item_ids: list[int]) -> dict[int, int]:
        """{item id: row} of those of `item_ids` the filter lists (one pass over the listed rows)."""
        return item_pages.positions_of(self.conn, self.window, item_ids) if self.conn is not None else {}

    def row_of(self, item_id: int) -> int | None:
        """The row showing an item, or None when the filter does not list it."""
        return item_pages.position_of(self.conn, self.window, item_id) if self.conn is not None else None

    # -- rows ------------------------------------------------------------------------------

    def row(self, number: int) -> dict | None:
        """The row at `number` (fetching its page if needed), or None out of range."""
        if not 0 <= number < self._count:
            return None
        page_number, offset = divmod(number, PAGE)
        rows = self._page(page_number)
        return rows[offset] if offset < len(rows) else None

    def item_id(self, number: int) -> int | None:
        row = self.row(number)
        return row["id"] if row else None

    def _page(self, number: int) -> list[dict]:
        rows = self._pages.get(number)
        if rows is not None:
            self._pages.move_to_end(number)
            return rows
        rows = page_with_tags(self.conn, self.window, self._key_before(number))
        self._keep_page(number, rows)
        return rows

    def _keep_page(self, number: int, rows: list[dict]) -> None:
        if rows:
            self._boundaries[number + 1] = rows[-1]["key"]
        self._pages[number] = rows
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)

    def _key_before(self, number: int) -> tuple | None:
        if number == 0:
            return None
        if number not in self._boundaries:
            self._boundaries[number] = item_pages.key_at(self.conn, self.window, number * PAGE - 1, self._count)
        return self._boundaries[number]

    def ids_in_rows(self, first: int, last: int) -> list[int]:
        """Ids of rows first..last (inclusive) without loading those rows."""
        if first == 0 and last >= self._count - 1:
            return item_pages.all_ids(self.conn, self.window.item_filter)
        if first // PAGE == last // PAGE:
            return [r["id"] for r in self._page(first // PAGE)[first % PAGE : last % PAGE + 1]]
        after = (
            self._key_before(first // PAGE) if first % PAGE == 0 else self._page(first // PAGE)[first % PAGE - 1]["key"]
        )
        return item_pages.ids_between(self.conn, self.window, after, last - first + 1)

    def pages_cached(self) -> int:
        return len(self._pages)
