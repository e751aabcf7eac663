"""Correspondence of the demo case: Northwind's emails (.eml) and a mailbox (.mbox)
that Example Dynamics produced in discovery, with attachments.

Northwind's side: the trust-and-safety alert, privileged exchanges with outside
counsel, the screenshot report and the cease-and-desist letter with its reply.
Example Dynamics' side: the data-collection project with a vendor in Shenzhen, partly
in Chinese. Message-IDs, MIME boundaries and mbox "From " lines are fixed, so two
runs write the same bytes.
"""

import mailbox
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

from app.demo import story

PACIFIC = timezone(timedelta(hours=-7), "PDT")
SHANGHAI = timezone(timedelta(hours=8), "CST")


@dataclass
class Mail:
    key: str  # stable id: the Message-ID and the .eml file name derive from it
    sent: datetime
    sender: str  # a key of story.PEOPLE
    to: list[str]
    subject: str
    body: str
    cc: list[str] = field(default_factory=list)
    reply_to: str | None = None  # the key of the message this answers
    attachments: list[str] = field(default_factory=list)  # file names in the inputs folder


def _person(key: str) -> str:
    name, address, _role = story.PEOPLE[key]
    return formataddr((name, address))


def message_id(key: str, domain: str) -> str:
    return f"<{key}.{story.digest(key, 10)}@{domain}>"


def northwind_mails() -> list[Mail]:
    """Northwind's own emails, exported one .eml per message."""
    return [
        Mail(
            "nw-alert",
            datetime(2026, 3, 18, 9, 12, tzinfo=PACIFIC),
            "ops",
            ["eng", "gc"],
            "Unusual traffic from four accounts",
            "Tomas, Miriam,\n\nFour accounts (acct-0007, acct-0013, acct-0029, acct-0036) have sent about "
            "70% of all step-by-step reasoning requests this month. Same prompt template, requests every "
            "few minutes day and night, all from 203.0.113.0/24. Summary attached.\n\nDana",
            attachments=["flagged-accounts.csv"],
        ),
        Mail(
            "nw-alert-re",
            datetime(2026, 3, 18, 11, 40, tzinfo=PACIFIC),
            "eng",
            ["ops"],
            "Re: Unusual traffic from four accounts",
            "Confirmed. Each of the four rotates to a new API key every three days, which keeps every key "
            "under the per-key rate limit. The user agent is the same batch runner on all four.\n\nTomas",
            cc=["gc"],
            reply_to="nw-alert",
        ),
        Mail(
            "nw-priv-1",
            datetime(2026, 3, 25, 16, 5, tzinfo=PACIFIC),
            "gc",
            ["counsel"],
            "Privileged & Confidential: possible distillation of Sage",
            "PRIVILEGED & CONFIDENTIAL - ATTORNEY-CLIENT COMMUNICATION\n\nJonah, we would like your advice "
            "on the four accounts Dana flagged. Our current Terms are attached. Can we suspend now without "
            "prejudicing a later claim?\n\nMiriam",
            attachments=["northwind-terms-of-service-2025-11-01.pdf"],
        ),
        Mail(
            "nw-priv-2",
            datetime(2026, 3, 26, 10, 30, tzinfo=PACIFIC),
            "counsel",
            ["gc"],
            "Re: Privileged & Confidential: possible distillation of Sage",
            "PRIVILEGED & CONFIDENTIAL - ATTORNEY-CLIENT COMMUNICATION\n\nMiriam, preserve the full logs "
            "first (export them unchanged and record their hashes), then suspend. Section 2.3 covers the key "
            "rotation directly.\n\nJonah",
            reply_to="nw-priv-1",
        ),
        Mail(
            "nw-screenshot",
            datetime(2026, 4, 23, 14, 2, tzinfo=PACIFIC),
            "eng",
            ["gc", "ops"],
            "Orca says it was trained by Northwind",
            "Screenshot from Example Dynamics' public Orca chat, 21 April. Asked who trained it, Orca answers "
            "that it is Sage, trained by Northwind AI, then reproduces our step-by-step format verbatim. "
            "Full test outputs are in orca-outputs.jsonl.\n\nTomas",
            attachments=["orca-chat-screenshot.png"],
        ),
        Mail(
            "nw-cease",
            datetime(2026, 5, 12, 9, 0, tzinfo=PACIFIC),
            "counsel",
            ["exd_legal"],
            "Cease and desist: unauthorised extraction of Northwind AI outputs",
            "Please find attached our letter of today's date on behalf of Northwind AI. We look forward to "
            "your written confirmation within fourteen days.\n\nJonah Pike\nHarrow & Vale LLP",
            cc=["gc"],
            attachments=["cease-and-desist-2026-05-12.pdf"],
        ),
        Mail(
            "nw-priv-3",
            datetime(2026, 5, 13, 8, 45, tzinfo=PACIFIC),
            "gc",
            ["counsel"],
            "Re: Cease and desist - next steps (privileged)",
            "PRIVILEGED & CONFIDENTIAL - ATTORNEY-CLIENT COMMUNICATION\n\nThanks, Jonah. If they do not "
            "answer by the 26th, please prepare the complaint (contract and unfair competition).\n\nMiriam",
            reply_to="nw-cease",
        ),
        Mail(
            "nw-cease-reply",
            datetime(2026, 5, 20, 17, 20, tzinfo=PACIFIC),
            "exd_legal",
            ["counsel"],
            "Re: Cease and desist: unauthorised extraction of Northwind AI outputs",
            "Mr Pike,\n\nExample Dynamics has no account with Northwind AI and did not use Northwind outputs "
            "to train Orca. We reject the allegations in your letter.\n\nPriya Lindqvist",
            reply_to="nw-cease",
        ),
    ]


def production_mails() -> list[Mail]:
    """Example Dynamics' mailbox as produced in discovery (one .mbox), partly in Chinese."""
    return [
        Mail(
            "exd-project",
            datetime(2026, 2, 20, 10, 0, tzinfo=SHANGHAI),
            "exd_ml",
            ["exd_vendor"],
            "数据采集项目 / Data collection project",
            "李娜你好，\n\n我们需要在三月和四月从 Northwind 的 API 收集大约三万条分步推理的回答，用于 Orca 的训练。"
            "请使用不同的公司名称注册账户。\n\nHi Li Na, as discussed: about 30k step-by-step answers from the "
            "Northwind API in March and April, for Orca's training set. Please register the accounts under "
            "different company names.\n\nChen Wei",
        ),
        Mail(
            "exd-project-re",
            datetime(2026, 2, 21, 9, 30, tzinfo=SHANGHAI),
            "exd_vendor",
            ["exd_ml"],
            "回复：数据采集项目 / Re: Data collection project",
            "陈伟你好，\n\n我们已经注册了四个账户（Quillon Research、Vantoria Data、Osmerix Labs、Pellucid Eval）。"
            "为了避开速率限制，每三天更换一次密钥，全天二十四小时运行。\n\nWe have four accounts; keys rotate "
            "every three days to stay under the rate limit, running around the clock.\n\n李娜",
            reply_to="exd-project",
        ),
        Mail(
            "exd-progress",
            datetime(2026, 3, 31, 18, 0, tzinfo=SHANGHAI),
            "exd_vendor",
            ["exd_ml"],
            "进度报告：三月 / Progress report: March",
            "三月份的进度见附件。\n\nMarch progress attached: request counts per account.\n\n李娜",
            reply_to="exd-project-re",
            attachments=["collection-progress-2026-03.csv"],
        ),
        Mail(
            "exd-mix",
            datetime(2026, 4, 10, 11, 15, tzinfo=SHANGHAI),
            "exd_ml",
            ["exd_vendor"],
            "Orca v1 training mix",
            "For the record: the NW-sourced reasoning set is 38% of Orca v1's fine-tuning mix. Strip the "
            "'Sage' self-references before the next run; some still come through.\n\nChen",
        ),
    ]


def attachment_texts(request_counts: dict[str, int]) -> dict[str, bytes]:
    """The small CSV attachments (the PDFs and the PNG are written by their own modules)."""
    flagged = "account_id,organisation,requests_march,distinct_keys,ip_block\n" + "".join(
        f"{acct},{org},{request_counts.get(acct, 0) // 2},10,203.0.113.0/24\n" for acct, org in _suspicious().items()
    )
    progress = "账户,公司名称,请求数\n" + "".join(
        f"{acct},{org},{request_counts.get(acct, 0) // 2}\n" for acct, org in _suspicious().items()
    )
    return {
        "flagged-accounts.csv": flagged.encode("utf-8"),
        "collection-progress-2026-03.csv": progress.encode("utf-8"),
    }


def _suspicious() -> dict[str, str]:
    from app.demo.logs import SUSPICIOUS

    return SUSPICIOUS


def build_message(mail: Mail, domain: str, files: dict[str, bytes], parents: dict[str, Mail]) -> EmailMessage:
    """One message with fixed ids and boundaries."""
    msg = EmailMessage()
    msg["From"] = _person(mail.sender)
    msg["To"] = ", ".join(_person(k) for k in mail.to)
    if mail.cc:
        msg["Cc"] = ", ".join(_person(k) for k in mail.cc)
    msg["Subject"] = mail.subject
    msg["Date"] = format_datetime(mail.sent)
    msg["Message-ID"] = message_id(mail.key, domain)
    if mail.reply_to:
        chain = _chain(mail.reply_to, parents)
        msg["In-Reply-To"] = message_id(mail.reply_to, domain)
        msg["References"] = " ".join(message_id(k, domain) for k in chain)
    msg.set_content(mail.body)
    for name in mail.attachments:
        maintype, subtype = _mime_type(name)
        msg.add_attachment(files[name], maintype=maintype, subtype=subtype, filename=name)
    for number, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary(f"=_casefile_demo_{mail.key}_{number}")
    return msg


def _chain(key: str, parents: dict[str, Mail]) -> list[str]:
    chain = [key]
    while parents[chain[0]].reply_to:
        chain.insert(0, parents[chain[0]].reply_to)
    return chain


def _mime_type(name: str) -> tuple[str, str]:
    suffix = name.rsplit(".", 1)[-1].lower()
    return {"pdf": ("application", "pdf"), "png": ("image", "png"), "csv": ("text", "csv")}[suffix]


def write_correspondence(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Northwind's .eml files under folder/northwind-mail/, and the produced .mbox."""
    eml_folder = folder / "northwind-mail"
    eml_folder.mkdir(parents=True, exist_ok=True)
    ours = northwind_mails()
    by_key = {m.key: m for m in ours}
    paths = []
    for number, mail in enumerate(sorted(ours, key=lambda m: m.sent), start=1):
        path = eml_folder / f"{number:02d}-{mail.key}.eml"
        path.write_bytes(build_message(mail, story.LAB_DOMAIN, files, by_key).as_bytes())
        paths.append(path)
    paths.append(_write_mbox(folder / "exd-production-2026-06.mbox", files))
    return paths


def _write_mbox(path: Path, files: dict[str, bytes]) -> Path:
    theirs = production_mails()
    by_key = {m.key: m for m in theirs}
    path.unlink(missing_ok=True)
    box = mailbox.mbox(str(path), create=True)
    try:
        for mail in theirs:
            entry = mailbox.mboxMessage(build_message(mail, story.COMPETITOR_DOMAIN, files, by_key))
            entry.set_from(story.PEOPLE[mail.sender][1], mail.sent.astimezone(timezone.utc).timetuple())
            box.add(entry)
        box.flush()
    finally:
        box.close()
    return path
