"""Speed-only changes of the extraction keep its output: the faster forms match what the plain ones match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coopkg.extract import dates, numbers, prefilter
from coopkg.extract.alternation import alternation, grouped_pattern, words
from coopkg.extract.lexicon import LANGUAGES_DIR, _tolerant, load_data, loose_literal
from coopkg.extract.lexicon import _compile as lexicon_compile
from coopkg.extract.reader import read_path

ROOT = Path(__file__).resolve().parents[1]


def _texts() -> list[str]:
    folders = [ROOT / "data" / "corpus", ROOT / "tests" / "docs", *sorted((ROOT / "eval" / "real").glob("*/docs"))[:2]]
    return [read_path(p, 10_000_000).text for folder in folders for p in sorted(folder.glob("*.txt"))]


def _plain_and_grouped() -> list[tuple[str, list[str]]]:
    months = sorted((re.escape(m) for m in dates._SURFACES | set(dates.MONTHS)), key=len, reverse=True)
    currencies = set(numbers.CURRENCY_WORDS) | set(numbers.SCALED_CURRENCIES)
    return [
        ("months", months),
        ("currencies", [loose_literal(w) for w in sorted(currencies, key=len, reverse=True)]),
        ("scales", sorted((re.escape(k) for k in numbers.SCALES), key=len, reverse=True)),
    ]


@pytest.mark.parametrize(("name", "branches"), _plain_and_grouped(), ids=lambda v: v if isinstance(v, str) else "")
def test_grouped_alternation_matches_as_the_plain_one_at_every_position(name: str, branches: list[str]) -> None:
    grouped = alternation(branches)
    assert grouped != "|".join(branches), "nothing was grouped: the test would prove nothing"
    # In context, as the patterns use them: followed by more pattern, so backtracking into the group shows.
    plain_re = re.compile(rf"(?P<w>{'|'.join(branches)})(?P<rest>\w*)", re.IGNORECASE)
    grouped_re = re.compile(rf"(?P<w>{grouped})(?P<rest>\w*)", re.IGNORECASE)
    backtrack_plain = re.compile(rf"(?:{'|'.join(branches)})[\s\d]", re.IGNORECASE)
    backtrack_grouped = re.compile(rf"(?:{grouped})[\s\d]", re.IGNORECASE)
    checked = matched = 0
    for text in [*_texts(), " ".join(b.replace("\\", "") for b in branches)]:
        for i in range(len(text)):
            a, b = plain_re.match(text, i), grouped_re.match(text, i)
            assert (a and a.groupdict()) == (b and b.groupdict()), (name, text[i : i + 30])
            c, d = backtrack_plain.match(text, i), backtrack_grouped.match(text, i)
            assert (c and c.span()) == (d and d.span()), (name, text[i : i + 30])
            checked += 1
            matched += a is not None
    assert matched > 20 and checked > 10_000


def test_branches_whose_first_characters_overlap_keep_their_order() -> None:
    # "a" and "[aàâä]" can match the same character: one group, in the order given, unfactored.
    assert alternation(["[aàâä]b", "xy", "ab", "à"]) == "(?:[aàâä]b|ab|à)|xy"
    # under IGNORECASE "ı" (dotless i) matches "i": they stay together too.
    assert alternation(["ix", "ıy", "iz"]) == "(?:ix|ıy|iz)"
    assert alternation(["jan", "feb", "janvier", "j"]) == "j(?:an|anvier|)|feb"
    text = "janvier"
    assert re.match(rf"(?:{alternation(['jan', 'janvier'])})", text).group() == "jan"  # type: ignore[union-attr]


def test_branches_that_cannot_be_grouped_are_left_alone() -> None:
    for branches in (["a?b", "ac"], [r"\d+", "un"], ["(?:x)", "xy"], ["[^a]b", "ab"], ["", "a"], ["[a-c]x", "ay"]):
        assert alternation(branches) == "|".join(branches)
    assert words(["$", "us$", "u.s."]) == r"\$|u(?:s\$|\.s\.)"


def _lexicon_patterns() -> list[str]:
    """Every string of the language files that is a regular expression (words and phrases too)."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str):
            try:
                re.compile(_tolerant(node))
            except re.error:
                return
            found.append(node)

    for path in sorted(LANGUAGES_DIR.glob("*.yaml")):
        walk(load_data(path))
    return found


def test_lexicon_patterns_match_as_written() -> None:
    texts = _texts()[:16]
    short = "\n".join(texts)[:4_000]
    rewritten = 0
    for source in _lexicon_patterns():
        plain = re.compile(_tolerant(source), re.IGNORECASE)
        fast = lexicon_compile(source)
        if fast.pattern == plain.pattern:
            continue
        rewritten += 1
        assert fast.groupindex == plain.groupindex and fast.groups == plain.groups, source
        for text in texts:
            expected = [(m.span(), m.groupdict()) for m in plain.finditer(text)]
            assert [(m.span(), m.groupdict()) for m in fast.finditer(text)] == expected, source
        for i in range(len(short)):
            a, b = plain.match(short, i), fast.match(short, i)
            assert (a and a.span()) == (b and b.span()), (source, short[i : i + 30])
    assert rewritten > 50


def test_patterns_not_read_are_left_alone() -> None:
    for pattern in (r"(?i)ab|ac", r"(?>ab|ac)", r"(a)(?(1)b|c)", r"(?#note)ab|ac", "(ab|ac"):
        assert grouped_pattern(pattern) == pattern
    assert grouped_pattern(r"(?<![\w])(?:ab|ac)(?<=b|c)") == r"(?<![\w])(?:a(?:b|c))(?<=b|c)"
    assert grouped_pattern(r"(?P<k>don|dons?)|x") == r"(?P<k>d(?:on|ons?))|x"


def test_language_files_read_the_same_with_the_fast_yaml_parser() -> None:
    import yaml

    from coopkg.extract.lexicon import _Loader

    class PlainLoader(yaml.SafeLoader):
        pass

    PlainLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    for path in sorted(LANGUAGES_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=_Loader) == yaml.load(text, Loader=PlainLoader), path.name
    assert load_data(LANGUAGES_DIR / "en.yaml")["fundings"]  # and the file is not empty
    assert yaml.load("no: on", Loader=_Loader) == {"no": "on"}


def test_a_sentence_the_prefilter_skips_has_no_match() -> None:
    paragraphs = [p for text in _texts()[:16] for p in text.split("\n") if p.strip()][:80]
    skipped = kept = 0
    for source in _lexicon_patterns():
        compiled = lexicon_compile(source)
        if not prefilter.needles(compiled):
            continue
        for paragraph in paragraphs:
            if next(prefilter.finditer(compiled, paragraph), None) is None:
                assert compiled.search(paragraph) is None, (source, paragraph)
                skipped += 1
            else:
                kept += 1
    assert skipped > 10 * kept  # and it does skip most scans


def test_the_prefilter_folds_as_the_engine_compares() -> None:
    # The engine matches "s" with "ſ" and "i" with "İ" under IGNORECASE; Arabic takes marks and variants.
    for pattern, text in (("strasse", "ſtraſſe"), ("istanbul", "İSTANBUL"), ("financé", "FINANCÉ")):
        compiled = re.compile(pattern, re.IGNORECASE)
        assert compiled.search(text) and next(prefilter.finditer(compiled, text), None) is not None
    arabic = lexicon_compile("منحة")
    assert prefilter.needles(arabic) == (("منحه",),)
    for text in ("بمنحةٍ من", "منحه", "مـنـحـة"):
        assert arabic.search(text) and next(prefilter.finditer(arabic, text), None) is not None, text
    assert next(prefilter.finditer(arabic, "قرض"), None) is None
    assert prefilter.needles(re.compile(r"\b(?:co-?)?financ(?:é|e)e?s?\s+par", re.I)) == (("financ",), ("par",))
    assert prefilter.needles(re.compile(r"(?:loan|grant)s?|aid", re.I)) == ()  # "aid": too short to look for
