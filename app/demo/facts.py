"""The facts counsel would have written down for the demo case, linked to its evidence.

Found like the demo's review finds items (app/demo/tagging.py): by what they are -- an
email's Message-ID, a log row's account and day, a document's file name -- never by id.
Some elements are left without evidence on purpose (post-ban access is still being
investigated, secrecy measures not yet collected), so the proof chart shows what is
missing as well as what is proved.
"""

from app.demo import story
from app.demo.inputs import LETTER_NAME, SCREENSHOT_NAME, TERMS_NAME
from app.demo.tagging import HOT_ACCOUNT
from app.store import case_facts
from app.store.case_file import CaseFile


def add_demo_facts(case: CaseFile) -> int:
    """Add the demo's facts; returns how many were added."""
    terms, letter, shot = (_source_item(case, name) for name in (TERMS_NAME, LETTER_NAME, SCREENSHOT_NAME))
    key_rotation = _tagged(case, "HOT", "log_entry", f"account = '{HOT_ACCOUNT}'")
    extraction = _tagged(case, "TOS-AUTOMATED-EXTRACTION", "log_entry")[:5]
    alerts = _tagged(case, "VOLUME-PATTERN", "email")
    attribution = _tagged(case, "ATTRIBUTION", "output")[:3]
    plans = _tagged(case, "TOS-COMPETE-TRAIN", "email")
    ops, eng, gc = (story.PEOPLE[k][0] for k in ("ops", "eng", "gc"))
    facts = [
        dict(
            statement=f"{story.LAB} published its API Terms of Service {story.TOS_VERSION}, which forbid using "
            "outputs to develop competing models; every API account accepts them on sign-up.",
            date="2025-10-15",
            elements=["CLAIM-CONTRACT/ASSENT"],
            items=terms,
            witness=gc,
        ),
        dict(
            statement=f"{HOT_ACCOUNT} (Quillon Research) rotated through new API keys in its first days, "
            "each key's first request minutes after the last key slowed down.",
            date="2026-03-01 to 2026-03-10",
            status="disputed",
            elements=["CLAIM-CONTRACT/BREACH", "CLAIM-CFAA/BARRIER-CIRCUMVENTION"],
            items=key_rotation[:6],
            witness=eng,
            opposing=f"{story.COMPETITOR} says each key belonged to a separate research team.",
        ),
        dict(
            statement=f"Automated, templated requests from {HOT_ACCOUNT} on 18 March 2026 walked the model "
            "through topic after topic, and Trust & Safety flagged the volume.",
            date="2026-03-18",
            elements=["CLAIM-CONTRACT/BREACH", "CLAIM-DTSA/IMPROPER-MEANS"],
            items=extraction + alerts[:1],
            witness=ops,
        ),
        dict(
            statement=f"{story.COMPETITOR}'s data team planned to train its own model on collected outputs.",
            date="2026-03-05",
            status="disputed",
            elements=["CLAIM-DTSA/IMPROPER-MEANS", "CLAIM-CONTRACT/BREACH"],
            items=plans[:2],
            opposing="They call the collection an evaluation set, not training data.",
        ),
        dict(
            statement=f"{story.COMPETITOR}'s public model Orca names {story.LAB} as the company that trained it.",
            date="2026-04-21",
            elements=["CLAIM-DTSA/IMPROPER-MEANS"],
            items=shot + attribution,
            witness=eng,
        ),
        dict(
            statement=f"{story.COUNSEL_FIRM} wrote to {story.COMPETITOR} naming the four accounts and revoking "
            "their access.",
            date="2026-05-12",
            elements=["CLAIM-CFAA/REVOCATION"],
            items=letter,
            witness=story.PEOPLE["counsel"][0],
        ),
        dict(
            statement="Requests continued from new accounts after access was revoked.",
            date="2026-05-13 to 2026-05-31",
            status="prospective",
            elements=["CLAIM-CFAA/POST-BAN-ACCESS"],
            opposing="Not yet established: the May logs are still being collected.",
        ),
        dict(
            statement=f"The compute {story.LAB} spent serving the extraction accounts.",
            status="prospective",
            elements=["CLAIM-CONTRACT/DAMAGES"],
        ),
    ]
    for fact in facts:
        case_facts.add_fact(case, **fact)
    return len(facts)


def _source_item(case: CaseFile, file_name: str) -> list[int]:
    row = case.conn.execute(
        "SELECT min(i.id) FROM items i JOIN sources s ON s.id = i.source_id"
        " WHERE s.original_name = ? AND i.parent_id IS NULL",
        (file_name,),
    ).fetchone()
    return [row[0]] if row and row[0] is not None else []


def _tagged(case: CaseFile, code: str, kind: str, where: str = "1") -> list[int]:
    return [
        r[0]
        for r in case.conn.execute(
            f"SELECT i.id FROM items i JOIN tags t ON t.item_id = i.id WHERE t.code = ? AND i.kind = ? AND {where}"
            " ORDER BY coalesce(i.ts_us, 9223372036854775807), i.id",
            (code, kind),
        )
    ]
