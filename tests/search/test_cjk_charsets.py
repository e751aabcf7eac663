"""Mail in legacy Chinese, Japanese and Korean charsets is searchable in its own words,
in the body and in the subject (RFC 2047), including the characters Windows adds to
each standard and the labels mail programs really send."""

import json

import pytest

from app.store.case_file import CaseFile
from cjk_cases import eml, import_paths

# (declared label, codec the bytes are really in, subject, body, a word of the subject, a word of the body)
LEGACY = [
    ("shift_jis", "shift_jis", "見積書の件", "競合他社はAPIキーを共有していました。", "見積書", "競合他社"),
    ("euc-jp", "euc_jp", "研究所の報告", "推論結果を大量に収集しました。", "研究所", "推論結果"),
    ("iso-2022-jp", "iso2022_jp", "蒸留について", "パスワードを毎週変更してください。", "蒸留", "パスワード"),
    ("gb2312", "gb2312", "数据采集项目", "我们每三天更换一次密钥。", "采集", "密钥"),
    ("gbk", "gbk", "服务条款", "收集的数据集用于模型蒸馏。", "条款", "数据集"),
    ("gb18030", "gb18030", "注册问题", "并用新账号注册以绕过限制。", "注册", "新账号"),
    ("big5", "big5", "資料收集", "我們每三天更換一次密鑰。", "收集", "密鑰"),
    ("euc-kr", "euc_kr", "회사 보고서", "회사는비밀번호를변경했습니다.", "보고서", "비밀번호"),
    # What Windows mail programs send under those labels, and labels Python does not know:
    ("shift_jis", "cp932", "①㈱髙橋の件", "髙橋さんが①番の鍵を共有。", "髙橋", "髙橋さん"),  # cp932 additions
    ("Shift_JIS", "cp932", "～見積～", "価格は～千円です。", "見積", "千円"),  # ～ is the full-width tilde
    ("x-sjis", "cp932", "見積書", "見積書を送ります。", "見積書", "送ります"),
    ("windows-31j", "cp932", "見積書", "見積書を送ります。", "見積書", "送ります"),
    ("iso-2022-jp", "iso2022_jp_ext", "ｶﾀｶﾅ件名", "半角ｶﾀｶﾅのﾊﾟｽﾜｰﾄﾞです。", "件名", "ﾊﾟｽﾜｰﾄﾞ"),
    ("gb2312", "gbk", "朱镕基", "朱镕基的密钥。", "镕基", "镕基的"),  # a GBK character under gb2312
    ("x-gbk", "gbk", "数据采集", "我们更换密钥。", "采集", "密钥"),
    ("gb_2312-80", "gb2312", "数据采集", "我们更换密钥。", "采集", "密钥"),
    ("big5", "big5hkscs", "邨屋資料", "香港的邨屋密鑰。", "邨屋", "香港"),  # a Hong Kong character under big5
    ("euc-kr", "cp949", "똠방 보고서", "똠방각하 회사.", "똠방", "똠방각하"),  # a cp949 syllable under euc-kr
    ("ks_c_5601-1987", "cp949", "회사 보고서", "비밀번호를 변경.", "회사", "비밀번호"),
]


@pytest.mark.parametrize(
    "label, codec, subject, body, subject_word, body_word", LEGACY, ids=[f"{row[0]}-as-{row[1]}" for row in LEGACY]
)
def test_legacy_charset_mail_is_found_by_its_own_words(
    cli, tmp_path, label, codec, subject, body, subject_word, body_word
):
    path = tmp_path / "mail.eml"
    path.write_bytes(eml(subject, body, label, codec))
    case_path = tmp_path / "c.casefile"
    with CaseFile.create(case_path, "CJK", "CL-1", "UTC", operator="tester") as case:
        import_paths(case, [path])
        title, text, warnings = case.conn.execute("SELECT title, text, warnings FROM item_details").fetchone()
    assert title == subject and body in text and warnings is None  # read as written, nothing guessed
    for word in (subject_word, body_word):
        code, out, err = cli("items", case_path, "--search", word, "--json")
        assert code == 0, err
        assert [item["title"] for item in json.loads(out)] == [subject], word


RAW_HEADERS = [  # (codec of the whole message, subject, sender's name, a word of the subject)
    ("shift_jis", "見積書の件について", "佐藤", "見積書"),
    ("gb2312", "数据采集项目", "李伟", "采集"),
    ("euc_jp", "研究所の報告", "佐藤", "研究所"),
    ("iso2022_jp", "研究所の報告", "佐藤", "研究所"),  # raw JIS escapes in the headers
    ("big5", "資料收集", "李偉", "收集"),
    ("euc_kr", "회사 보고서", "김철수", "보고서"),
]


@pytest.mark.parametrize("codec, subject, sender, word", RAW_HEADERS, ids=[row[0] for row in RAW_HEADERS])
def test_raw_8bit_headers_are_read_in_the_message_charset(cli, tmp_path, codec, subject, sender, word):
    """Old mail programs wrote subjects and names unencoded, in the message's charset; a few
    bytes are too few to detect the charset from, so the body's declared charset is used."""
    raw = (
        b"From: "
        + sender.encode(codec)
        + b" <a@example.cn>\r\nTo: b@example.jp\r\nSubject: "
        + subject.encode(codec)
        + b"\r\nDate: Tue, 01 Jul 2025 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset="
        + codec.replace("_", "-").encode()
        + b"\r\n\r\n"
        + "本文です。".encode(codec)
        + b"\r\n"
    )
    path = tmp_path / "raw.eml"
    path.write_bytes(raw)
    case_path = tmp_path / "c.casefile"
    with CaseFile.create(case_path, "CJK", "CL-1", "UTC", operator="tester") as case:
        import_paths(case, [path])
        title = case.conn.execute("SELECT title FROM items").fetchone()[0]
        shown_sender = case.conn.execute("SELECT fields FROM item_details").fetchone()[0]
    assert title == subject and sender in shown_sender
    code, out, err = cli("items", case_path, "--search", word, "--json")
    assert code == 0, err
    assert [item["title"] for item in json.loads(out)] == [subject]


def test_half_width_katakana_is_found_by_the_full_width_word(cli, tmp_path):
    """ﾊﾟｽﾜｰﾄﾞ (half-width, from old Japanese mail) and パスワード are the same word."""
    path = tmp_path / "mail.eml"
    path.write_bytes(eml("ｶﾀｶﾅ件名", "半角ｶﾀｶﾅのﾊﾟｽﾜｰﾄﾞです。", "iso-2022-jp", "iso2022_jp_ext"))
    case_path = tmp_path / "c.casefile"
    with CaseFile.create(case_path, "CJK", "CL-1", "UTC", operator="tester") as case:
        import_paths(case, [path])
    for word in ("パスワード", "ﾊﾟｽﾜｰﾄﾞ", "カタカナ"):
        code, out, err = cli("items", case_path, "--search", word, "--json")
        assert code == 0, err
        assert [item["title"] for item in json.loads(out)] == ["ｶﾀｶﾅ件名"], word
