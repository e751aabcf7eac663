"""`casefile`: the same operations as the desktop application, headless.

Exit status: 0 on success, 1 when a check fails or an operation cannot be done (the
reason in one plain sentence on stderr), 2 on bad usage.
"""

import argparse
import os
import sqlite3
import sys

from app import __version__
from app.cli.analysis import register_analyze
from app.cli.batches import register_batches
from app.cli.case import register_info, register_new
from app.cli.demo import register_demo
from app.cli.errors import UserError
from app.cli.export import register_export, register_productions
from app.cli.facts import register_facts
from app.cli.gui import register_gui
from app.cli.importing import register_import
from app.cli.ocr import register_ocr
from app.cli.mapping import register_mapping
from app.cli.redact import register_redact
from app.cli.provenance import register_provenance
from app.cli.review import register_items, register_note, register_quarantine, register_tag
from app.cli.taxonomy import register_taxonomy
from app.cli.verify import register_audit, register_verify
from app.core.cancel import Cancelled
from app.core.timestamps import TimestampError
from app.importers.registry import UnknownFormat
from app.store.errors import CaseFileError


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return args.run(args) or 0
    except (UserError, CaseFileError, UnknownFormat, TimestampError, FileNotFoundError, ValueError) as exc:
        print(f"casefile: {exc}", file=sys.stderr)
        return 1
    except Cancelled as exc:
        print(f"casefile: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("casefile: interrupted; the case was left as it was before.", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (`casefile items ... | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:  # unreadable file, disk full, ...: the system's reason, one sentence
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"casefile: {where}{exc.strerror or exc}.", file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as exc:
        print(f"casefile: the case file could not be read or written ({exc}).", file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="casefile", description="Evidence case files for distillation disputes.")
    parser.add_argument("--version", action="version", version=f"casefile {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    for register in COMMANDS:
        register(sub)
    return parser


COMMANDS = [
    register_new,
    register_import,
    register_info,
    register_items,
    register_quarantine,
    register_tag,
    register_note,
    register_verify,
    register_audit,
    register_gui,
    register_demo,
    register_taxonomy,
    register_mapping,
    register_analyze,
    register_provenance,
    register_export,
    register_productions,
    register_facts,
    register_batches,
    register_redact,
    register_ocr,
]
