"""The review layout: filters on the left, the table in the middle, document and coding on the right.

As review platforms lay it out: the filters and saved searches in a dock on the left,
the evidence table as the central widget, the document (detail pane) and the coding
panel (taxonomy) in docks on the right, one above the other, so a reviewer reads and
codes side by side. Every dock can be moved, floated, tabbed or closed; View > Reset
Layout puts them back. The layout is saved per user (QSettings: `saveState` with
LAYOUT_VERSION, so a state saved by an older layout is ignored rather than restored
into docks it does not know), and the window is kept within the screen it opens on,
whatever geometry was saved (a 200% display has half the room in logical pixels).
"""

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QScrollArea, QWidget

from app.ui import settings as S

LAYOUT_VERSION = 2  # 1: the splitters of the first window; 2: docks
DEFAULT_SIZE = (1400, 860)
LEFT, RIGHT, BOTTOM = (
    Qt.DockWidgetArea.LeftDockWidgetArea,
    Qt.DockWidgetArea.RightDockWidgetArea,
    Qt.DockWidgetArea.BottomDockWidgetArea,
)
FILTERS_SHARE, RIGHT_SHARE, DOCUMENT_SHARE = 0.17, 0.30, 0.52  # of the window's width, width, right height
MIN_TABLE = (240, 160)  # the table always shows the Time column and a few rows
PANEL_FEATURES = (
    QDockWidget.DockWidgetFeature.DockWidgetMovable
    | QDockWidget.DockWidgetFeature.DockWidgetFloatable
    | QDockWidget.DockWidgetFeature.DockWidgetClosable
)


def scrolling(widget: QWidget, keep_width: bool = True) -> QScrollArea:
    """`widget` in a frameless scroll area: on a short screen it scrolls instead of squeezing its rows.

    `keep_width`: never narrower than the widget needs (the filters); else it scrolls sideways too."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    if keep_width:
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setMinimumWidth(widget.minimumSizeHint().width())
    return area


def available_screen(window: QWidget) -> QRect:
    """The room the window may use on its screen (without task bars), in logical pixels."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_within(window: QWidget, room: QRect) -> None:
    """Move and shrink the window until its frame is inside `room` (a geometry saved on a bigger screen)."""
    frame = window.frameGeometry()
    extra_w, extra_h = frame.width() - window.width(), frame.height() - window.height()
    width = min(window.width(), room.width() - extra_w)
    height = min(window.height(), room.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(max(width, window.minimumWidth()), max(height, window.minimumHeight()))
    frame = window.frameGeometry()
    x = min(max(frame.x(), room.x()), room.right() + 1 - frame.width())
    y = min(max(frame.y(), room.y()), room.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        window.move(max(x, room.x()), max(y, room.y()))


class RaiseWhenShown(QObject):
    """A tabbed feature dock that is shown (View menu or code) comes to the front of its tabs:
    shown behind the Document tab it would stay out of sight and never draw."""

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.ShowToParent and isinstance(watched, QDockWidget):
            watched.raise_()
        return False


class WindowLayout:
    """The main window's panel docks, their default arrangement, and the layout saved per user."""

    def __init__(self, window: QMainWindow, table: QWidget, filters: QWidget, detail: QWidget, coding: QWidget):
        self.window = window
        self.feature_docks: dict[QDockWidget, Qt.DockWidgetArea] = {}  # hidden until asked for
        self.raise_when_shown = RaiseWhenShown(window)
        table.setMinimumSize(*MIN_TABLE)
        window.setCentralWidget(table)
        window.setDockNestingEnabled(True)
        # The bottom (the timeline) sits under the table only: the right docks keep their height.
        window.setCorner(Qt.Corner.BottomLeftCorner, LEFT)
        window.setCorner(Qt.Corner.BottomRightCorner, RIGHT)
        self.filters_dock = self._panel("Filters", "filtersDock", scrolling(filters))
        self.document_dock = self._panel("Document", "documentDock", detail)
        self.coding_dock = self._panel("Coding", "codingDock", coding)
        self.panels = {self.filters_dock: LEFT, self.document_dock: RIGHT, self.coding_dock: RIGHT}

    def _panel(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)
        dock.setFeatures(PANEL_FEATURES)
        dock.setWidget(widget)
        return dock

    def view_actions(self) -> list:
        """Show / hide each panel (View menu); a closed panel comes back from there."""
        return [dock.toggleViewAction() for dock in self.panels]

    def add_feature_dock(self, dock: QDockWidget, area: Qt.DockWidgetArea) -> None:
        """A dock of a feature view (timeline, exhibits, findings...): placed, hidden, reset with the rest.

        On the left or right it becomes a tab of that side's first panel (Filters, Document):
        stacked under them, a dozen feature docks would need more height than a laptop has.
        Shown from the View menu, it comes to the front of its tabs; it scrolls rather than
        make the window taller than its screen."""
        self.feature_docks[dock] = area
        if area in (LEFT, RIGHT) and dock.widget() is not None:
            dock.setWidget(
                scrolling(dock.widget(), keep_width=False)
            )  # on a short screen it scrolls, the window stays on it
        self._place(dock, area)
        dock.hide()
        dock.installEventFilter(self.raise_when_shown)

    def _place(self, dock: QDockWidget, area: Qt.DockWidgetArea) -> None:
        self.window.addDockWidget(area, dock)
        host = {LEFT: self.filters_dock, RIGHT: self.document_dock}.get(area)
        if host is not None and host is not dock:
            self.window.tabifyDockWidget(host, dock)

    # -- arranging -------------------------------------------------------------------

    def arrange_default(self) -> None:
        """Filters left, table middle, document above coding on the right; feature docks hidden."""
        window = self.window
        for dock, area in self.panels.items():
            dock.setFloating(False)
            window.removeDockWidget(dock)
            window.addDockWidget(area, dock)
            dock.show()
        window.splitDockWidget(self.document_dock, self.coding_dock, Qt.Orientation.Vertical)
        for dock, area in self.feature_docks.items():
            dock.setFloating(False)
            window.removeDockWidget(dock)
            self._place(dock, area)
            dock.hide()
        self.document_dock.raise_()
        self.filters_dock.raise_()
        self.size_panels()

    def size_panels(self) -> None:
        """Share the window's room between the panels (after a resize to the screen, or a reset)."""
        width, height = self.window.width(), self.window.height()
        horizontal, vertical = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
        self.window.resizeDocks(
            [self.filters_dock, self.document_dock], [int(width * FILTERS_SHARE), int(width * RIGHT_SHARE)], horizontal
        )
        right = height - 120  # less the menu, tool and status bars and the dock titles
        self.window.resizeDocks(
            [self.document_dock, self.coding_dock],
            [int(right * DOCUMENT_SHARE), int(right * (1 - DOCUMENT_SHARE))],
            vertical,
        )

    def reset(self) -> None:
        """View > Reset Layout: the default arrangement, the window fitted to its screen."""
        self.arrange_default()
        fit_within(self.window, available_screen(self.window))
        self.size_panels()

    # -- remembering -----------------------------------------------------------------

    def restore(self, settings: S.Settings) -> bool:
        """The layout the user left (if saved by this layout version), within the screen.

        False when the default arrangement is used: `size_panels` again once shown."""
        self.arrange_default()
        geometry = settings.get(S.WINDOW_GEOMETRY)
        room = available_screen(self.window)
        if geometry.isEmpty() or not self.window.restoreGeometry(geometry):
            self.window.resize(min(DEFAULT_SIZE[0], room.width()), min(DEFAULT_SIZE[1], room.height()))
            self.window.move(room.topLeft())
        fit_within(self.window, room)
        state = settings.get(S.WINDOW_STATE)
        if state.isEmpty() or not self.window.restoreState(state, LAYOUT_VERSION):
            self.size_panels()
            return False
        return True

    def first_shown(self, restored: bool) -> None:
        """Once the window has its frame (the title bar counts): within the screen, panels shared out."""
        fit_within(self.window, available_screen(self.window))
        if not restored:
            self.size_panels()

    def save(self, settings: S.Settings) -> None:
        settings.set(S.WINDOW_GEOMETRY, self.window.saveGeometry())
        settings.set(S.WINDOW_STATE, self.window.saveState(LAYOUT_VERSION))
