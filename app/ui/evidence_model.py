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
from app.store import item_columns, item_pages
from app.store.case_file import file_of
from app.store.item_lookups import thumbnails
from app.store.item_query import ItemFilter, check_search, tags_of
from app.store.source_lookups import source_names
from app.store.tables import make_lean
from app.ui.task_runner import TaskRunner

PAGE = 200
GUI_BUDGET_S = 0.05  # longer than this, a count runs on a worker thread
QUICK_BUDGET_S = 0.01  # what a recount after a write may try here before a worker
MAX_PAGES = 50
KEPT_VIEWS = 3  # earlier filters' counts and pages, shown again at once when chosen again
COLUMNS = (
    ("time", "Time"),
    ("kind", "Kind"),
    ("account", "Account / sender"),
    ("title", "Title"),
    ("tags", "Tags"),
    ("source", "Source"),
    # Optional columns, hidden until chosen from the header's menu (app/ui/table_columns.py).
    ("ip", "IP address"),
    ("api_key", "API key"),
    ("model", "Model"),
    ("tokens", "Tokens"),
    ("status", "Status"),
    ("custodian", "Custodian"),
    ("bates", "Bates (latest production)"),
)
COLUMN = {name: number for number, (name, _label) in enumerate(COLUMNS)}
OPTIONAL_COLUMNS = ("ip", "api_key", "model", "tokens", "status", "custodian", "bates")
SORTABLE = {"time", "kind", "source", "account", "model", "ip", "api_key", "custodian", "bates", "tokens", "status"}
# Optional columns whose values are looked up per page (only while shown).
LOOKED_UP = {"tokens": "usage", "status": "usage", "bates": "bates"}
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
    "calendar": "Calendar",
    "contact": "Contact",
    "outlook_item": "Outlook item",
    "conversation": "Chat message",
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


def within_budget(conn: sqlite3.Connection, work, budget_s: float | None = None):
    """Run `work()` on the GUI thread's connection, interrupted after GUI_BUDGET_S (or `budget_s`)."""
    deadline = time.monotonic() + (GUI_BUDGET_S if budget_s is None else budget_s)
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 2_000)
    try:
        return work()
    except sqlite3.OperationalError as exc:
        if "interrupt" in str(exc):
            raise QueryTooSlow() from exc
        raise
    finally:
        conn.set_progress_handler(None, 0)


def _cancellable_and_lean(conn: sqlite3.Connection, token) -> None:
    """A worker's counting connection: interrupted on Cancel, and with a small page cache --
    a count reads a whole index once (~20 MB at a million rows), which caching would only
    add to the window's memory while the worker lives."""
    conn.set_progress_handler(lambda: int(token.cancelled), 10_000)
    make_lean(conn)


def page_with_tags(conn, window: item_pages.Window, after, lookups=frozenset()) -> list[dict]:
    """A page of rows with their tags and, for images, the thumbnail payload's bytes;
    `lookups` ("usage", "bates") adds the optional columns' values that are shown."""
    rows = item_pages.page(conn, window, after, PAGE)
    ids = [r["id"] for r in rows]
    tags = tags_of(conn, ids)
    images = thumbnails(conn, [r["id"] for r in rows if r["kind"] == "image"])
    used = item_columns.usage(conn, ids) if "usage" in lookups else {}
    bates = item_columns.latest_bates(conn, ids) if "bates" in lookups else {}
    for r in rows:
        r["tags"] = tags[r["id"]]
        r["thumbnail"] = images.get(r["id"])
        r.update(used.get(r["id"], {}))
        r["bates"] = bates.get(r["id"])
    return rows


def first_screen(conn, window: item_pages.Window, lookups=frozenset()) -> tuple[int, list[dict]]:
    """(count, first page): what a new filter needs before the table can show it."""
    rows = page_with_tags(conn, window, None, lookups)
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
        self._custodians: dict[int, str] = {}
        self.lookups: frozenset[str] = frozenset()  # optional columns' look-ups while they are shown
        self._counting = False  # the count shown is the first page's, the real one is coming
        self._views: OrderedDict[str, tuple] = OrderedDict()  # repr(window) -> (count, pages, boundaries)
        self._jumps: dict[int, TaskRunner] = {}  # page number -> the worker finding where it starts
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
        self._custodians = item_columns.source_custodians(conn) if conn else {}
        self.set_window(item_pages.Window(ItemFilter(), self.window.sort, self.window.descending))

    def set_window(self, window: item_pages.Window) -> None:
        """List what `window` selects (filter and sort); raises SearchSyntaxError first if bad.

        The first page is read here when it takes under GUI_BUDGET_S (any search does:
        app/store/search_pages.py), then the count when it fits half that; a slower count
        follows from a worker (`count_changed`), a slower first page too. A view shown
        shortly before is shown again from what it had. The window never freezes.
        """
        self._cancel_background()
        if self.conn is None:
            self._install(window, 0, [])
            return
        if window.item_filter.search:
            check_search(self.conn, window.item_filter.search)
        if repr(window) != repr(self.window):
            self._keep_view()
        kept = self._views.pop(repr(window), None)
        if kept is not None:
            self._install(window, kept[0], [], kept[1:])
            return
        try:
            rows = within_budget(self.conn, lambda: page_with_tags(self.conn, window, None, self.lookups))
        except QueryTooSlow:
            self._count_in_background(window)
            return
        if len(rows) < PAGE:
            self._install(window, len(rows), rows)
            return
        try:
            count = within_budget(self.conn, lambda: item_pages.count(self.conn, window), GUI_BUDGET_S / 2)
        except QueryTooSlow:
            self._install(window, len(rows), rows, counting=True)
            self._count_later(window)
            return
        self._install(window, count, rows)

    def _install(self, window: item_pages.Window, count: int, first_page: list[dict], kept=None, counting=False):
        self.beginResetModel()
        self.window = window
        self._count = count
        self._counting = counting
        self._clear_cache()
        if kept is not None:
            self._pages.update(kept[0])
            self._boundaries.update(kept[1])
        if first_page:
            self._keep_page(0, first_page)
        self.endResetModel()
        self.count_changed.emit(count)
        self.busy_changed.emit(counting)

    def _keep_view(self) -> None:
        """Remember the view being left (its count and pages) unless it is still counting."""
        if self.conn is None or self._counting or self._background is not None:
            return
        self._views[repr(self.window)] = (self._count, OrderedDict(self._pages), dict(self._boundaries))
        while len(self._views) > KEPT_VIEWS:
            self._views.popitem(last=False)

    def _count_later(self, window: item_pages.Window) -> None:
        """Count `window` on a worker; the table grows to the count when it comes."""

        def operation(case, token):
            yield Progress("Counting", 0, None, "items")
            _cancellable_and_lean(case.conn, token)
            try:
                return window, item_pages.count(case.conn, window)
            except sqlite3.OperationalError:
                token.raise_if_cancelled()
                raise

        self._start_background(operation, self._counted_later)

    def _counted_later(self, result) -> None:
        window, count = result
        if self.sender() is not self._background or repr(window) != repr(self.window):
            return  # an earlier filter's count, cancelled too late
        self._background = None
        if count > self._count:
            self.beginInsertRows(QModelIndex(), self._count, count - 1)
            self._count = count
            self.endInsertRows()
        elif count < self._count:
            self.beginRemoveRows(QModelIndex(), count, self._count - 1)
            self._count = count
            self._clear_cache()
            self.endRemoveRows()
        self._counting = False
        self.count_changed.emit(self._count)
        self.busy_changed.emit(False)

    def _count_in_background(self, window: item_pages.Window) -> None:
        lookups = self.lookups

        def operation(case, token):
            yield Progress("Counting", 0, None, "items")
            _cancellable_and_lean(case.conn, token)
            try:
                return window, *first_screen(case.conn, window, lookups)
            except sqlite3.OperationalError:
                token.raise_if_cancelled()
                raise

        self._start_background(operation, self._counted_in_background)

    def _start_background(self, operation, on_result) -> None:
        runner = TaskRunner(self.case_path, operation, title="Counting", parent=self, show_dialog=False)
        runner.finished.connect(on_result)
        runner.failed.connect(self._background_count_failed)
        runner.done.connect(runner.deleteLater)
        self._background = runner
        self.busy_changed.emit(True)
        runner.start()

    def _counted_in_background(self, result) -> None:
        if self.sender() is self._background:  # an earlier filter's count, cancelled too late, is dropped
            self._background = None
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
        """Re-read after a write: same rows -> repaint in place (selection kept); else reset.

        A count too slow for the GUI thread is taken again on a worker while the rows
        shown are re-read; the table grows or shrinks to it when it comes."""
        if self.conn is None:
            return
        self._views.clear()  # what they counted and listed may have changed
        self._sources = source_names(self.conn)
        self._custodians = item_columns.source_custodians(self.conn)
        if self._counting or self._background is not None:  # the count under way may be stale
            self.set_window(self.window)
            return
        try:
            count = within_budget(
                self.conn, lambda: item_pages.count(self.conn, self.window), min(GUI_BUDGET_S, QUICK_BUDGET_S)
            )
        except QueryTooSlow:
            count = None
        if count is not None and count != self._count:
            self.set_window(self.window)
            return
        self._clear_cache()
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, len(COLUMNS) - 1))
        if count is None:
            self._count_later(self.window)

    def _clear_cache(self) -> None:
        self._pages.clear()
        self._boundaries.clear()
        for runner in self._jumps.values():  # where pages start is found again, from what is there now
            runner.cancel()
        self._jumps.clear()

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
        if role == TOOLTIP and column in ("title", "tags", "source", "bates", "tokens"):
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
        if column == "custodian":
            return self._custodians.get(row["source_id"], "")
        return row.get(column) or ""

    def show_columns(self, names) -> None:
        """The optional columns now shown: their per-page look-ups start (or stop) with them."""
        lookups = frozenset(LOOKED_UP[n] for n in names if n in LOOKED_UP)
        if lookups != self.lookups:
            self.lookups = lookups
            self._clear_cache()
            if self._count:
                self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, len(COLUMNS) - 1))

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
        if number in self._jumps:
            return []  # shown empty until the worker has found where the page starts
        if number and number not in self._boundaries:
            try:  # a far jump in a search of a common word counts its way there: not here
                within_budget(self.conn, lambda: self._key_before(number), GUI_BUDGET_S / 2)
            except QueryTooSlow:
                self._find_start_later(number)
                return []
        rows = page_with_tags(self.conn, self.window, self._key_before(number), self.lookups)
        self._keep_page(number, rows)
        return rows

    def _find_start_later(self, number: int) -> None:
        """Find on a worker the key before page `number`; its rows are painted when it comes."""
        window, total = self.window, self._count

        def operation(case, token):
            yield Progress("Finding the rows", 0, None, "items")
            _cancellable_and_lean(case.conn, token)
            try:
                return window, number, item_pages.key_at(case.conn, window, number * PAGE - 1, total)
            except sqlite3.OperationalError:
                token.raise_if_cancelled()
                raise

        runner = TaskRunner(self.case_path, operation, title="Finding the rows", parent=self, show_dialog=False)
        runner.finished.connect(self._start_found)
        runner.done.connect(lambda: self._jumps.pop(number, None) if self._jumps.get(number) is runner else None)
        runner.done.connect(runner.deleteLater)
        self._jumps[number] = runner
        runner.start()

    def _start_found(self, result) -> None:
        window, number, key = result
        if self._jumps.get(number) is not self.sender() or repr(window) != repr(self.window):
            return
        del self._jumps[number]
        self._boundaries[number] = key
        last = min(self._count, (number + 1) * PAGE) - 1
        if last >= number * PAGE:
            self.dataChanged.emit(self.index(number * PAGE, 0), self.index(last, len(COLUMNS) - 1))

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
        if first == 0 and last >= self._count - 1 and not self._counting:
            return item_pages.all_ids(self.conn, self.window.item_filter)
        if first // PAGE == last // PAGE:
            return [r["id"] for r in self._page(first // PAGE)[first % PAGE : last % PAGE + 1]]
        after = (
            self._key_before(first // PAGE) if first % PAGE == 0 else self._page(first // PAGE)[first % PAGE - 1]["key"]
        )
        return item_pages.ids_between(self.conn, self.window, after, last - first + 1)

    @property
    def counting(self) -> bool:
        """True while the rows shown are the first page's and the count is coming from a worker."""
        return self._counting

    def pages_cached(self) -> int:
        return len(self._pages)
