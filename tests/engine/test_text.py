import subprocess
import sys
from pathlib import Path

import pytest

from seedbed.engine.text import STOP_WORDS, cjk_ratio, detect_language, tokenize


def test_english_is_lower_cased_and_stop_words_are_dropped():
    assert tokenize("The Platform for AI-driven Hospitals and Clinics") == [
        "platform",
        "ai",
        "driven",
        "hospitals",
        "clinics",
    ]


def test_programming_language_names_survive_tokenising():
    assert tokenize("C++ and C# engineers, Node.js") == ["c++", "c#", "engineers", "node.js"]


def test_numbers_and_single_letters_are_dropped():
    assert tokenize("a 2024 x plan") == ["plan"]


def test_chinese_is_segmented_into_words_with_jieba():
    tokens = tokenize("新能源汽车电池回收")
    assert "新能源" in tokens
    assert "电池" in tokens
    assert "回收" in tokens


def test_chinese_stop_words_are_dropped():
    tokens = tokenize("我们的产品是为了医院")
    assert "我们的" not in tokens and "是" not in tokens and "为了" not in tokens
    assert "医院" in tokens


def test_mixed_text_gets_both_tokenizers():
    tokens = tokenize("我们做AI医疗SaaS，服务医院")
    assert "ai" in tokens and "saas" in tokens
    assert "医疗" in tokens and "医院" in tokens
    assert "，" not in tokens


def test_empty_text_has_no_tokens():
    assert tokenize("") == []
    assert tokenize("   ，。!!") == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("We build robots for warehouses", "en"),
        ("我们为仓库制造机器人", "zh"),
        ("我们的 SaaS 服务 B2B 客户", "zh"),
        ("Our 团队 builds developer tools for everyone", "en"),
        ("", "en"),
    ],
)
def test_language_is_detected_from_the_share_of_chinese_characters(text, language):
    assert detect_language(text) == language


def test_cjk_ratio_counts_letters_only():
    assert cjk_ratio("中文 ab") == pytest.approx(0.5)
    assert cjk_ratio("123 !!") == 0.0


def test_stop_word_list_covers_both_languages():
    assert {"the", "and", "的", "我们"} <= STOP_WORDS


def test_jieba_prints_nothing_in_normal_use():
    code = "from seedbed.engine.text import tokenize; tokenize('今天我们讨论创业融资和产品')"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.stdout == ""
    assert result.stderr == ""
