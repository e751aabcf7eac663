"""Chinese, Japanese and Korean charset labels in mail, read as the mail programs that wrote them meant.

Mail labelled Shift_JIS, GB2312, Big5 or EUC-KR is in practice written by Windows code
pages that extend those standards (cp932, GBK/GB18030, Big5-HKSCS, cp949): ①, ㈱, 髙,
镕 or 똠 are not in the labelled charset, so a strict decode failed and the text went to
charset detection, which read some of it as a different script entirely (a Big5 message
with a Hong Kong character came out as UTF-16 garbage; "x-gbk" as Big5) -- and such words
cannot be found. Each label maps to its superset, as the WHATWG Encoding Standard (what
browsers do) says, including the labels Python does not know ("x-sjis", "windows-31j",
"x-gbk", "gb_2312-80", ...). The superset decodes every text of the standard the same,
except Shift_JIS's 0x8160 (read as the full-width tilde ～ Windows users typed, not the wave
dash 〜), which is what the writer meant.
"""

_SHIFT_JIS = ("csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis")
_GBK = (
    "chinese",
    "csgb2312",
    "csiso58gb231280",
    "gb2312",
    "gb_2312",
    "gb_2312-80",
    "gbk",
    "iso-ir-58",
    "x-gbk",
    "cp936",
    "gb18030",
)
_BIG5 = ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5")
_EUC_KR = (
    "cseuckr",
    "csksc56011987",
    "euc-kr",
    "iso-ir-149",
    "korean",
    "ks_c_5601-1987",
    "ks_c_5601-1989",
    "ksc5601",
    "ksc_5601",
    "windows-949",
)
_EUC_JP = ("cseucpkdfmtjapanese", "euc-jp", "x-euc-jp")
_ISO_2022_JP = ("csiso2022jp", "iso-2022-jp")

# Declared charset label (lower case) -> the Python codec that reads what was written.
CJK_CHARSETS = {
    **dict.fromkeys(_SHIFT_JIS, "cp932"),
    **dict.fromkeys(_GBK, "gb18030"),
    **dict.fromkeys(_BIG5, "big5hkscs"),
    **dict.fromkeys(_EUC_KR, "cp949"),
    **dict.fromkeys(_EUC_JP, "euc_jp"),
    # Half-width katakana (ESC ( I), which Japanese mail programs do send.
    **dict.fromkeys(_ISO_2022_JP, "iso2022_jp_ext"),
}
