"""How a prompt is read: its templates ignore what changes between fillings, a tiny repeated
prompt is one filling, Chinese is split into characters, phrases and task numbers are found."""

from app.analysis.extraction import prompts


def test_fillings_that_change_share_a_template_and_count_as_different_fillings():
    one = prompts.shape('Translate into French, keeping the tone: "great value for money" (review 12)', 4, 4)
    two = prompts.shape('Translate into French, keeping the tone: "arrived broken, no refund" (review 977)', 4, 4)
    assert one[0] == two[0] and one[1] == two[1]  # same prefix and suffix template
    assert one[2] != two[2]  # different fillings
    other = prompts.shape("Summarise this contract for a client who is in a hurry today", 4, 4)
    assert other[0] != one[0] and other[1] != one[1]


def test_a_health_check_is_one_template_with_one_filling():
    assert prompts.shape("ping", 6, 6) == prompts.shape("ping", 6, 6)
    shape = prompts.shape("ping", 6, 6)
    assert shape[0] == shape[1]


def test_long_prompts_are_read_at_their_ends():
    middle = " ".join(f"word{n}" for n in range(400))
    one = prompts.shape(f"Please rewrite the passage below. {middle} Keep every step numbered.", 5, 5)
    two = prompts.shape(f"Please rewrite the passage below. {middle.upper()} Keep every step numbered.", 5, 5)
    assert one[0] == two[0] and one[1] == two[1]


def test_chinese_words_and_reasoning_phrases_and_task_numbers():
    assert prompts.tokens("请一步一步地推理 12 次")[:3] == ["请", "一", "步"]
    phrases = prompts.PhraseList(prompts.read_phrase_file("reasoning_phrases.txt"))
    assert phrases.matches("think it through, step by step.")
    assert phrases.matches("请一步一步地推理，写出思考过程")
    assert not phrases.matches("what is the capital of france?")
    assert prompts.task_number("Task 0412: balance this equation") == 412
    assert prompts.task_number("Q12. What is x?") == 12
    assert prompts.task_number("第5题：求导") == 5
    assert prompts.task_number("Tell me about 1984") is None


def test_every_listed_phrase_is_found_whatever_the_prompt_is_written_in():
    listed = [
        "写出思考过程",
        "思考过程",
        "show your full reasoning",
        "your thought process",
        "lay out your thought process",
    ]
    phrases = prompts.PhraseList(listed)
    for phrase in listed:
        assert phrases.matches(f"please {phrase} now")
        assert phrases.matches(f"请 {phrase} 谢谢")  # an English phrase inside a Chinese prompt
    assert not phrases.matches("思考 过程 and your thought")


def test_signatures_are_stable_across_runs():
    assert prompts.signature("explain ‹v› step by step") == prompts.signature("explain ‹v› step by step")
    assert -(1 << 63) <= prompts.signature("x") < (1 << 63)
    assert prompts.signature("hello") == -5327575264619920875  # CRC-32 and Adler-32: not salted per process
