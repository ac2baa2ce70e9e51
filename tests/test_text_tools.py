"""The language tools of the pipeline: normalisation, clitics, numbers, money, dates, reading files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from coopkg.errors import DocumentError, TooLargeError
from coopkg.extract.dates import find_dates, find_durations, months_between
from coopkg.extract.numbers import find_quantities, parse_figure, qualifier_before
from coopkg.extract.reader import read_bytes, read_path
from coopkg.extract.text import arabic_cores, detect_language, fold, key_form, paragraphs, sentences


@pytest.mark.parametrize(
    ("surface", "core"),
    [
        ("والاتحاد", "اتحاد"),
        ("للاتحاد", "اتحاد"),
        ("بالرباط", "رباط"),
        ("لمكتب", "مكتب"),
        ("فالمنظمة", "منظمه"),
        ("وبتمويل", "تمويل"),
    ],
)
def test_arabic_clitics_are_stripped(surface: str, core: str) -> None:
    assert core in arabic_cores(fold(surface))


def test_arabic_letter_variants_fold_without_hamza_damage() -> None:
    assert fold("الأوروبي") == fold("الاوروبي") == "الاوروبي"
    assert fold("مؤسسة") == "موسسه"
    assert key_form("الأوروبي") == "اوروبي"
    assert fold("Développement") == "developpement"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Le projet est financé par l'Union européenne dans la région.", "fr"),
        ("The project is funded by the European Union in the region of Fès.", "en"),
        ("تم تمويل المشروع من طرف الاتحاد الأوروبي OFPPT KOICA", "ar"),
        ("El proyecto está financiado por la Unión Europea y los socios del programa.", "es"),
        ("1234 5678 ---", "und"),
    ],
)
def test_language_detection(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize(
    ("text", "count"),
    [
        # en_japan_kusanone_grants_cambodia (batch-11): a month's abbreviation before the day.
        ("The grant contracts will be signed in Phnom Penh on Dec. 18, pointed out the embassy’s press release.", 1),
        ("Signé le 3 janv. 2020 à Dakar. Le projet démarre.", 2),
        ("They met in Dec. The project starts in May.", 2),  # before a capital, the month ends the sentence
    ],
)
def test_a_month_abbreviation_before_a_day_ends_no_sentence(text: str, count: int) -> None:
    assert len(sentences(text, paragraphs(text))) == count


def test_boilerplate_after_a_related_articles_heading() -> None:
    text = "Le projet avance.\n\nArticles qui pourraient vous intéresser\n\nTourisme : record à Tanger"
    paras = paragraphs(text)
    assert [p.boilerplate for p in paras] == [False, True, True]
    assert all(s.boilerplate for s in sentences(text, paras)[1:])


@pytest.mark.parametrize(
    ("raw", "language", "value"),
    [("880 490.79", "fr", "880490.79"), ("12,5", "fr", "12.5"), ("1,200", "en", "1200"), ("4.560", "fr", "4560"),
     ("3.2", "en", "3.2"), ("1.234.567,89", "fr", "1234567.89"), ("٤٥٦٠", "ar", "4560")],
)  # fmt: skip
def test_figures(raw: str, language: str, value: str) -> None:
    assert parse_figure(raw, language) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "language", "value", "currency"),
    [
        ("à hauteur de 880 490.79 euros, soit", "fr", "880490.79", "EUR"),
        ("un prêt de 120 millions d'euros", "fr", "120000000", "EUR"),
        ("une enveloppe de 12,5 MDH", "fr", "12500000", "MAD"),
        ("2,5 milliards de dirhams", "fr", "2500000000", "MAD"),
        ("a $450 million compact", "en", "450000000", "USD"),
        ("USD 3.2 million", "en", "3200000", "USD"),
        ("€120 million", "en", "120000000", "EUR"),
        ("بقيمة خمسة ملايين درهم", "ar", "5000000", "MAD"),
        ("بمبلغ 10 مليون دولار", "ar", "10000000", "USD"),
        ("un don de deux millions de dirhams", "fr", "2000000", "MAD"),
        ("1,5 milliard de yens", "fr", "1500000000", "JPY"),
        ("CHF 4 millions", "fr", "4000000", "CHF"),
        # batch-12, as the articles write them
        ("أعلنت اليابان تخصيص منحة قدرها مليون و173 ألف دولار أمريكي", "ar", "1173000", "USD"),
        ("منح البنك الدولي قرضا لتونس قيمته نصف مليار دولار", "ar", "500000000", "USD"),
        ("has announced USD50 million to support Kenya's response", "en", "50000000", "USD"),
        ("half a billion dollars", "en", "500000000", "USD"),
        ("un demi-milliard d'euros", "fr", "500000000", "EUR"),
        ("بقيمة 5 مليون و300 ألف دولار", "ar", "5300000", "USD"),
        ("منحة بمبلغ 90 مليون يوان من حكومة الصين للسودان", "ar", "90000000", "CNY"),  # ar_sin_minha_mashruat_sudan
        # batch-16 and -17: a tatweel, the AfDB's unit of account, the units after the thousands
        ("منحة بـ40 مليون دولار", "ar", "40000000", "USD"),
        ("amounting to UA 25.61 million for", "en", "25610000", "XUA"),
        ("3.380.000 UC (unités de compte) du Fonds", "fr", "3380000", "XUA"),
        ("deux milliards 549 millions 300 mille 780 francs CFA", "fr", "2549300780", "XOF"),
        ("India has committed NRs 77.35 million for construction", "en", "77350000", "NPR"),
    ],
)
def test_money(text: str, language: str, value: str, currency: str) -> None:
    money = [q for q in find_quantities(text, language) if q.is_money]
    assert len(money) == 1
    assert money[0].value == Decimal(value)
    assert money[0].currency == currency


def test_a_figure_inside_a_word_is_no_number() -> None:
    assert [q.value for q in find_quantities("COVID19, A320, ISO9001 et 7 centres", "fr")] == [Decimal(7)]


def test_counts_in_words_and_figures() -> None:
    found = find_quantities("deux visites d'études, vingt-cinq experts et 4 560 places", "fr")
    assert [int(q.value) for q in found] == [2, 25, 4560]


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [("plus de 550", "more-than"), ("près de 1 200", "approximately"), ("ما يقارب 50", "approximately"),
     ("تصل إلى 4560", "up-to"), ("at least 30", "at-least"), ("أكثر من 300", "more-than"), ("moins de 10", "less-than")],
)  # fmt: skip
def test_qualifiers(text: str, qualifier: str) -> None:
    number_at = next(i for i, c in enumerate(text) if c.isdigit())
    assert qualifier_before(text, number_at)[0] == qualifier


@pytest.mark.parametrize(
    ("text", "begin", "until"),
    [
        ("du 1er au 07 octobre 2023 à Bamako", "2023-10-01", "2023-10-07"),
        ("du 3 au 5 mars 2022", "2022-03-03", "2022-03-05"),
        ("sur une durée de 19 mois (2012 – 2014)", "2012", "2014"),
        ("للفترة الممتدة ما بين 2024 و2028", "2024", "2028"),
        ("entre 2019 et 2023", "2019", "2023"),
        ("خلال الفترة 2021-2025", "2021", "2025"),
        ("from March 3 to 5, 2022", "2022-03-03", "2022-03-05"),
        ("between 2019 and 2023", "2019", "2023"),
    ],
)
def test_date_ranges(text: str, begin: str, until: str) -> None:
    ranges = [d for d in find_dates(text) if d.kind == "range"]
    assert [(d.begin, d.until) for d in ranges] == [(begin, until)]


@pytest.mark.parametrize(
    ("text", "value"),
    [("depuis son lancement en août 2017", "2017-08"), ("le 17 février 2021", "2021-02-17"),
     ("يومه الأربعاء 08 ماي 2024", "2024-05-08"), ("في 15 يوليوز 2019", "2019-07-15"), ("خلال شهر غشت 2020", "2020-08"),
     ("في شتنبر 2018", "2018-09"), ("on 3 March 2022", "2022-03-03"), ("in January 2020", "2020-01"), ("سنة 2008", "2008")],
)  # fmt: skip
def test_dates(text: str, value: str) -> None:
    dates = [d for d in find_dates(text) if d.kind == "date"]
    assert [d.begin for d in dates] == [value]


def test_durations_and_month_counts() -> None:
    assert [d.months for d in find_durations("ces 46 mois de mise en œuvre")] == [46]
    assert [d.months for d in find_durations("for three years")] == [36]
    assert [d.months for d in find_durations("لمدة 18 شهرا")] == [18]
    assert months_between("2012-01", "2013-07") == 19


def test_a_day_without_year_is_not_a_count() -> None:
    assert [d.kind for d in find_dates("un séminaire le 16 avril")] == ["partial"]


def test_reader_bad_inputs(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"   \n")
    with pytest.raises(DocumentError, match="empty"):
        read_path(empty, 1000)
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    with pytest.raises(DocumentError, match="binary"):
        read_path(binary, 10_000)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2000)
    with pytest.raises(TooLargeError):
        read_path(big, 1000)
    odd = tmp_path / "x.pdf"
    odd.write_bytes(b"%PDF")
    with pytest.raises(DocumentError, match="unsupported"):
        read_path(odd, 1000)
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes(range(128, 256)) * 4)
    with pytest.raises(DocumentError):
        read_path(garbage, 10_000)


def test_reader_legacy_encodings_and_bom() -> None:
    assert read_bytes("financé par l'État".encode("cp1252")).text == "financé par l'État"
    assert read_bytes("بتمويل من الاتحاد الأوروبي".encode("cp1256")).text == "بتمويل من الاتحاد الأوروبي"
    assert read_bytes("\ufeffBonjour".encode("utf-8")).text == "Bonjour"
    assert read_bytes("Bonjour le monde".encode("utf-16")).text == "Bonjour le monde"


def test_html_is_reduced_to_the_article() -> None:
    html = (
        "<html><head><title>Site</title><script>var x = 1;</script></head><body><nav>Accueil | Économie</nav>"
        "<article><h1>Un don de la JICA</h1><p>La JICA finance le projet.</p></article><footer>© 2024</footer></body></html>"
    )
    source = read_bytes(html.encode(), is_html=True)
    assert source.title == "Un don de la JICA"
    assert "La JICA finance le projet." in source.text
    assert "Accueil" not in source.text and "var x" not in source.text and "©" not in source.text
