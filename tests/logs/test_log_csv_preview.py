"""The wizard's preview of a CSV reads it as the import does: one dialect sniff, one encoding, one naming."""

from app.cli.mapping import suggest_for_file
from app.importers.preview import preview


def test_preview_of_a_windows_1252_semicolon_csv_shows_what_the_import_reads(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(
        "Zeit;Konto;Anfrage;Anfrage\n"
        "2026-03-01 10:00:00;acme;Café crème, bitte;zwei\n"
        "2026-03-01 10:00:05;acme;Grüße;drei\n".encode("cp1252")
    )
    shown = preview(path)
    assert shown.problem is None
    # the names the import gives (a repeated one numbered), not the preview's own
    assert shown.paths == suggest_for_file(path)["fields"] == ["Zeit", "Konto", "Anfrage", "Anfrage_2"]
    assert shown.records[0]["Anfrage"] == "Café crème, bitte"  # the file's own charset, as imported
    assert [r["Anfrage_2"] for r in shown.records] == ["zwei", "drei"]


def test_preview_of_a_csv_without_a_header_numbers_its_columns_as_the_import_does(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("2026-03-01T10:00:00Z,acme,hello\n2026-03-01T10:00:05Z,acme,again\n", encoding="utf-8")
    shown = preview(path)
    assert shown.paths == suggest_for_file(path, "csv")["fields"] == ["column_1", "column_2", "column_3"]
    assert len(shown.records) == 2 and shown.records[0]["column_3"] == "hello"
