"""The annotations of a merged PDF's pages, carried into the bundle as its reader saw them.

A letter produced with its highlights, sticky notes, stamps or filled-in form fields
must look the same in the bundle: those are annotations, not page content, and a page
copied without its /Annots loses them. What is carried is what is seen; what would act
is not:
- kept: markup (notes, highlights, underlines, shapes, ink, stamps, free text) and form
  fields' appearances;
- left out: links (into the original's own pages, or out to the web), file attachments,
  media and anything else that runs or opens something, and every action (/A, /AA);
- cut loose from the original's structure: the page it sat on (/P), its popup window
  and the note it replies to (viewers draw a default popup), its form field (/Parent).

Merged pages are shrunk to free the stamp band (stamping.shrink_matrix); an annotation's
rectangle and points are moved with the page content, and viewers fit its appearance
to the new rectangle.
"""

from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, IndirectObject, NameObject

SHOWN = {
    "/Text",
    "/FreeText",
    "/Line",
    "/Square",
    "/Circle",
    "/Polygon",
    "/PolyLine",
    "/Highlight",
    "/Underline",
    "/Squiggly",
    "/StrikeOut",
    "/Stamp",
    "/Caret",
    "/Ink",
    "/Widget",
    "/Redact",
}
DROPPED_KEYS = {"/P", "/A", "/AA", "/Dest", "/Popup", "/IRT", "/Parent", "/StructParent", "/PA"}
POINT_ARRAYS = ("/Rect", "/QuadPoints", "/Vertices", "/L", "/CL")


def carried_annotations(page, copier, writer, shrink: tuple[float, float, float] | None) -> list[IndirectObject]:
    """The page's annotations as they will sit on its copy (written through `writer`).

    `shrink`: (scale, dx, dy) the page's content is drawn with, or None.
    """
    annotations = page.get("/Annots")
    if annotations is None:
        return []
    carried = []
    for entry in annotations.get_object():
        annotation = entry.get_object()
        if not isinstance(annotation, DictionaryObject) or annotation.get("/Subtype") not in SHOWN:
            continue
        copy = DictionaryObject()
        for key, value in annotation.items():
            if key not in DROPPED_KEYS:
                copy[NameObject(key)] = copier.copy(value)
        if shrink:
            _move(copy, *shrink)
        number = writer.allocate()
        writer.write_object(number, copy)
        carried.append(IndirectObject(number, 0, None))
    return carried


def _move(annotation: DictionaryObject, scale: float, dx: float, dy: float) -> None:
    """Scale the annotation's coordinates as the page content is: x' = scale*x + dx."""

    def moved(values):
        return ArrayObject(
            FloatObject(round(scale * float(v) + (dx if n % 2 == 0 else dy), 3)) for n, v in enumerate(values)
        )

    for key in POINT_ARRAYS:
        if isinstance(annotation.get(key), ArrayObject):
            annotation[NameObject(key)] = moved(annotation[key])
    if isinstance(annotation.get("/InkList"), ArrayObject):
        annotation[NameObject("/InkList")] = ArrayObject(
            moved(stroke.get_object()) for stroke in annotation["/InkList"]
        )
