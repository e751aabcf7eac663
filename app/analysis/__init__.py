"""Analysis of a case's evidence: which accounts harvested the model (extraction), which
competitor outputs copy our logged responses (provenance).

Qt-free, like the importers and the export: it reads the case through `app.store` and
writes its findings back as case data. Long work is a generator yielding `Progress`
and checking a `CancelToken` (app/core/cancel.py); the CLI and the GUI are fronts.
"""
