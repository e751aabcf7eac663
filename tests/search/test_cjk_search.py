"""Chinese and Japanese words inside sentences are found by `casefile items --search`, with
AND, OR, NOT, phrases, prefixes and column filters still meaning what they say."""

import json

import pytest

from app.store.case_file import CaseFile
from app.store.cjk_index import index_text, rewrite_query
from cjk_cases import MESSAGES, import_paths, write_messages

NAME_OF = {title: name for name, (title, _body) in MESSAGES.items()}


@pytest.fixture(scope="module")
def cjk_case(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cjk")
    path = folder / "cjk.casefile"
    with CaseFile.create(path, "CJK", "CL-1", "UTC", operator="tester") as case:
        import_paths(case, write_messages(folder / "mail"))
    return path


def found(cli, case_path, query) -> set[str]:
    code, out, err = cli("items", case_path, "--search", query, "--json")
    assert code == 0, err
    return {NAME_OF[item["title"]] for item in json.loads(out)}


@pytest.mark.parametrize(
    "word, names",
    [
        ("密钥", {"zh-key", "zh-data"}),  # 2 characters, once glued to "API"
        ("注册", {"zh-key"}),
        ("数据集", {"zh-data"}),  # 3
        ("服务条款", {"zh-data"}),  # 4
        ("模型蒸馏", {"zh-data"}),
        ("每三天更换一次密钥", {"zh-key"}),  # a whole run, as before
        ("蒸留", {"ja"}),  # Japanese: 2, kanji
        ("キー", {"ja"}),  # katakana
        ("研究所", {"ja"}),  # 3
        ("報告書", {"ja"}),
        (
            "競合他社",
            {
                "ja",
            },
        ),  # 4, also in the subject (競合他社の件)
        ("収集して", {"ja"}),  # kanji and hiragana together
    ],
)
def test_a_word_inside_a_sentence_is_found(cli, cjk_case, word, names):
    assert found(cli, cjk_case, word) == names


@pytest.mark.parametrize("word", ["密钥", "研究所", "報告書"])
def test_the_characters_of_a_word_apart_do_not_match(cli, cjk_case, word):
    """机密，钥匙 holds 密 and 钥 side by side across a comma; 研究の所長 and 報告した書類 hold the
    characters of 研究所 and 報告書 in order, but not the words."""
    assert not found(cli, cjk_case, word) & {"zh-lookalike", "ja-lookalike"}


def test_a_longer_word_is_not_found_from_two_overlapping_words(cli, cjk_case):
    # 密钥 is in the text and 钥匙 is in another sentence (钥匙在公司): 密钥匙 is in neither.
    assert found(cli, cjk_case, "密钥匙") == set()
    assert found(cli, cjk_case, "钥匙在公司") == {"zh-lookalike"}


def test_known_limitation_word_boundaries_are_not_known(cli, cjk_case):
    """As with Lucene's CJK bigrams, a word is found inside a longer word: 京都 (Kyoto) in 东京都."""
    assert found(cli, cjk_case, "京都") == {"zh-lookalike"}


@pytest.mark.parametrize(
    "query, names",
    [
        ("密钥 AND API", {"zh-data"}),
        ("密钥 API", {"zh-data"}),  # AND implied
        ("API", {"zh-data", "ja", "en"}),  # glued to Chinese (API密钥) and Japanese (APIキー) too
        ("密钥 OR rotate", {"zh-key", "zh-data", "en"}),
        ("API NOT 密钥", {"ja", "en"}),
        ("rotate NOT 密钥", {"en"}),
        ('"API密钥"', {"zh-data"}),
        ('"API 密钥"', {"zh-data"}),
        ('"API キー"', {"ja"}),
        ("API密钥", {"zh-data"}),
        ('"密钥 注册"', set()),  # a phrase: the words next to each other, which they are not
        ('"更换 一次密钥"', set()),
        ("rot*", {"en"}),
        ("数据*", {"zh-key", "zh-data"}),  # 数据 in a subject and in 数据集
        ("title:数据", {"zh-key"}),
        ("title:(件)", {"ja", "ja-lookalike"}),
        ("NEAR(密钥 注册, 10)", {"zh-key"}),
        ("(密钥 OR 蒸留) AND API", {"zh-data", "ja"}),
    ],
)
def test_mixed_queries_keep_their_meaning(cli, cjk_case, query, names):
    assert found(cli, cjk_case, query) == names


@pytest.mark.parametrize(
    "char, names",
    [
        ("密", {"zh-key", "zh-data", "zh-lookalike"}),  # 机密 in the look-alike
        ("款", {"zh-data"}),  # only ever the last character of a run (服务条款。)
        ("所", {"ja", "ja-lookalike"}),
        ("件", {"ja", "ja-lookalike"}),  # subjects
    ],
)
def test_a_single_character_is_found_wherever_it_appears(cli, cjk_case, char, names):
    assert found(cli, cjk_case, char) == names


def test_index_text_and_query_rewriting():
    """What the CJK index holds and what a query becomes (documented in app/store/cjk_index.py)."""
    assert index_text("用API密钥。").split() == ["用", "API", "密钥", "钥", "。"]
    assert index_text("plain ascii") == "plain ascii"
    assert rewrite_query("密钥 OR rotate*") == '"密钥" OR rotate*'
    assert rewrite_query('"密钥 API"') == '"密钥 钥  API"'
    assert rewrite_query("密") == '"密"*'
    assert rewrite_query("rotate NOT keys") == "rotate NOT keys"


def test_a_bad_query_with_cjk_is_explained(cli, cjk_case):
    code, _out, err = cli("items", cjk_case, "--search", "密钥 AND (")
    assert code != 0 and err.startswith("casefile: The search") and "Traceback" not in err


@pytest.mark.parametrize(
    ("title", "text", "indexed"),
    [
        ("acct-7 · frontier-large · Résumé the café menu", "naïve façade, 1,000 rows", False),
        ("Письмо · Ελληνικά", "emoji 🙂 and curly quotes ’", False),  # not Latin-1, not CJK either
        ("acct-7 · 東京の会議", "plain text", True),
        ("plain title", "the meeting in 東京", True),
    ],
)
def test_only_items_holding_cjk_go_to_the_bigram_index(title, text, indexed):
    # A log row's title ("account · model · prompt") is never ASCII; it must still be
    # recognised as holding no CJK without the regular expression reading it.
    from app.store.cjk_index import index_row

    assert (index_row(title, text) is not None) is indexed
