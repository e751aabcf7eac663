"""Emails in Chinese and Japanese (and their look-alikes), built by the tests, imported for real."""

import base64

from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers.pipeline import import_files

ZH_KEY = "我们每三天更换一次密钥，并用新账号注册以绕过速率限制。"
ZH_DATA = "收集的数据集用于模型蒸馏，违反了服务条款。他们共享API密钥。"
JA = "競合他社はAPIキーを共有し、推論結果を大量に収集して独自モデルの蒸留に使っていました。研究所の報告書を参照。"
EN = "We rotate the API keys every three days."
# The characters of the words above, but never the words: 密 and 钥 apart (机密，钥匙),
# 研究 and 所 apart, 報告 and 書 apart.
ZH_LOOKALIKE = "这是机密，钥匙在公司。东京都很大。"
JA_LOOKALIKE = "研究の所長に報告した書類です。"

# (title, body): the title is how the tests name each email
MESSAGES = {
    "zh-key": ("数据采集项目", ZH_KEY),
    "zh-data": ("服务条款问题", ZH_DATA),
    "ja": ("競合他社の件", JA),
    "en": ("Key rotation", EN),
    "zh-lookalike": ("办公室", ZH_LOOKALIKE),
    "ja-lookalike": ("所長の件", JA_LOOKALIKE),
}


def eml(subject: str, body: str, label: str = "utf-8", codec: str | None = None, day: int = 1) -> bytes:
    """A message whose subject (RFC 2047) and body are in `codec`, declared as `label`."""
    codec = codec or label
    word = base64.b64encode(subject.encode(codec)).decode("ascii")
    head = (
        f"From: Li Wei <li@example.cn>\r\nTo: Sato <sato@example.jp>\r\nSubject: =?{label}?B?{word}?=\r\n"
        f"Date: Tue, {day:02d} Jul 2025 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: text/plain; charset="{label}"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'
    )
    return head.encode("ascii") + body.encode(codec) + b"\r\n"


def write_messages(folder) -> list:
    folder.mkdir(exist_ok=True)
    paths = []
    for day, (name, (subject, body)) in enumerate(MESSAGES.items(), start=1):
        path = folder / f"{name}.eml"
        path.write_bytes(eml(subject, body, day=day))
        paths.append(path)
    return paths


def import_paths(case, paths) -> None:
    report = run_to_end(import_files(case, paths, ImportSettings(timezone="UTC")))
    assert all(f.error is None and f.reconciles for f in report.files)
