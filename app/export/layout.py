"""A small page writer over a reportlab canvas: flowing text, key/value blocks, tables.

Everything long paginates: text that does not fit continues on a new page with a
"(continued)" line, so nothing is cut off at the page edge. One field draws at most
FIELD_LINES lines (a megabyte of prompt would be hundreds of pages); what is left out
is stated where the text stops, with where the full text is (`where`). The bottom
margin is kept free for the stamps (Bates number, page number, exhibit id, legend)
added later.
"""

from reportlab.lib.pagesizes import A4, LETTER

from app.export import fonts

PAGE_SIZES = {"A4": A4, "Letter": LETTER}
MARGIN = 50.0
BOTTOM = 64.0  # the stamp band lives below this
BODY_SIZE = 9.5
MONO_SIZE = 7.5
GREY = (0.35, 0.35, 0.35)
FIELD_LINES = 1_200  # lines drawn of one field: 15-20 pages; the rest is stated, never silently dropped
FIELD_PAGES = 25  # pages drawn of one text whose own page breaks are kept (a short line a page)


def not_printed(left_out: int, where: str = "") -> str:
    """What is said where a field's drawing stops."""
    return f"[The remaining {left_out:,} characters of this field are not printed. {where}]".replace(" ]", "]")


class PageWriter:
    """Draws flowing content onto pages of one canvas; counts the pages it made."""

    def __init__(self, canvas, page_size=A4, new_part=None, part_pages: int = 0):
        """new_part(n) -> a fresh canvas: with part_pages, drawing moves to a new part file
        every part_pages pages, so memory does not grow with the bundle. Page indexes count
        across parts; part_first[n] is the index of part n's first page."""
        self.canvas = canvas
        self.part_first = [0]
        self._new_part = new_part
        self._part_pages = part_pages
        self.width, self.height = page_size
        self.left = MARGIN
        self.right = self.width - MARGIN
        self.y = self.height - MARGIN
        self.pages = 0  # pages finished (shown)
        self.blank = True  # nothing drawn on the current page yet
        self.continued = ""  # the line at the top of continuation pages
        self.where = ""  # where the full text of the item being drawn is (said when a field is cut short)

    @property
    def text_width(self) -> float:
        return self.right - self.left

    @property
    def page_index(self) -> int:
        """0-based index (across parts) of the page being drawn."""
        return self.pages

    def start_section(self, continued: str = "") -> int:
        """Begin on a fresh page; returns its 0-based index."""
        if not self.blank:
            self.new_page()
        self._next_part_if_full()
        self.continued = continued
        return self.page_index

    def _next_part_if_full(self) -> None:
        """Between pages: save a full part and continue on a new one."""
        if self._new_part and self.pages - self.part_first[-1] >= self._part_pages:
            self.canvas.save()
            self.canvas = self._new_part(len(self.part_first))
            self.part_first.append(self.pages)

    def close(self) -> None:
        """Finish the last page and write the current part."""
        self.finish()
        self.canvas.save()

    def new_page(self) -> None:
        self.canvas.showPage()
        self.pages += 1
        self._next_part_if_full()
        self.y = self.height - MARGIN
        self.blank = True
        if self.continued:
            self.line(f"{self.continued} (continued)", fonts.SANS, 8, colour=GREY)
            self.space(6)

    def finish(self) -> None:
        """End the last page (if anything was drawn on it)."""
        if not self.blank:
            self.canvas.showPage()
            self.pages += 1
            self.blank = True
        self.y = self.height - MARGIN

    def ensure(self, height: float) -> None:
        """Start a new page unless `height` points fit above the stamp band."""
        if self.y - height < BOTTOM and not self.blank:
            self.new_page()

    def space(self, points: float) -> None:
        self.y -= points

    def line(
        self, text: str, font: str = fonts.SANS, size: float = BODY_SIZE, x: float | None = None, colour=None
    ) -> None:
        """One line (already short enough), moving down by its leading."""
        leading = size * 1.3
        self.ensure(leading)
        self.y -= leading
        if colour:
            self.canvas.setFillColorRGB(*colour)
        fonts.draw(self.canvas, self.left if x is None else x, self.y + size * 0.25, text, font, size)
        if colour:
            self.canvas.setFillColorRGB(0, 0, 0)
        self.blank = False

    def paragraph(self, text, font: str = fonts.SANS, size: float = BODY_SIZE, indent: float = 0) -> None:
        """Wrapped text over as many lines and pages as it needs, up to FIELD_LINES; what
        is left out is stated."""
        lines, left_out = fonts.wrap_capped(text, font, size, self.text_width - indent, FIELD_LINES)
        for text_line in lines:
            self.line(text_line, font, size, self.left + indent)
        if left_out:
            self.not_printed(left_out, indent)

    def not_printed(self, left_out: int, indent: float = 0) -> None:
        self.space(2)
        for text_line in fonts.wrap(not_printed(left_out, self.where), fonts.BOLD, 8.5, self.text_width - indent):
            self.line(text_line, fonts.BOLD, 8.5, self.left + indent)

    def heading(self, text: str, size: float = 13) -> None:
        self.ensure(size * 3)
        self.space(4)
        for text_line in fonts.wrap(text, fonts.BOLD, size, self.text_width):
            self.line(text_line, fonts.BOLD, size)
        self.space(4)

    def fields(self, pairs, size: float = BODY_SIZE, label_width: float = 95) -> None:
        """A key/value block: bold labels, wrapped values; empty values are left out."""
        for label, value in pairs:
            if value in (None, "", [], {}):
                continue
            lines = self._capped(str(value), fonts.SANS, size, self.text_width - label_width, self.where) or [""]
            self.ensure(size * 1.3)
            self.line(label, fonts.BOLD, size)
            self.y += size * 1.3  # the value's first line sits beside the label
            for text_line in lines:
                self.line(text_line, fonts.SANS, size, self.left + label_width)

    def rule(self) -> None:
        self.ensure(8)
        self.space(3)
        self.canvas.setLineWidth(0.5)
        self.canvas.line(self.left, self.y, self.right, self.y)
        self.space(5)

    @staticmethod
    def _capped(text: str, font: str, size: float, width: float, where: str) -> list[str]:
        """Lines of one field, up to FIELD_LINES, then the statement of what is left out."""
        lines, left_out = fonts.wrap_capped(text, font, size, width, FIELD_LINES)
        return [*lines, "", *fonts.wrap(not_printed(left_out, where), font, size, width)] if left_out else lines

    def table(
        self,
        columns: list[tuple[str, float]],
        rows,
        font: str = fonts.MONO,
        size: float = MONO_SIZE,
        header: bool = True,
        wheres=None,
    ) -> None:
        """A table with wrapped cells; a row taller than a page continues on the next one.

        columns: (heading, share of the text width); rows: lists of cell texts; wheres:
        for each row, where its full text is (said in a cell cut short).
        """
        widths = [share * self.text_width for _, share in columns]
        leading = size * 1.25
        if header:
            self._table_header(columns, widths, size)
        for number, row in enumerate(rows):
            where = wheres[number] if wheres else self.where
            cells = [self._capped(text, font, size, w - 4, where) for text, w in zip(row, widths)]
            height = max(len(c) for c in cells)
            self.ensure(min(height, 4) * leading + 3)
            for index in range(height):
                if self.y - leading < BOTTOM:
                    self.new_page()
                    self._table_header(columns, widths, size)
                self.y -= leading
                x = self.left
                for cell, w in zip(cells, widths):
                    if index < len(cell):
                        fonts.draw(self.canvas, x + 2, self.y + size * 0.25, cell[index], font, size)
                    x += w
            self.blank = False
            self.canvas.setLineWidth(0.25)
            self.canvas.line(self.left, self.y - 1.5, self.right, self.y - 1.5)
            self.y -= 3

    def _table_header(self, columns, widths, size: float) -> None:
        self.ensure(size * 4)
        self.y -= size * 1.4
        x = self.left
        for (heading, _), w in zip(columns, widths):
            fonts.draw(self.canvas, x + 2, self.y + size * 0.25, heading, fonts.BOLD, size)
            x += w
        self.canvas.setLineWidth(0.75)
        self.canvas.line(self.left, self.y - 2, self.right, self.y - 2)
        self.y -= 4
        self.blank = False
