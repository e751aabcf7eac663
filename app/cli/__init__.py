"""`casefile`: the command line, one module per command group.

`parser.py` builds the parser and dispatches (exit status, errors in one sentence);
`case.py` new/info, `importing.py` import, `review.py` items/quarantine/tag/untag/note,
`verify.py` verify/audit, `gui.py` the desktop application, and `demo.py`, `export.py`,
`mapping.py`, `taxonomy.py` their commands. `opening.py` opens a case the same way for
every command; `progress.py` draws a core operation's progress on the terminal.
"""

from app.cli.parser import build_parser, main

__all__ = ["build_parser", "main"]
