"""PDF documents of the demo case, drawn with reportlab (deterministic: invariant mode).

The lab's Terms of Service (the version the accounts accepted) and the
cease-and-desist letter its counsel sent to Example Dynamics.
"""

import os
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.demo import story
from app.demo.logs import SUSPICIOUS

TERMS_DATE = datetime(2025, 10, 15, 17, 0, tzinfo=timezone.utc)  # published before taking effect
LETTER_DATE = datetime(2026, 5, 12, 15, 30, tzinfo=timezone.utc)  # signed before it was emailed

TOS_SECTIONS = (
    (
        "1. Acceptance",
        "By creating an account, generating an API key or sending a request to the "
        f"{story.LAB} API you accept these Terms on behalf of yourself and your organisation.",
    ),
    ("2. Restrictions", "You may not, and may not allow anyone else to:"),
    ("2.1", "use Outputs to develop, train or improve any model that competes with the Services;"),
    (
        "2.2",
        "extract Outputs automatically or programmatically except through the API as documented, "
        "including by scraping, harvesting or systematic collection of Outputs for use as training data;",
    ),
    (
        "2.3",
        "circumvent rate limits or usage quotas, including by spreading requests across multiple "
        "accounts, API keys or network addresses;",
    ),
    ("2.4", "buy, sell, share or transfer API keys or account credentials;"),
    (
        "2.5",
        "attempt to reverse engineer or discover the model weights, architecture or training data, "
        "including by prompting for the model's chain of reasoning at scale;",
    ),
    ("2.6", "open an account with false information or to evade a suspension."),
    (
        "3. Monitoring",
        f"{story.LAB} logs requests (time, account, key, address, prompt and response) to "
        "operate and secure the Services and to enforce these Terms.",
    ),
    ("4. Suspension", "We may suspend any account or key that we reasonably believe breaches Section 2."),
    (
        "5. Governing law",
        "These Terms are governed by the laws of the State of California. "
        "The courts of San Francisco County have exclusive jurisdiction.",
    ),
)

LETTER_DEMANDS = (
    "This conduct breaches Sections 2.1, 2.2 and 2.3 of the Terms of Service (version 2025-11-01) that "
    "each account accepted. We demand that you (1) stop accessing the Services; (2) stop using, and "
    "quarantine, any data set or model derived from Northwind outputs; (3) preserve all documents, "
    "logs and communications relating to the collection of those outputs; and (4) confirm the above "
    "in writing within fourteen days of this letter.",
    "Nothing in this letter waives any of our client's rights or remedies, all of which are reserved.",
)


def _styles():
    styles = getSampleStyleSheet()
    return styles["Title"], styles["Heading3"], styles["BodyText"]


def write_terms(path: Path) -> Path:
    """The Terms of Service, version 2025-11-01, three short pages."""
    title, heading, body = _styles()
    story_flow = [
        Paragraph(f"{story.LAB} API Terms of Service", title),
        Paragraph(f"Version {story.TOS_VERSION} (effective 1 November 2025)", body),
        Spacer(1, 12),
    ]
    for name, text in TOS_SECTIONS:
        story_flow += [Paragraph(escape(name), heading), Paragraph(escape(text), body)]
    story_flow += [
        Spacer(1, 18),
        Paragraph(
            escape(
                'Definitions. "Outputs" means the text, code or other content the Services return in response to '
                'a request. "Services" means the models, API and related tools we provide. Capitalised terms not '
                "defined here have the meaning given in the Order Form."
            ),
            body,
        ),
    ]
    story_flow += [
        Paragraph(
            escape("These Terms replace all earlier versions for requests made on or after their effective date."), body
        )
    ]
    _build(path, story_flow, f"{story.LAB} API Terms of Service {story.TOS_VERSION}", story.LAB, TERMS_DATE)
    return path


def write_cease_and_desist(path: Path, request_counts: dict[str, int]) -> Path:
    """Counsel's letter of 12 May 2026 naming the four accounts and the request volumes."""
    title, heading, body = _styles()
    name, email, role = story.PEOPLE["counsel"]
    rows = [["Account", "Organisation", "Requests (Mar-Apr 2026)"]]
    rows += [[acct, org, f"{request_counts.get(acct, 0):,}"] for acct, org in SUSPICIOUS.items()]
    table = Table(rows, colWidths=[1.3 * inch, 2.2 * inch, 2.2 * inch])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, "#888888"),
                ("BACKGROUND", (0, 0), (-1, 0), "#dddddd"),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
            ]
        )
    )
    paragraphs = [
        f"{story.COUNSEL_FIRM}<br/>200 Harbor Street, Suite 900, San Francisco, CA 94105 (fictional)",
        "12 May 2026",
        f"BY EMAIL ({escape(story.PEOPLE['exd_legal'][1])}) AND COURIER<br/>{story.COMPETITOR}, Legal Department",
        f"<b>Re: Unauthorised extraction of {story.LAB} model outputs - demand to cease and desist</b>",
        f"We represent {story.LAB}. Between 1 March and 30 April 2026 the accounts below, which our client's "
        f"records link to {story.COMPETITOR}, sent tens of thousands of templated requests for step-by-step "
        "reasoning to the Northwind API, around the clock, rotating to a new API key every three days from "
        "one block of addresses. Responses of your model Orca repeat our client's answers word for word and, "
        'asked which company trained it, Orca has answered "Northwind AI".',
    ]
    flow = [Paragraph("CEASE AND DESIST", title)] + [Paragraph(p, body) for p in paragraphs[:4]]
    flow += [Spacer(1, 8), Paragraph(paragraphs[4], body), Spacer(1, 8), table, Spacer(1, 10)]
    flow += [
        Paragraph(escape(text), body)
        for text in (*LETTER_DEMANDS, "Sincerely,", f"{name}, {role}, {story.COUNSEL_FIRM} ({email})")
    ]
    _build(path, flow, f"Cease and desist: {story.LAB} to {story.COMPETITOR}", name, LETTER_DATE)
    return path


def _build(path: Path, flow: list, title: str, author: str, created: datetime) -> None:
    doc = SimpleDocTemplate(
        str(path),
        pagesize=LETTER,
        title=title,
        author=author,
        subject=story.CASE_NAME,
        creator="Casefile demo generator",
        invariant=1,
    )
    with _source_date(created):
        doc.build(flow)


@contextmanager
def _source_date(moment: datetime):
    """reportlab dates an invariant PDF at SOURCE_DATE_EPOCH (else 1 January 2000)."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
