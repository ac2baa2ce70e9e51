"""Funding events read from real published articles (eval/real and the shared development set): each
language's phrasings, as the press writes them. The sentences are quoted word for word."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from coopkg.extract.pipeline import Extractor
from coopkg.iris import IriMinter

BASE = "http://coopkg.test/"
REAL = Path(__file__).parents[1] / "eval/real"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.from_reference(IriMinter(BASE))


def read_article(extractor: Extractor, batch: str, stem: str) -> tuple[dict[str, Any], dict[str, str]]:
    """One real article's extraction, and the label of every entity it names."""
    found: dict[str, Any] = extractor.extract_path(REAL / batch / "docs" / f"{stem}.txt").to_json()
    return found, {e["id"]: e["label"] for kind in ("organisations", "projects", "regions") for e in found[kind]}


def fundings(extractor: Extractor, text: str) -> set[tuple[str, str, float | None, str | None]]:
    found: dict[str, Any] = extractor.extract_text(text, source="t.txt", doc_id="t").to_json()
    labels = {e["id"]: e["label"] for kind in ("organisations", "projects", "regions") for e in found[kind]}
    return {(labels[f["funder"]], labels[f["funded"]], f["amount"], f["currency"]) for f in found["fundings"]}


CASES = [
    pytest.param(  # a loan approved "en faveur du" a state, then "Ce financement soutiendra le Projet …"
        "La Banque africaine de développement (BAD) a annoncé le 5 août l’approbation d’un prêt de 39,2 millions de "
        "dollars (environ 23,83 milliards FCFA) en faveur du Burkina Faso. Ce financement soutiendra le Projet "
        "multisectoriel d’appui au développement des compétences pour la résilience, une initiative cruciale.",
        {
            (
                "Banque africaine de développement",
                "Projet multisectoriel d'appui au développement des compétences pour la résilience",
                39_200_000.0,
                "USD",
            )
        },
        id="fr-refers-back",
    ),
    pytest.param(  # the funder after the figure ("de la FAT"), the rest "provient du" another window
        "Ce financement soutiendra le Projet multisectoriel d’appui au développement des compétences pour la "
        "résilience.\nCe projet bénéficie d’un financement de 26 millions de dollars de la Facilité d’appui à la "
        "transition (FAT) de la BAD. Le reste, soit 13,2 millions de dollars, provient du Fonds africain de "
        "développement (FAD).",
        {
            (
                "Facilité d'appui à la transition",
                "Projet multisectoriel d'appui au développement des compétences pour la résilience",
                26_000_000.0,
                "USD",
            ),
            (
                "Fonds africain de développement",
                "Projet multisectoriel d'appui au développement des compétences pour la résilience",
                13_200_000.0,
                "USD",
            ),
        },
        id="fr-genitive-and-source",
    ),
    pytest.param(
        "La Banque mondiale a octroyé 25 milliards de F Cfa à la Côte d'Ivoire pour financer le Projet création "
        "d’emplois jeunes et développement des compétences.",
        {("Banque mondiale", "Projet création d'emplois jeunes et développement des compétences", 25e9, "XOF")},
        id="fr-octroyer-pour-financer",
    ),
    pytest.param(  # a loan agreement between a state and a bank: the bank funds, the state receives
        "Deux accords de prêt de 46 milliards FCFA ont été conclus entre la Côte d’Ivoire et la Banque Ouest "
        "Africaine de Développement (BOAD).",
        {("Banque Ouest Africaine de Développement", "Côte d'Ivoire", 46e9, "XOF")},
        id="fr-loan-agreement-between",
    ),
    pytest.param(  # verb-subject order, a financing agreement signed by both parties, the purpose a sentence later
        "وقعت موريتانيا والبنك الإسلامي للتنمية اتفاقية تمويل بقيمة 36 مليون يورو، على هامش الاجتماعات السنوية "
        "لمجموعة البنك المنعقدة في الجزائر.\nيهدف هذا التمويل إلى دعم مشروع تطوير التكوين المهني وتشغيل الشباب في "
        "إطار الاستراتيجية الوطنية للتكوين المهني 2023-2030.",
        {("البنك الإسلامي للتنمية", "مشروع تطوير التكوين المهني وتشغيل الشباب", 36_000_000.0, "EUR")},
        id="ar-agreement-and-purpose",
    ),
    pytest.param(  # a package "لتونس" with its dollar restatement in brackets
        "قال الاتحاد الأوروبي يوم الأربعاء إنه وافق على حزمة مساعدات مالية بقيمة 305 ملايين يورو (347 مليون دولار) "
        "لتونس من أجل مساعدة الشباب في العثور على فرص عمل وتعزيز التنمية المحلية.",
        {("الاتحاد الأوروبي", "تونس", 305_000_000.0, "EUR")},
        id="ar-package-to-state",
    ),
    pytest.param(  # a headline: a state signs, another state is the funder of the grant
        "Rwanda, South Korea sign Rwf 8.7 billion grant to strengthen TVET",
        {("South Korea", "Rwanda", 8.7e9, "RWF")},
        id="en-headline-signing-states",
    ),
    pytest.param(  # the funder is a state; what is funded is the owner's fund
        "Norway will contribute NOK 450 million to the World Bank’s multi-donor fund for Somalia over the next "
        "three years",
        {("Norway", "Multi-donor fund for Somalia", 450_000_000.0, "NOK")},
        id="en-possessed-fund",
    ),
    pytest.param(
        "The Youth Inclusion Project received a USD 3.2 million grant from the World Bank in 2021.",
        {("World Bank", "Youth Inclusion Project", 3_200_000.0, "USD")},
        id="en-received-grant-from",
    ),
]


CASES += [
    pytest.param(  # fr_banquemondiale_apprentissage_djibouti (batch-05): a sum and its parts, the parts
        # without a currency word, each with its own funder after its money noun
        "Le Projet pour l’élargissement des possibilités d’apprentissage qui sera mis en œuvre par le ministère de "
        "l’éducation nationale est financé conjointement par la Banque mondiale à hauteur de 15 millions de dollars, "
        "dont 10 millions de crédit concessionnel de l’IDA et 5 millions de don provenant du guichet pour les "
        "réfugiés et leurs communautés d’accueil de l’IDA, 9,3 millions de cofinancement du Partenariat mondial "
        "pour l’éducation.",
        {
            ("Banque mondiale", "Projet pour l'élargissement des possibilités d'apprentissage", 15e6, "USD"),
            (
                "Association internationale de développement",
                "Projet pour l'élargissement des possibilités d'apprentissage",
                10e6,
                "USD",
            ),
            ("Banque mondiale", "Projet pour l'élargissement des possibilités d'apprentissage", 5e6, "USD"),
            (
                "Partenariat mondial pour l'éducation",
                "Projet pour l'élargissement des possibilités d'apprentissage",
                9.3e6,
                "USD",
            ),
        },
        id="fr-parts-of-a-sum",
    ),
    pytest.param(  # ar_kuwait_fund_madaris_iraq (batch-01), a headline: "دينار" alone is the funder's dinar,
        # the attached ل names the recipient state
        "الصندوق الكويتي للتنمية يقدم قرضاً قيمته 23.5 مليون دينار للعراق",
        {("الصندوق الكويتي للتنمية الاقتصادية العربية", "العراق", 23.5e6, "KWD")},
        id="ar-headline-dinar-to-state",
    ),
    pytest.param(  # ar_sfd_minah_mashari_jibuti (batch-04): grants listed with their figures and purposes,
        # "لجمهورية جيبوتي" the recipient, not the funder
        "وبموجب مذكرات التفاهم التي تم توقيعها الأحد، يخصص الصندوق السعودي للتنمية لجمهورية جيبوتي منحة مقدارها 12 "
        "مليون ريال للمساهمة في تمويل مشروع بناء وتجهيز المحكمة العليا في جيبوتي، ومنحة مقدارها 7.5 مليون ريال "
        "للمساهمة في تمويل مشروع دعم مؤسسة إسماعيل عمر جيله الخيرية.",
        {
            ("الصندوق السعودي للتنمية", "مشروع بناء وتجهيز المحكمة العليا", 12e6, "SAR"),
            ("الصندوق السعودي للتنمية", "مشروع دعم مؤسسة إسماعيل عمر جيله الخيرية", 7.5e6, "SAR"),
        },
        id="ar-listed-grants",
    ),
    pytest.param(  # en_canada_akfc_aswan_skills (shared dev): a government by its name, a lower-case
        # described programme, the funder right before its figure
        "January 14, 2015 – Foreign Affairs Minister John Baird announced a new partnership between the Government "
        "of Canada and Aga Khan Foundation Canada to roll out a skills development program for youth in Aswan, "
        "Egypt.\nThe Government of Canada is providing $10.6 million.",
        {("Canada", "Skills development program for youth in Aswan", 10.6e6, "CAD")},  # the funder's dollars
        id="en-government-providing",
    ),
    pytest.param(  # en_kfw_grant_health_social_protection_malawi (batch-04): a name in translation before a
        # known acronym, the funder's counterpart the recipient, then a later sentence that splits the sum
        "The German Development Bank (KfW) on Tuesday signed an agreement with the Malawi government to provide a "
        "€54 million (about K45 billion) grant for financing of four projects being supported by the German "
        "government.\nOf the €54 million, €18 million has been channelled to the Malawi-Zambia Trans Frontier "
        "Conservation Area, €17 million has gone to the Social Cash Transfer programme the Health Service Joint "
        "fund has received €10 million and the Nutrition programme has received €9 million.",
        {
            ("KfW Development Bank", "Malawi", 54e6, "EUR"),
            ("KfW Development Bank", "Social Cash Transfer programme", 17e6, "EUR"),
            ("KfW Development Bank", "Nutrition programme", 9e6, "EUR"),
        },
        id="en-sum-split-in-a-later-sentence",
    ),
    pytest.param(  # fr_fonds_qatari_pacetem_mali (batch-05): the state, then its fund, sign the same sum; a
        # project's name with its long form in brackets; "22, 32 milliards" restates the sum
        "Le Mali et le Qatar ont procédé à la signature d’un accord de financement d’un montant de 40 millions USD "
        "(soit environ 22, 32 milliards de FCFA).\nLe Ministre de l’Economie et des Finances M. Alousséni SANOU et "
        "le Directeur Général du Fonds Qatari pour le Développement Son excellence M. Khalifa Al-Kuwari ont procédé "
        "à la signature d’un accord de financement d’un montant de 40 millions USD, au titre du Projet PACETEM "
        "(Programme pour l’Éducation des Enfants hors Écoles).",
        {("Fonds du Qatar pour le développement", "Programme pour l'Éducation des Enfants hors Écoles", 40e6, "USD")},
        id="fr-state-and-its-fund",
    ),
    pytest.param(  # ar_ue_unicef_shabab_libya (batch-05): a partnership agreement with a value between a donor
        # and a United Nations agency; later, aid "إلى ليبيا" written before its figure
        "وقع الاتحاد الأوروبي ومنظمة الأمم المتحدة للطفولة «يونيسيف» اتفاق شراكة لدعم الشباب الليبي في مشاريع تنموية "
        "وبرامج تعليمية وثقافية بقيمة إجمالية تزيد على 3.6 ملايين يورو.\nيشار إلى أن الاتحاد الأوروبي كان قد أعلن في "
        "يونيو الماضي، عن عزمه تقديم مساعدات مالية إلى ليبيا بأكثر من 6 ملايين يورو، تهدف إلى دعم جهود الاستقرار في "
        "البلاد.",
        {
            ("الاتحاد الأوروبي", "منظمة الأمم المتحدة للطفولة", 3.6e6, "EUR"),
            ("الاتحاد الأوروبي", "ليبيا", 6e6, "EUR"),
        },
        id="ar-partnership-agreement-with-a-value",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_funding_events_from_real_articles(extractor: Extractor, text: str, expected: set) -> None:
    assert fundings(extractor, text) == expected


def test_amounts_in_words_with_scales_inside(extractor: Extractor) -> None:
    # ar_kuwait_fund_madaris_iraq: the body writes the title's 23.5 million in words.
    found = fundings(extractor, "وقال «الكويتي للتنمية» أن الاتفاقية تنص على تقديم الصندوق الكويتي للتنمية "
                                "الاقتصادية العربية قرضاً مقداره ثلاثة وعشرون مليون وخمسمائة ألف دينار كويتي، "
                                "(أي ما يعادل حوالي 80 مليون دولار أمريكي)، للإسهام في تمويل مشروع إنشاء وتجهيز "
                                "مدارس في جمهورية العراق.")  # fmt: skip
    assert found == {("الصندوق الكويتي للتنمية الاقتصادية العربية", "مشروع إنشاء وتجهيز مدارس", 23_500_000.0, "KWD")}


def test_a_country_that_acts_is_also_an_organisation(extractor: Extractor) -> None:
    # ar_kfw_taalim_filastin (batch-02): partners listed after "بالشراكة مع" act; a place named in passing does not.
    found = extractor.extract_text("وذكر البيان أن الاتفاقية بقيمة 25 مليون يورو مقدمة من ألمانيا بالشراكة مع أيرلندا "
                                   "وفنلندا والنرويج لدعم قطاع التعليم في فلسطين.", source="t.txt", doc_id="t").to_json()  # fmt: skip
    organisations = {o["id"].rsplit("/", 1)[-1] for o in found["organisations"]}
    assert {"government-ie", "government-fi", "government-no"} <= organisations
    assert {"IE", "FI", "NO"} <= {r["id"].rsplit("/", 1)[-1] for r in found["regions"]}
    # "في فلسطين": where the money goes, so the country receives it (the conventions' "with no project, the
    # recipient country"); it is no partner.
    assert {(f["funder"].rsplit("/", 1)[-1], f["funded"].rsplit("/", 1)[-1]) for f in found["fundings"]} == {
        ("government-de", "government-ps")
    }


def test_initials_do_not_end_a_sentence(extractor: Extractor) -> None:
    found = extractor.extract_text("The U.S. Agency for International Development (USAID) funds the program.",
                                   source="t.txt", doc_id="t").to_json()  # fmt: skip
    assert [o["id"].rsplit("/", 1)[-1] for o in found["organisations"]] == ["usaid"]


def test_a_place_named_by_a_common_word_needs_its_country(extractor: Extractor) -> None:
    text = "Le projet couvre les régions du Nord et du Centre-Ouest."
    without = extractor.extract_text(text, source="t.txt", doc_id="t").to_json()
    with_country = extractor.extract_text(text + " Le Burkina Faso en bénéficie.", source="t.txt", doc_id="t").to_json()
    assert not {r["label"] for r in without["regions"]} & {"Nord", "Centre-Ouest"}
    assert {"Nord", "Centre-Ouest"} <= {r["label"] for r in with_country["regions"]}


def test_a_decimal_comma_followed_by_a_space(extractor: Extractor) -> None:
    # fr_afd_formation_professionnelle_senegal (batch-01): "2, 623 milliards" is 2.623 billion.
    from coopkg.extract.numbers import find_quantities

    found = find_quantities("dont 5,247 milliards de francs Cfa et 2, 623 milliards de francs Cfa", "fr")
    assert [q.value for q in found] == [Decimal("5.247e9"), Decimal("2.623e9")]
    assert [q.value for q in find_quantities("les régions 2, 3 et 4", "fr")] == [2, 3, 4]


def test_counted_projects_are_no_project(extractor: Extractor) -> None:
    found = extractor.extract_text("KfW will provide a €54 million grant for financing of four projects.",
                                   source="t.txt", doc_id="t").to_json()  # fmt: skip
    assert found["projects"] == []


def test_rand_sign_and_hyphenated_scales(extractor: Extractor) -> None:
    # en_kfw_tvet_lecturer_centre_southafrica (batch-07): "€8.25-million", "R35-billion"; "KfW Development Bank
    # and South Africa's department" is two parties.
    from coopkg.extract.numbers import find_quantities

    assert [(q.value, q.currency) for q in find_quantities("a grant worth €8.25-million", "en")] == [
        (Decimal("8.25e6"), "EUR")
    ]
    assert [(q.value, q.currency) for q in find_quantities("approximately R35-billion in aid", "en")] == [
        (Decimal("35e9"), "ZAR")
    ]
    assert find_quantities("the R&D unit", "en") == ()
    found = fundings(extractor, "Germany’s KfW Development Bank and South Africa's department of higher education "
                                "and training have signed an agreement.\nGermany has contributed approximately "
                                "R35-billion in official development assistance to South Africa since 1993.")  # fmt: skip
    assert found == {("Germany", "South Africa", 35e9, "ZAR")}


def test_a_funders_own_projects_are_no_undertaking(extractor: Extractor) -> None:
    # fr_japon_ecole_changanine_mozambique (batch-09): "ses projets communautaires" is the funder's own work,
    # not what the money is for; the recipient country is.
    found = fundings(extractor, "Depuis l’année 2001, le Japon a dépensé plus de 2 millions de dollars US dans le "
                                "cadre de ses projets communautaires visant à financer 29 projets au Mozambique.")  # fmt: skip
    assert found == {("Japon", "Mozambique", 2e6, "USD")}


def test_an_arabic_supply_is_an_undertaking(extractor: Extractor) -> None:
    # ar_yaban_jamia_misriya_yabaniya (batch-09): "لتوريد أجهزة تعليمية" is what the grant is for.
    from coopkg.extract.lexicon import locale

    ar = locale("ar")
    assert ar.pattern("fundings", "purpose_markers").search("المنحة المقدمة من اليابان لتوريد أجهزة تعليمية")
    assert ar.pattern("projects", "undertakings").fullmatch("توريد")


def test_a_sum_in_two_scales_and_a_misspelt_scale() -> None:
    # fr_afd_defi_jeunes_cotedivoire and fr_japon_ecoles_bangui_centrafrique (batch-09).
    from coopkg.extract.numbers import find_quantities

    two = find_quantities("une convention de crédit de 86 milliards 127 millions de FCFA avec", "fr")
    assert [(q.value, q.currency) for q in two] == [(Decimal("86127000000"), "XOF")]
    assert [(q.value, q.currency) for q in find_quantities("un montant de 6,4 milions de dollars", "fr")] == [
        (Decimal("6.4e6"), "USD")
    ]
    apart = find_quantities("2 milliards FCFA et 5 millions de dollars", "fr")
    assert [q.value for q in apart] == [Decimal("2e9"), Decimal("5e6")]


def test_the_same_sum_to_two_countries_is_two_fundings(extractor: Extractor) -> None:
    # ar_bank_dawli_taalim_awwali_maghrib (batch-09): 500 million to Morocco, and a year before to Egypt.
    found = fundings(extractor, "كشف البنك الدولي، الأسبوع الماضي، قرضا بقيمة 500 مليون دولار موجها للمغرب بهدف دعم "
                                "التعليم الأولي.\nوكان البنك قد قام بخطوة مماثلة السنة الماضية، حين أعلن، في أبريل "
                                "2018، منح 500 مليون دولار لمصر لدعم إصلاحات قطاع التعليم.")  # fmt: skip
    assert found == {("البنك الدولي", "المغرب", 5e8, "USD"), ("البنك الدولي", "مصر", 5e8, "USD")}


def test_currency_words_as_written() -> None:
    # ar_ittihad_urubi_idmaj_shabab_tunis (batch-09) writes "أورو" with its hamza; French writes accents.
    from coopkg.extract.numbers import find_quantities

    assert [q.currency for q in find_quantities("بقيمة 60 مليون أورو وذلك", "ar")] == ["EUR"]
    assert [q.currency for q in find_quantities("10 millions de dollars américains", "fr")] == ["USD"]


def test_a_project_noun_inside_a_longer_english_name(extractor: Extractor) -> None:
    # en_worldbank_youth_employment_education_nigeria (batch-09): "Program" is a word of the name, and
    # "Operation" closes one as "Project" does.
    found = extractor.extract_text(
        "The $300 million Nigeria Youth Employment and Social Support Operation focuses on poor youth.\n"
        "The $150 million Nigeria State Education Program Investment Project will serve millions of children.",
        source="t.txt",
        doc_id="t",
    ).to_json()
    assert {p["label"] for p in found["projects"]} == {
        "Nigeria Youth Employment and Social Support Operation",
        "Nigeria State Education Program Investment Project",
    }


def test_des_projets_is_no_project(extractor: Extractor) -> None:
    # fr_ue_fonds_fiduciaire_emplois_guinee (batch-09): "exécuter des projets sur trois fronts" names none.
    text = (
        "La Commission Européenne a adopté ce mercredi, 13 programmes d’un montant total de 274,2 millions € (323,4 "
        "millions $) en vue de renforcer le développement économique au Sahel et dans le bassin du lac Tchad.\n"
        "Ce fonds fiduciaire servira à exécuter des projets sur trois fronts principaux."
    )
    found = extractor.extract_text(text, source="t.txt", doc_id="t").to_json()
    assert not [p for p in found["projects"] if "projets" in p["label"]]


def test_what_a_funder_finances_at_a_cost_in_the_funders_dirhams(extractor: Extractor) -> None:
    # ar_adfd_maahad_tadrib_mihani_ghinia (batch-04): the only figure is the project's cost, after the verb
    # "مول" (so it is the money given); "درهم" of an Abu Dhabi fund is the UAE dirham; "بحضور" ends the name.
    found = fundings(extractor, "مول صندوق أبوظبي للتنمية مشروع معهد التدريب المهني في إقليم بوك بغينيا بتكلفة "
                                "اجمالية تبلغ 5.5 مليون درهم (1.5 مليون دولار أمريكي) والذي يهدف إلى صقل إمكانيات "
                                "الشباب الغيني.")  # fmt: skip
    assert found == {("صندوق أبوظبي للتنمية", "مشروع معهد التدريب المهني", 5.5e6, "AED")}
    # ar_afd_takwin_sayarat_maghrib (batch-07): a French lender in Morocco, Moroccan dirhams.
    moroccan = fundings(extractor, "منحت الوكالة الفرنسية للتنمية قرضا بقيمة تفوق 220 مليون درهم (20 مليون أورو) "
                                   "للمغرب لتمويل مشروع إحداث مراكز للتكوين المهني في قطاع السيارات بالقنيطرة وطنجة.")  # fmt: skip
    assert {currency for *_, currency in moroccan} == {"MAD"}
    present = extractor.extract_text("وكان معالي إبراهيم كاسوري فوفانا رئيس وزراء غينيا، قد وضع مؤخراً حجر الأساس "
                                     "لمشروع معهد التدريب المهني بحضور سعادة أحمد ناصر الخاجه، سفير دولة الإمارات.",
                                     source="t.txt", doc_id="t").to_json()  # fmt: skip
    assert [p["label"] for p in present["projects"]] == ["مشروع معهد التدريب المهني"]


def test_what_a_financing_verb_or_noun_takes_as_object(extractor: Extractor) -> None:
    # fr_badea_kfaed_bid_lycees_techniques_cotedivoire (batch-08): each lender's figure and the construction it
    # finances, named as the verb's object ("financera la construction", "de financer la construction") or the
    # noun's ("le financement de la construction").
    found = fundings(extractor, (
        "Le document précise que la Banque arabe de développement économique en Afrique (BADEA) financera la "
        "construction des lycées techniques et professionnels de San-Pedro et d’Aboisso pour un montant de 30 "
        "millions de dollars.\nLe Fonds koweïtien pour le développement économique arabe (KFAED), avec une enveloppe "
        "de 20 millions $, se chargera, pour sa part, de financer la construction du lycée technique de Daloa et "
        "d’un centre de formation professionnelle.\nEnfin, la Banque islamique de développement (BID) pourrait "
        "débloquer une enveloppe de 30 millions de dollars le financement de la construction de centres de "
        "formation professionnelle en Côte d’Ivoire."))  # fmt: skip
    assert {(funder, " ".join(funded.split()[:4]), amount) for funder, funded, amount, _ in found} == {
        ("Banque arabe pour le développement économique en Afrique", "Construction des lycées techniques", 3e7),
        ("Fonds koweïtien pour le développement économique arabe", "Construction du lycée technique", 2e7),
        ("Banque islamique de développement", "Construction de centres de", 3e7),
    }


def test_a_project_named_by_a_part_of_its_name_and_comorian_francs(extractor: Extractor) -> None:
    # fr_ue_msomo_na_hazi_comores (batch-04): "projet Msomo na Hazi" (read "Msomo") is the project named in full
    # « formation et insertion professionnelle- Msomo na Hazi »; "kmf" and "francs comoriens" are KMF.
    text = (
        "Le gouvernement comorien reçoit un financement de l’Union Européenne d’un montant de quatre milliards cinq "
        "cent mille francs comoriens pour adapter les jeunes comoriens à la formation et l’insertion "
        "professionnelle.\nLa première réunion du comité de pilotage du projet « formation et insertion "
        "professionnelle- Msomo na Hazi » s’est tenue, hier. C’est un projet (de 6 à 8 ans), financé par le 11e "
        "FED/Union Européenne à un montant de 4 000 500 000 kmf. « Le travail qui nous réunit aujourd’hui consiste à "
        "examiner et approuver le devis programme du projet Msomo na Hazi », a-t-il expliqué."
    )
    found = extractor.extract_text(text, source="t.txt", doc_id="t").to_json()
    assert [p["label"] for p in found["projects"]] == ["Formation et insertion professionnelle- Msomo na Hazi"]
    assert fundings(extractor, text) == {
        ("Union européenne", "Formation et insertion professionnelle- Msomo na Hazi", 4_000_500_000.0, "KMF")
    }


def test_the_funder_right_after_an_opening_arabic_verb(extractor: Extractor) -> None:
    # ar_badea_qurud_togo_mozambique_mali (batch-02): another bank is named between the subject and the loans.
    found = fundings(extractor, "وقع المصرف العربي للتنمية الاقتصادية في أفريقيا، يوم 18 من شهر مايو الجاري، على هامش "
                                "اجتماعات مجموعة البنك الإسلامي للتنمية بجاكرتا باندونيسيا الأسبوع المنصرم، على ثلاث "
                                "اتفاقيات قروض لصـالح كل من جمهوريات توجو، وموزمبيق، ومالي، بقيمة اجمالية بلغت 29 مليون "
                                "دولار.\nفقد نالت الجمهورية التوجولية قرضاً بلغت قيمته 9 ملايين دولار ؛ وذلك لتمويل "
                                "مشروع التنميـــة الريفيــــة بحوض \"أوتي\".")  # fmt: skip
    assert {funder for funder, *_ in found} == {"المصرف العربي للتنمية الاقتصادية في إفريقيا"}


def test_a_pronoun_subject_is_the_funder_of_the_sentence_before(extractor: Extractor) -> None:
    # en_afdb_jobs_sierraleone (batch-01).
    found = fundings(extractor, "In Sierra Leone, the African Development Fund, the concessional window of the African "
                                "Development Bank (AfDB), supports youth employment. It has approved a $19.95 million "
                                "grant for an initiative to create livelihoods for Sierra Leonean women as well as "
                                "young people.")  # fmt: skip
    assert {(funder, amount) for funder, _, amount, _ in found} == {("African Development Fund", 19_950_000.0)}


def test_an_agreement_signed_with_a_funder_and_a_long_undertaking(extractor: Extractor) -> None:
    # fr_fsd_ofid_lycees_techniques_benin (batch-04): the only party named is the one signed with; the
    # undertaking runs over two coordinated constructions.
    found = fundings(extractor, "Le deuxième accord de prêt, signé avec le Fonds Saoudien pour le Développement, est "
                                "d’une valeur de 40 millions de Dollars US, soit plus de 22 milliards de Francs CFA. Ces "
                                "fonds sont destinés à la construction d’une École Normale Supérieure pour la formation "
                                "des instituteurs à Parakou et d’un Lycée Scientifique à Porto-Novo.")  # fmt: skip
    assert found == {("Fonds saoudien pour le développement", "Construction d'une École Normale Supérieure pour la "
                      "formation des instituteurs à Parakou et d'un Lycée Scientifique à Porto-Novo", 4e7, "USD")}  # fmt: skip


def test_the_money_named_again_five_sentences_later(extractor: Extractor) -> None:
    # fr_banquemondiale_competences_gabon (batch-10): the headline's loan, and what it is for after the background.
    found = fundings(extractor, (
        "Emploi des jeunes : la Banque mondiale prête 100 millions de dollars au Gabon\n"
        "Ce financement approuvé mi-février vise à développer les compétences des jeunes, à travers la formation "
        "professionnelle et les programmes d’entrepreneuriat, et à lutter contre le chômage qui frappe 35,7 % des "
        "jeunes de 15 à 24 ans.\nLe conseil d’administration de la Banque mondiale a autorisé le 10 février l’octroi "
        "de 100 millions de dollars au Gabon, pour aider le pays d’Afrique centrale à développer les compétences des "
        "jeunes et créer des emplois.\nLe taux de chômage au Gabon s’élevait à 19,6 % en 2013, selon la Banque "
        "mondiale. Les dernières estimations situent à 35,7 % celui frappant les jeunes de 15 à 24 ans.\n"
        "Développer « l’employabilité »\nLe prêt de la Banque mondiale vise à appuyer le projet d’appui au "
        "développement des compétences pour l’employabilité.\nLe 14 janvier dernier, l’institution de Bretton Woods "
        "avait déjà approuvé 100 millions de dollars pour financer la seconde phase du projet d’infrastructures et de "
        "développement local du Gabon."))  # fmt: skip
    assert (
        "Banque mondiale",
        "Projet d'appui au développement des compétences pour l'employabilité",
        1e8,
        "USD",
    ) in found


def test_an_english_quoted_name_before_its_project_noun(extractor: Extractor) -> None:
    # en_ida_gpe_school_covid_bangladesh (batch-10).
    found = fundings(extractor, "A grant agreement has been signed on Monday between the government of Bangladesh and "
                                "International Development Association (IDA) of the World Bank Group for an amount of "
                                "14.8 million US dollar from COVID-19 Accelerated Funding Window of Global Partnership "
                                "for Education (GPE) at Economic Relations Division (ERD) in the capital, reports BSS.\n"
                                "“Bangladesh COVID- 19 school Sector Response” project will be jointly implemented by "
                                "Ministry of Primary and Mass Education (MoPME).")  # fmt: skip
    assert found == {("International Development Association", "Bangladesh COVID- 19 school Sector Response",
                      14_800_000.0, "USD")}  # fmt: skip


def test_the_state_an_agreement_of_that_figure_is_with_receives(extractor: Extractor) -> None:
    # fr_badea_universite_ouaga2_burkina (batch-10): two agreements in one sentence, each with its state.
    found = fundings(extractor, "En marge des réunions de la Banque mondiale et du Fonds monétaire international, "
                                "tenues à Lima (Pérou) du 9 au 11 octobre dernier, la BADEA a signé également un accord "
                                "de la Ligne de Crédit de 5 millions de dollars avec le Benin et un accord de prêt de 15 "
                                "millions de dollars avec l’Ouganda.")  # fmt: skip
    assert {(funded, amount) for _, funded, amount, _ in found} == {("Bénin", 5e6), ("Ouganda", 1.5e7)}


def test_the_state_a_verb_finances_at_a_figure(extractor: Extractor) -> None:
    # fr_bid_education_mauritanie (batch-10).
    found = fundings(extractor, "EN BREF | #Cridem – La Banque islamique de développement (BID) financera à hauteur de "
                                "50 millions de dollars la Mauritanie pour améliorer l’éducation, a-t-elle annoncé "
                                "mercredi 13 septembre dans un communiqué.")  # fmt: skip
    assert found == {("Banque islamique de développement", "Mauritanie", 5e7, "USD")}


def test_a_total_split_in_the_next_sentences_without_its_figure(extractor: Extractor) -> None:
    # en_japan_kusanone_grants_cambodia (batch-11): "Of the total amount, …", quoted titles, "Dec. 18" no sentence end.
    found = fundings(extractor, "The Government of Japan has agreed to provide a total of US$392,371 to support three "
                                "development projects in Cambodia’s Koh Kong, Kampong Chhnang, and Mondulkiri "
                                "provinces.\n\nThe grant contracts will be signed at the Embassy of Japan in Phnom Penh "
                                "on Dec. 18, pointed out the embassy’s press release AKP received this morning.\n\nOf "
                                "the total amount, US$196,350 will be used for “The Project for Road Improvement in "
                                "Andong Teuk Commune, Botum Sakor district, Koh Koh province; US$90,158 for “The "
                                "Project for Rehabilitating Roung Damrey Irrigation” in Kampong Chhnang province; and "
                                "the rest, US$105,863 for “The Project for Strengthening Agricultural Cooperatives in "
                                "Koh Nhek District and Sen Monorom City, Mondulkiri Province”.")  # fmt: skip
    parts = {(funded, amount) for _, funded, amount, _ in found if amount != 392_371}
    assert parts == {
        ("Project for Rehabilitating Roung Damrey Irrigation", 90_158),
        ("Project for Strengthening Agricultural Cooperatives in Koh Nhek District and Sen Monorom City, "
         "Mondulkiri Province", 105_863),
    }  # fmt: skip


def test_a_total_split_in_its_own_sentence(extractor: Extractor) -> None:
    # fr_bad_prets_quatre_projets_cameroun (batch-11): the part's project is neither the total's nor refers back.
    found = fundings(extractor, "L’État du Cameroun et la Banque africaine de développement (BAD) ont procédé à la "
                                "signature d’accords de prêt, d’un montant totale de 205 milliards FCFA, destinés à la "
                                "réalisation de 4 projets locaux et sous-régionaux, annonce le ministère de l’Économie, "
                                "de la Planification et de l’Aménagement du territoire.Le plus gros de ces ressources, "
                                "soit 147,5 milliards FCFA, est ainsi destiné au projet d’interconnexion des réseaux "
                                "électriques du Cameroun avec le Tchad voisin et le second, en termes d’importance "
                                "(55,10 milliards FCFA), concerne le développement des chaînes de valeur de l’élevage "
                                "et de la pisciculture.")  # fmt: skip
    assert {(funded, amount) for _, funded, amount, _ in found} == {
        ("Cameroun", 205e9),
        ("Projet d'interconnexion des réseaux électriques du Cameroun", 147.5e9),
    }


def test_undertakings_named_before_or_left_unsaid_are_no_projects(extractor: Extractor) -> None:
    # fr_boad_prets_routes_guineebissau (batch-11): "ces projets" refers back; the state receives.
    found = fundings(extractor, "La Banque ouest-africaine de développement (BOAD) a annoncé, vendredi, avoir donné son "
                                "approbation pour deux prêts d’un montant global de 40 milliards F CFA (plus 60 millions "
                                "euros) en faveur de la Guinée-Bissau, pour notamment le goudronnage de 80 kilomètres de "
                                "routes dans le réseau national prioritaire.\n\nIl est prévu dans ces projets de "
                                "développement la réhabilitation de routes mais aussi de l’aéroport de Bissau.")  # fmt: skip
    assert {(funded, amount) for _, funded, amount, _ in found} == {("Guinée-Bissau", 4e10)}
    # fr_chine_don_senegal (batch-11): "la réalisation de projets qui seront convenus" names no undertaking.
    found = fundings(extractor, "La République Populaire de Chine a accordé à la République du Sénégal une aide sans "
                                "contrepartie d'un montant de 25 milliards de FCfa, destinée à la réalisation de projets "
                                "qui seront convenus entre les deux pays.")  # fmt: skip
    assert {(funded, amount) for _, funded, amount, _ in found} == {("Sénégal", 2.5e10)}


def test_two_coordinated_organisations_are_not_one_name(extractor: Extractor) -> None:
    # en_jica_scholarships_bridges_laos (batch-11): "… and the" before a known organisation coordinates two.
    found = extractor.extract_text("The Ministry of Planning and Investment and the Japan International Cooperation "
                                   "Agency on 8 July signed a grant agreement for two aid projects.", source="t.txt",
                                   doc_id="t").to_json()  # fmt: skip
    labels = {o["label"] for o in found["organisations"]}
    assert "Japan International Cooperation Agency" in labels
    assert not any(label.endswith("and the Japan International Cooperation Agency") for label in labels), labels


def test_an_arabic_list_of_the_financings_just_approved(extractor: Extractor) -> None:
    # ar_bid_tamwilat_jadida_niger_turkiya (batch-11): "من أبرز تلك التمويلات" splits the total before; the
    # news agency that reports it, named with the day ("اليوم الاثنين"), funds nothing.
    found = fundings(extractor, "وافق مجلس المديرين التنفيذيين للبنك الإسلامي للتنمية في ختام الدورة ال315 اليوم "
                                "الأثنين والتي بدأت أعمالها أمس، بمقر مجموعة البنك الإسلامي للتنمية في مدينة جدة، على "
                                "تقديم تمويلات جديدة بقيمة 592.2 مليون دولار. وذكرت وكالة الأنباء السعودية اليوم الاثنين "
                                "أن من أبرز تلك التمويلات،اعتماد تمويل مشاريع تنموية في عدد من الدول الأعضاء ومنها مبلغ "
                                "105 ملايين دولار للمساهمة في مشروع الفاضلي للتوليد المزدوج للكهرباء والبخار في المملكة "
                                "العربية السعودية.")  # fmt: skip
    assert ("البنك الإسلامي للتنمية", "مشروع الفاضلي للتوليد المزدوج للكهرباء والبخار", 1.05e8, "USD") in found
    assert {funder for funder, *_ in found} == {"البنك الإسلامي للتنمية"}


def test_an_arabic_letter_made_optional_stays_optional() -> None:
    # "و?" in the language files: the letter with its marks is optional, not only its marks.
    from coopkg.extract.lexicon import _compile

    pattern = _compile("(?:^|\\s)و?(?:من\\s+هذا\\s+المبلغ)")
    assert pattern.search("ومن هذا المبلغ") and pattern.search("من هذا المبلغ")
    assert _compile("لل?عام").fullmatch("لعام") and _compile("لل?عام").fullmatch("للعام")


def test_a_project_after_another_figure_is_not_referred_back_to(extractor: Extractor) -> None:
    # en_adf_eu_water_kabwe_zambia (batch-11): the next sentence's programme is the EU grant's, not the loan's.
    found = fundings(extractor, "The Board of Directors of the African Development Fund approved a $13.2 million loan "
                                "to Zambia aimed at enhancing drinking water, sanitation, and hygiene for 460,000 "
                                "residents in Kabwe and Bauleni.\nThis loan, part of the African Development Bank "
                                "Group’s concessional lending, is complemented by a $6.05 million grant from the "
                                "European Union’s Nexus Energy and Water Programme, part of the EU’s Global Gateway "
                                "strategy.")  # fmt: skip
    assert ("African Development Fund", "Zambia", 13_200_000.0, "USD") in found


def test_the_party_an_agreement_is_signed_with_before_the_figure_is_no_funder(extractor: Extractor) -> None:
    # ar_sunduq_kuwaiti_miyah_arish_misr (batch-11).
    found = fundings(extractor, "وقع الصندوق الكويتي للتنمية الاقتصادية العربية، اليوم الأحد، اتفاقية قرض مع جمهورية "
                                "مصر العربية بقيمة 12.5 مليون دينار كويتي للإسهام في تمويل مشروع تطوير منظومة مياه "
                                "الشرب في مدينة العريش.")  # fmt: skip
    assert {(funder, amount) for funder, _, amount, _ in found} == {
        ("الصندوق الكويتي للتنمية الاقتصادية العربية", 1.25e7)
    }


def test_the_fund_money_comes_from_is_not_what_it_funds(extractor: Extractor) -> None:
    # en_adb_tvet_loan_bhutan (batch-10): "a … grant from ADB's Japan Fund for …" comes from that fund.
    found = fundings(extractor, "Manila [Philippines], August 31 : The Asian Development Bank (ADB) has approved a USD "
                                "30 million loan to improve Bhutan’s technical and vocational education and training "
                                "(TVET) system and enhance the skills and employability of its youth.\n\nThe release "
                                "said an additional USD 2 million grant from ADB’s Japan Fund for Prosperous and "
                                "Resilient Asia and the Pacific will support project implementation to improve the "
                                "quality, access, and capacity to deliver disability-inclusive education.")  # fmt: skip
    assert not any(funded.startswith("Japan Fund") for _, funded, _, _ in found), found


def test_a_later_sentence_naming_its_own_sum_does_not_refer_back(extractor: Extractor) -> None:
    # fr_boad_infrastructures_scolaires_cotedivoire (dev): the 46 billion are the country's two loans; the project
    # the next sentence names is its 30 billion's.
    found = fundings(extractor, "Deux accords de prêt de 46 milliards FCFA ont été conclus entre la Côte d’Ivoire et la "
                                "Banque Ouest Africaine de Développement (BOAD) pour des investissements dans le domaine "
                                "de l’éducation-formation, a annoncé le gouvernement à l’issue du conseil des ministres "
                                "tenu à Yamoussoukro le mercredi 18 décembre.\nLe premier accord de prêt a été "
                                "conclu le 17 juillet dernier. Il porte sur un montant de 30 milliards FCFA et vise « le "
                                "financement partiel du projet de construction et d’équipement d’infrastructures "
                                "scolaires. »")  # fmt: skip
    by_amount = {amount: funded for _, funded, amount, _ in found}
    assert by_amount[46e9] == "Côte d'Ivoire", found
    assert by_amount[30e9].startswith("Projet de construction"), found


def _projects(extractor: Extractor, text: str) -> dict[str, set[str]]:
    found: dict[str, Any] = extractor.extract_text(text, source="t.txt", doc_id="t").to_json()
    return {p["label"]: set(p.get("altLabels") or ()) for p in found["projects"]}


@pytest.mark.parametrize(
    ("text", "label", "short"),
    [
        pytest.param(  # fr_japon_ecoles_bangui_centrafrique (batch-09)
            "Le gouvernement japonais offre une contribution d'un montant de 6,4 milions de dollars en République "
            "centrafricaine (RCA) destinée à la construction de 11 écoles primaires dans la capitale Bangui et ses "
            "banlieues.",
            "Construction de 11 écoles primaires dans la capitale Bangui et ses banlieues",
            "Construction de 11 écoles primaires",
            id="fr",
        ),
        pytest.param(  # en_korea_exim_technical_schools_mozambique (batch-04)
            "South Korea has pledged a technical package equivalent to 18 million US dollars to finance the "
            "construction and equipping of technical and professional schools in the northern Mozambican provinces "
            "of Niassa and Nampula, and in Zambezia in the centre of the country.",
            "Construction and equipping of technical and professional schools in the northern Mozambican provinces "
            "of Niassa and Nampula",
            "Construction and equipping of technical and professional schools",
            id="en",
        ),
    ],
)
def test_an_undertaking_is_also_named_without_the_place_it_ends_with(
    extractor: Extractor, text: str, label: str, short: str
) -> None:
    found = _projects(extractor, text)
    assert short in found[label], found


def test_the_country_whose_system_a_loan_improves(extractor: Extractor) -> None:
    # en_adb_tvet_loan_bhutan (batch-10): no project named; the money goes to the country it improves.
    found = fundings(extractor, "Manila [Philippines], August 31 : The Asian Development Bank (ADB) has approved a USD "
                                "30 million loan to improve Bhutan’s technical and vocational education and training "
                                "(TVET) system and enhance the skills and employability of its youth.")  # fmt: skip
    assert ("Asian Development Bank", "Bhutan", 30_000_000.0, "USD") in found, found


def test_the_fund_money_goes_through_is_what_it_goes_to(extractor: Extractor) -> None:
    # en_ireland_fase_education_mozambique (batch-06).
    found = fundings(extractor, "Ireland has promised to grant five million Euros (5.9 million US dollars) to support "
                                "the implementation of Mozambique's Education Sector Strategic Plan between 2021/2029, "
                                "through the Education Sector Support Fund (FASE).")  # fmt: skip
    assert {(funder, funded) for funder, funded, _, _ in found} == {("Ireland", "Education Sector Support Fund")}


def test_a_day_after_a_name_is_not_part_of_it(extractor: Extractor) -> None:
    # en_exim_india_loc_sports_maldives (batch-12).
    found = fundings(extractor, "Mumbai: Export-Import Bank of India on Thursday said it has extended $40 million "
                                "(around Rs 292 crore) worth of line of credit (LOC) to Maldives government to provide "
                                "finance for the development of sports infrastructure.")  # fmt: skip
    assert {funder for funder, _, _, _ in found} == {"Export-Import Bank of India"}, found


def test_a_name_before_its_acronym_in_another_language(extractor: Extractor) -> None:
    # fr_bm_ida_kandadji_niger (batch-12): "IDA" abbreviates the English name; the French one is the funder.
    found = fundings(extractor, "La Banque mondiale (BM) vient d’octroyer un financement additionnel de 150 millions "
                                "dollars pour le Programme de développement des ressources en eau et de gestion durable des "
                                "écosystèmes dans le bassin du fleuve Niger.\nLe financement est "
                                "composé d’un prêt de 100 millions dollars et d’un don de 50 millions dollars alloués "
                                "par l’Agence internationale du développement (IDA).")  # fmt: skip
    funders = {funder for funder, _, amount, _ in found if amount in (1e8, 5e7)}
    assert len(funders) == 1 and funders < {"Agence internationale du développement",
                                            "Association internationale de développement"}, found  # fmt: skip


def test_a_project_closed_by_the_acronym_of_its_name_in_another_language(extractor: Extractor) -> None:
    # fr_bm_trois_conventions_togo (batch-12): IDEA and COSO abbreviate the English names.
    found = _projects(extractor, "La troisième et dernière convention porte sur un financement additionnel de 14 "
                                 "milliards FCFA (23 millions $) pour le projet de cohésion sociale des régions nord "
                                 "du Golfe de Guinée (COSO), initiative visant à soutenir davantage les réfugiés et les "
                                 "communautés hôtes dans la partie septentrionale du pays.")  # fmt: skip
    assert "Projet de cohésion sociale des régions nord du Golfe de Guinée" in found, found
    # fr_palumbo_enseignement_technique_guinee (batch-06): "la révision des programmes de formation selon l’approche
    # par les compétences (APC)" names a method, no project.
    article = Path(__file__).parents[1] / "eval/real/batch-06/docs/fr_palumbo_enseignement_technique_guinee.txt"
    plural = [p["label"] for p in extractor.extract_path(article).to_json()["projects"]]
    assert not any(label.endswith("compétences") for label in plural), plural


def test_an_acronym_written_as_a_word_after_an_article(extractor: Extractor) -> None:
    # fr_ue_gouvernance_education_niger (batch-03): "l’Ue", as the French press writes acronyms it says as words.
    found = fundings(extractor, "En fonction de la vision du Niger, l’Ue a débloqué 195 millions d’euros (près de 128 "
                                "milliards de Fcfa) pour renforcer les institutions et soutenir le programme de réformes "
                                "au Niger.")  # fmt: skip
    assert {funder for funder, _, _, _ in found} == {"Union européenne"}, found


def test_a_project_is_also_called_by_the_name_after_denomme(extractor: Extractor) -> None:
    # fr_cooperationsuisse_force_benin (batch-01).
    found = _projects(extractor, "Quatre centres de formation technique et professionnelle bénéficient du Programme "
                                 "dénommé Formation professionnelle renforcement de capacités pour l’emploi (Force) dont "
                                 "le lancement des opérations terrain a eu lieu, ce jeudi 15 décembre à Djougou.")  # fmt: skip
    assert any("Formation professionnelle renforcement de capacités pour l'emploi" in alt for alt in found.values()), (
        found
    )


def test_an_arabic_head_and_its_object_are_no_name(extractor: Extractor) -> None:
    # ar_bid_tamwilat_jadida_niger_turkiya (batch-11): "وجرى اعتماد المجلس للمشاريع المهمة الأخرى" is the board's
    # approval of other projects.
    article = Path(__file__).parents[1] / "eval/real/batch-11/docs/ar_bid_tamwilat_jadida_niger_turkiya.txt"
    found = extractor.extract_path(article).to_json()
    assert not any(o["label"].startswith("المجلس للمشاريع") for o in found["organisations"]), found["organisations"]


def test_a_state_named_as_where_the_money_goes_is_no_subject(extractor: Extractor) -> None:
    # ar_sfd_minah_mashari_jibuti (batch-04): "… المحكمة العليا في جيبوتي، … ومنحة مقدارها 15 مليون ريال": the third
    # grant is the Fund's, not Djibouti's.
    found, labels = read_article(extractor, "batch-04", "ar_sfd_minah_mashari_jibuti")
    funders = {labels[f["funder"]] for f in found["fundings"] if f["amount"] == 15e6}
    assert funders == {"الصندوق السعودي للتنمية"}, funders


def test_an_arabic_state_written_with_bi_is_where_not_who(extractor: Extractor) -> None:
    # ar_bid_tamwilat_jadida_niger_turkiya (batch-11): "… طريق مدينة كابل الدائري بأفغانستان، وكذلك تقديم تمويل بمبلغ
    # 43.4 مليون دولار": Afghanistan is where the road is.
    found, labels = read_article(extractor, "batch-11", "ar_bid_tamwilat_jadida_niger_turkiya")
    funders = {labels[f["funder"]] for f in found["fundings"] if f["amount"] in (74e6, 43.4e6)}
    assert funders == {"البنك الإسلامي للتنمية"}, funders


def test_a_global_fund_named_in_french_among_co_financiers(extractor: Extractor) -> None:
    # fr_fida_defis_cofinancement_madagascar (batch-12): "… le Fonds vert pour le climat (15 millions $) …", the
    # Green Climate Fund by its French name.
    found, labels = read_article(extractor, "batch-12", "fr_fida_defis_cofinancement_madagascar")
    assert "Fonds vert pour le climat" in labels.values(), sorted(labels.values())
    assert {labels[f["funder"]] for f in found["fundings"] if f["amount"] == 15e6} == {"Fonds vert pour le climat"}


def test_english_plural_projects_after_a_purpose_are_no_one_project(extractor: Extractor) -> None:
    # en_idb_approvals_seven_countries (batch-12).
    found = _projects(extractor, "The board of directors of Islamic Development Bank (IDB) approved on Tuesday the "
                                 "financing of new development projects in member and non-member countries totaling USD "
                                 "718 million.")  # fmt: skip
    assert not any("projects in member" in label.lower() for label in found), found


def test_a_project_is_also_named_with_the_place_after_it(extractor: Extractor) -> None:
    # ar_sfd_minah_mashari_jibuti (batch-04): "… مشروع بناء وتجهيز المحكمة العليا في جيبوتي، …", as the gold names it.
    article = Path(__file__).parents[1] / "eval/real/batch-04/docs/ar_sfd_minah_mashari_jibuti.txt"
    found = {p["label"]: set(p.get("altLabels") or ()) for p in extractor.extract_path(article).to_json()["projects"]}
    assert any("مشروع بناء وتجهيز المحكمة العليا في جيبوتي" in alt for alt in found.values()), found


def test_a_dam_is_also_named_without_its_river_and_province(extractor: Extractor) -> None:
    # fr_fkdea_barrage_tamalout_maroc (batch-12).
    found = _projects(extractor, "Le Maroc et le Fonds koweïtien pour le développement économique arabe (FKDEA) ont "
                                 "signé un accord de 450 millions de dirhams pour la construction du barrage Tamalout sur "
                                 "l’oued Ansegmir dans la province de Khénifra.")  # fmt: skip
    assert any("Construction du barrage Tamalout" in alt for alt in found.values()), found


def test_the_currency_of_a_sum_coordinated_with_a_bank_is_no_organisation(extractor: Extractor) -> None:
    # fr_fkdea_boad_eau_potable_benin (batch-10): "… 8,9 milliards de francs CFA, et la Banque …".
    text = ("Ceci, grâce au concours du Fonds koweïtien pour le développement économique arabe (FKDEA) qui apporte un "
            "appui de 8,9 milliards de francs CFA, et la Banque ouest africaine de développement (BOAD) qui apporte un "
            "financement de 20 milliards de francs CFA.")  # fmt: skip
    found: dict[str, Any] = extractor.extract_text(text, source="t.txt", doc_id="t").to_json()
    assert "CFA" not in {o["label"] for o in found["organisations"]}, found["organisations"]


def test_one_undertaking_named_after_two_project_nouns(extractor: Extractor) -> None:
    # fr_fkdea_boad_eau_potable_benin (batch-10): "le programme de renforcement …", then "Le projet de renforcement …".
    article = Path(__file__).parents[1] / "eval/real/batch-10/docs/fr_fkdea_boad_eau_potable_benin.txt"
    found = extractor.extract_path(article).to_json()
    labels = [p["label"] for p in found["projects"] if "renforcement du système" in p["label"]]
    assert len(labels) == 1, labels
    by_id = {p["id"]: p["label"] for p in found["projects"]}
    assert {by_id.get(f["funded"]) for f in found["fundings"]} == set(labels), found["fundings"]


@pytest.mark.parametrize(
    "text",
    [
        # en_gpe_education_project_south_sudan (batch-04)
        "The South Sudan government on Wednesday launched a four-year project, aimed to expand access to quality, "
        "inclusive education and improve learning outcomes for children, especially girls and marginalized groups.",
        # en_uk_maths_education_malawi (batch-10)
        "According to a press release, the funding is aimed at doubling the number of children with basic math skills "
        "by the age of 10. “This is a multi-year program. It’s for the long term, trying to make sure the work that’s "
        "already going on in Malawi to make math education as effective as possible",
    ],
)
def test_a_duration_and_a_project_noun_are_no_name(extractor: Extractor, text: str) -> None:
    found = _projects(extractor, text)
    assert not any(label.lower() in {"four-year project", "multi-year program"} for label in found), found


def test_a_grant_by_a_funder_to_the_project_named_before(extractor: Extractor) -> None:
    # en_afd_iecd_maharat_lebanon (batch-06): "Thanks to the 5M euros grant by the AFD, the IECD, and Semeurs
    # d’Avenir will implement the three-year project to support the vulnerable Lebanese".
    found, labels = read_article(extractor, "batch-06", "en_afd_iecd_maharat_lebanon")
    assert {(labels[f["funder"]], labels[f["funded"]], f["amount"]) for f in found["fundings"]} == {
        ("French Development Agency", "Maharat Li Loubnan 2", 5e6)
    }


def test_co_financiers_listed_fund_the_project(extractor: Extractor) -> None:
    # en_adf_skills_zanzibar_tanzania (batch-02).
    found = fundings(extractor, "The Board of Directors of the African Development Fund (ADF) today approved a USD 23.4 "
                                "million (Unit of Account 15 million) loan to finance The Alternative Learning and Skills "
                                "Development Project Phase II (ALSDP II), in Tanzania.\nThe ADF loan will cover 71.4 % of "
                                "USD 32.8 million (UA 21.02 million) total project cost. The project's other financiers "
                                "are Arab Bank for Economic Development in Africa (21.3%) and Tanzania's government "
                                "(7.3%).")  # fmt: skip
    others = {funder for funder, _, amount, _ in found if amount is None}
    assert others == {"Arab Bank for Economic Development in Africa", "Tanzania"}, found


def test_the_undertakings_a_list_of_parts_names_before_each_figure(extractor: Extractor) -> None:
    # fr_fsd_prets_pays_africains_riyad (batch-11): "Ces projets sont entre autres : la construction … pour 28 millions
    # de dollars (…), de la construction d’un collège … pour 40 millions …, ou encore la réhabilitation … pour 17 …".
    found, labels = read_article(extractor, "batch-11", "fr_fsd_prets_pays_africains_riyad")
    parts = {f["amount"]: labels[f["funded"]] for f in found["fundings"] if f["amount"] in (28e6, 40e6, 17e6)}
    assert parts[28e6].startswith("Construction et l'équipement des internats secondaires pour filles"), parts
    assert parts[40e6].startswith("Construction d'un collège supérieur pour la formation des enseignants"), parts
    assert parts[17e6].startswith("Réhabilitation du centre hospitalier régional de Manga"), parts


def test_a_sum_without_its_currency_is_in_the_documents_one_currency(extractor: Extractor) -> None:
    # fr_bad_employabilite_jeunes_togo (batch-08): "un prêt de 5,3 milliards" is in the FCFA of the sum before it.
    text = (
        "Deux dons d’un montant total de 6,4 milliards de Fcfa et un prêt de 5,3 milliards ont été accordés par la "
        "Banque africaine de développement (BAD) en faveur du Projet d’appui à l’employabilité et l’insertion des "
        "jeunes dans les secteurs porteurs."
    )
    project = "Projet d'appui à l'employabilité et l'insertion des jeunes dans les secteurs porteurs"
    assert ("Banque africaine de développement", project, 5.3e9, "XOF") in fundings(extractor, text)


def test_a_government_named_before_the_loans_nouns_receives_it(extractor: Extractor) -> None:
    # fr_afd_eau_potable_niamey_niger (batch-10): "a accordé au gouvernement du Niger, un prêt concessionnel d'un
    # montant de 26,6 milliards" (the FCFA are named later), and "Ce projet vise … « des quartiers défavorisés »"
    # names no project.
    found, labels = read_article(extractor, "batch-10", "fr_afd_eau_potable_niamey_niger")
    stated = {(labels[f["funder"]], labels[f["funded"]], f["amount"], f["currency"]) for f in found["fundings"]}
    assert ("Agence française de développement", "Niger", 26.6e9, "XOF") in stated, stated
    assert not any(p["label"].startswith("Projet vise") for p in found["projects"]), found["projects"]


def test_the_same_project_is_the_one_named_before(extractor: Extractor) -> None:
    # en_afdb_agtf_last_mile_energy_rwanda (batch-13): "… for the same project", "Ce même projet a aussi obtenu".
    article = Path(__file__).parents[1] / "eval/real/batch-13/docs/en_afdb_agtf_last_mile_energy_rwanda.txt"
    labels = [p["label"] for p in extractor.extract_path(article).to_json()["projects"]]
    assert not any(label.lower().startswith("same") for label in labels), labels


def test_a_document_about_a_programme_is_no_project(extractor: Extractor) -> None:
    # en_wb_gpe_hope_education_nigeria (batch-13): "the Programme Information Document for the loan project".
    article = Path(__file__).parents[1] / "eval/real/batch-13/docs/en_wb_gpe_hope_education_nigeria.txt"
    labels = [p["label"] for p in extractor.extract_path(article).to_json()["projects"]]
    assert not any("Document" in label for label in labels), labels


def test_a_headlines_money_is_no_part_of_the_projects_name(extractor: Extractor) -> None:
    # en_sfd_cardiac_center_chad (batch-13): "SFD Signs $50 Million Development Loan for Chad Cardiac Center Project";
    # fr_japon_cfp_saint_joseph_rdc: "le projet d'extension du Centre … Saint Joseph ambitionne de renforcer …".
    article = Path(__file__).parents[1] / "eval/real/batch-13/docs/en_sfd_cardiac_center_chad.txt"
    labels = [p["label"] for p in extractor.extract_path(article).to_json()["projects"]]
    assert "Chad Cardiac Center Project" in labels, labels
    article = Path(__file__).parents[1] / "eval/real/batch-13/docs/fr_japon_cfp_saint_joseph_rdc.txt"
    labels = [p["label"] for p in extractor.extract_path(article).to_json()["projects"]]
    assert "Projet d'extension du Centre de formation professionnelle Saint-Joseph" in labels, labels


def test_who_will_receive_a_loan_is_not_its_lender(extractor: Extractor) -> None:
    # fr_badea_prets_routes_eau_quatre_pays (batch-13): "L’Ethiopie va également recevoir un prêt de 10 millions de
    # dollars …", "Enfin, la Zambie va recevoir 10 millions de dollars …".
    found, labels = read_article(extractor, "batch-13", "fr_badea_prets_routes_eau_quatre_pays")
    funders = {labels[f["funder"]] for f in found["fundings"]}
    assert funders and not funders & {"Éthiopie", "Zambie"}, funders


def test_a_funder_raising_its_participation_and_a_name_without_its_provinces(extractor: Extractor) -> None:
    # fr_afd_onee_eau_potable_nord_maroc (batch-13): "… d’un projet d’amélioration et de sécurisation de l’accès à
    # l’eau potable dans les provinces du Nord. À travers cette nouvelle ligne de financement, l’AFD porte à 101
    # millions d’euros sa participation au projet".
    article = Path(__file__).parents[1] / "eval/real/batch-13/docs/fr_afd_onee_eau_potable_nord_maroc.txt"
    found = extractor.extract_path(article).to_json()
    project = next(p for p in found["projects"] if p["label"].startswith("Projet d'amélioration"))
    assert "Projet d'amélioration et de sécurisation de l'accès à l'eau potable" in project["altLabels"], project
    stated = {(f["funder"].rsplit("/", 1)[-1], f["funded"], f["amount"]) for f in found["fundings"]}
    assert ("afd", project["id"], 101e6) in stated, stated


def test_an_agreements_money_goes_to_the_project_it_is_about(extractor: Extractor) -> None:
    # ar_giz_subul_aysh_muzariin_filastin (batch-13): "وقعت وزارة الزراعة، ومؤسسة التعاون الألماني (GIZ)، اليوم الأربعاء،
    # اتفاقية تجديد مشروع تحسين سبل العيش للمزارعين بقيمة 4 ملايين يورو."
    found, labels = read_article(extractor, "batch-13", "ar_giz_subul_aysh_muzariin_filastin")
    funded = {labels[f["funded"]] for f in found["fundings"] if f["amount"] == 4e6}
    assert funded == {"مشروع تحسين سبل العيش للمزارعين"}, funded


def test_an_english_name_may_hold_through(extractor: Extractor) -> None:
    # en_eu_gepsed_job_training_saint_lucia (batch-13): "the Generation of Employment through Private Sector
    # Development Project [GEPSED]".
    article = Path(__file__).parents[1] / "eval/real/batch-13/docs/en_eu_gepsed_job_training_saint_lucia.txt"
    labels = [p["label"] for p in extractor.extract_path(article).to_json()["projects"]]
    assert "Generation of Employment through Private Sector Development Project" in labels, labels


def test_money_for_several_projects_goes_to_their_country(extractor: Extractor) -> None:
    # en_japan_gghsp_ypsa_training_centre_bangladesh (batch-13): "grant assistance for seven projects under Grant
    # Assistance for Grass-roots Human Security Projects (GGHSP) totaling US$ 628,390 … in Bangladesh" is not for the
    # one project the article then names.
    found, labels = read_article(extractor, "batch-13", "en_japan_gghsp_ypsa_training_centre_bangladesh")
    funded = {labels[f["funded"]] for f in found["fundings"] if f["amount"] == 628390}
    assert funded == {"Bangladesh"}, funded


def test_a_known_name_and_an_acronym_are_no_third_organisation(extractor: Extractor) -> None:
    # en_wb_gpe_hope_education_nigeria (batch-13): "a World Bank IDA credit of $500m".
    article = Path(__file__).parents[1] / "eval/real/batch-13/docs/en_wb_gpe_hope_education_nigeria.txt"
    labels = [o["label"] for o in extractor.extract_path(article).to_json()["organisations"]]
    assert "World Bank" in labels and "World Bank IDA" not in labels, labels


def test_what_the_money_is_destined_to_is_what_it_funds(extractor: Extractor) -> None:
    # fr_kfw_huit_accords_tunisie (batch-13): "Le premier accord de crédit d’un montant de 9 millions d’euros, est
    # destiné au financement du fonds d’investissement pour la valorisation des déchets." (the project the article
    # names next is another's).
    found, labels = read_article(extractor, "batch-13", "fr_kfw_huit_accords_tunisie")
    funded = {labels[f["funded"]] for f in found["fundings"] if f["amount"] == 9e6}
    assert funded == {"Fonds d'investissement pour la valorisation des déchets"}, funded


def test_the_fund_money_is_drawn_from_and_money_worth_of_projects(extractor: Extractor) -> None:
    # en_afdb_agtf_last_mile_energy_rwanda (batch-13): "the 26 May 2021 approval for $84.2 million from the resources
    # of the African Development Fund (ADF)"; "the African Development Bank has financed over $1.4 billion worth of
    # projects in Rwanda".
    found, labels = read_article(extractor, "batch-13", "en_afdb_agtf_last_mile_energy_rwanda")
    stated = {(labels[f["funder"]], labels[f["funded"]], f["amount"]) for f in found["fundings"]}
    assert {f for f in stated if f[2] == 84.2e6} == {
        ("African Development Fund", "Transmission System Reinforcement and Last Mile Connectivity project", 84.2e6)
    }, stated
    assert ("African Development Bank", "Rwanda", 1.4e9) in stated, stated


def test_a_count_after_a_money_noun_and_an_action_is_no_money(extractor: Extractor) -> None:
    # en_afdb_elumelu_youth_entrepreneurs_africa (batch-09): "to support the creation of 25 million decent jobs" is a
    # count of jobs, though the document's sums are all in dollars.
    article = Path(__file__).parents[1] / "eval/real/batch-09/docs/en_afdb_elumelu_youth_entrepreneurs_africa.txt"
    found = extractor.extract_path(article).to_json()
    assert 25e6 in {i["value"] for i in found["indicators"]}, found["indicators"]
    assert 25e6 not in {f["amount"] for f in found["fundings"]}, found["fundings"]


def test_money_for_several_projects_refers_to_none_named_later(extractor: Extractor) -> None:
    # en_japan_kusanone_grants_cambodia (batch-11): "… a total of US$392,371 to support three development projects in
    # Cambodia’s Koh Kong, Kampong Chhnang, and Mondulkiri provinces." (the scheme named later is not what it funds)
    found, labels = read_article(extractor, "batch-11", "en_japan_kusanone_grants_cambodia")
    funded = {labels[f["funded"]] for f in found["fundings"] if f["amount"] == 392371}
    assert funded == {"Cambodia"}, funded


def test_loans_worth_a_sum_are_that_money_not_a_cost(extractor: Extractor) -> None:
    # en_eib_loan_portfolio_moldova (batch-11): "the EIB provided loans to Moldova worth more than 400 million euros", "the EIB
    # signed loan agreements with Moldova worth 250 million euros for road projects".
    found, labels = read_article(extractor, "batch-11", "en_eib_loan_portfolio_moldova")
    amounts = {f["amount"] for f in found["fundings"] if labels[f["funder"]] == "European Investment Bank"}
    assert {400e6, 250e6} <= amounts, amounts


@pytest.mark.parametrize(
    ("batch", "stem", "amount", "country"),
    [
        # "Le Burkina a ainsi atteint un montant de 253 millions de dollars comme financements cumulés accordés par
        # la BADEA." (the article is about one university project: the total is the country's)
        ("batch-10", "fr_badea_universite_ouaga2_burkina", 253e6, "Burkina Faso"),
        # "… يصبح إجمالي القروض والمنح المقدمة عن طريق الصندوق السعودي للتنمية لتمويل المشاريع الإنمائية في جمهورية
        # جيبوتي نحو 1.4 مليار ريال سعودي"
        ("batch-04", "ar_sfd_minah_mashari_jibuti", 1.4e9, "جيبوتي"),
        # "… SFD’s longstanding development engagement in Chad since 1976. SFD has financed six development projects
        # and programs through concessional loans exceeding $131 million" (the country in the sentence before)
        ("batch-13", "en_sfd_cardiac_center_chad", 131e6, "Chad"),
    ],
)
def test_a_funders_total_over_the_years_is_the_countrys(
    extractor: Extractor, batch: str, stem: str, amount: float, country: str
) -> None:
    found, labels = read_article(extractor, batch, stem)
    funded = {labels[f["funded"]] for f in found["fundings"] if f["amount"] == amount}
    assert funded == {country}, funded


def test_currencies_the_press_abbreviates_or_names_locally(extractor: Extractor) -> None:
    # fr_boad_trois_prets_togo (batch-14): "trois prêts d’un montant total de 27,5 milliards de F. CFA";
    # en_adb_modern_skills_loan_georgia: "a 68.2 million lari ($25 million) loan" (the first figure is the amount);
    # en_koica_tvet_grant_nepal: "Rs 550 million grant … in Nepal" (rupees of the country named).
    stated = {
        stem: {(f["amount"], f["currency"]) for f in read_article(extractor, "batch-14", stem)[0]["fundings"]}
        for stem in ("fr_boad_trois_prets_togo", "en_adb_modern_skills_loan_georgia", "en_koica_tvet_grant_nepal")
    }
    assert (27.5e9, "XOF") in stated["fr_boad_trois_prets_togo"], stated
    assert stated["en_adb_modern_skills_loan_georgia"] == {(68.2e6, "GEL")}, stated
    assert stated["en_koica_tvet_grant_nepal"] == {(550e6, "NPR")}, stated


def test_the_memorandum_the_money_is_promised_in_is_not_what_it_funds(extractor: Extractor) -> None:
    # en_koica_tvet_grant_nepal (batch-14): "KOICA to grant Nepal Rs 550m"; "KATHMANDU: At the Ministry of Finance in
    # Kathmandu on Wednesday, the Korea International Agency (KOICA) signed a memorandum of understanding (MoU) stating
    # that it would provide Rs 550 million grant to enhance the Technical and Vocational Education and Training (TVET)
    # in Nepal." (nor is "At the Ministry of Finance" an organisation)
    found, labels = read_article(extractor, "batch-14", "en_koica_tvet_grant_nepal")
    assert {labels[f["funded"]] for f in found["fundings"]} == {"Nepal"}, found["fundings"]
    assert "Ministry of Finance" in {o["label"] for o in found["organisations"]}
    assert not any(o["label"].startswith("At ") for o in found["organisations"])


def test_the_ranked_loans_of_a_list_are_the_lenders_and_go_where_they_serve(extractor: Extractor) -> None:
    # fr_boad_trois_prets_togo (batch-14): "La Banque Ouest Africaine de Développement (BOAD) a octroyé au Togo, trois
    # prêts …"; three paragraphs later "Le second prêt évalué à 12 milliards de F.CFA, servira au bitumage du tronçon
    # de la route dans l’extrême nord du pays (tronçon Dapaong-Naki Est-Borgou)."
    found, labels = read_article(extractor, "batch-14", "fr_boad_trois_prets_togo")
    stated = {(labels[f["funder"]], labels[f["funded"]]) for f in found["fundings"] if f["amount"] == 12e9}
    assert stated == {
        ("Banque Ouest Africaine de Développement", "Bitumage du tronçon de la route dans l'extrême nord du pays")
    }, stated


def test_a_grant_worth_a_sum_is_that_money_for_what_it_names(extractor: Extractor) -> None:
    # en_japan_ggp_vocational_centre_rajasthan (batch-14): "Japan has decided to offer a grant worth 8.4 million Yen
    # for the construction of a vocational training centre for poor women and youth in Rajasthan’s Baran district."
    found, labels = read_article(extractor, "batch-14", "en_japan_ggp_vocational_centre_rajasthan")
    assert [(labels[f["funder"]], f["amount"], f["currency"]) for f in found["fundings"]] == [("Japan", 8.4e6, "JPY")]
    project = next(p for p in found["projects"] if p["id"] == found["fundings"][0]["funded"])
    # (also named without the district it is in)
    assert "Construction of a vocational training centre for poor women and youth" in project.get("altLabels", [])


def test_a_body_of_an_organisation_is_the_organisation(extractor: Extractor) -> None:
    # en_kfw_school_construction_jordan (batch-05): "… and Member of the Executive Council of the German Development
    # Bank (K f W) Joachim Nagel on Sunday signed an additional grant agreement worth 10 million euros to finance the
    # School Construction Programme Phase II …"
    found, labels = read_article(extractor, "batch-05", "en_kfw_school_construction_jordan")
    assert {labels[f["funder"]] for f in found["fundings"] if f["amount"] == 10e6} == {"German Development Bank"}
    assert not any(o["label"].startswith("Council of") for o in found["organisations"])


def test_an_arabic_undertaking_goes_on_through_the_verb_of_its_aim(extractor: Extractor) -> None:
    # ar_usaid_minha_tahil_shabab_yaman (batch-14): "منحت الوكالة الأمريكية للتنمية الدولية اليمن مبلغ 3.1 مليون دولار
    # لتمويل برامج تهدف إلى تأهيل وتنمية قدرات ومهارات الشباب لتمكينهم من الحصول على فرص عمل"
    found, labels = read_article(extractor, "batch-14", "ar_usaid_minha_tahil_shabab_yaman")
    funded = {labels[f["funded"]] for f in found["fundings"] if f["amount"] == 3.1e6}
    assert len(funded) == 1 and next(iter(funded)).startswith("برامج تهدف إلى تأهيل وتنمية قدرات ومهارات الشباب"), (
        funded
    )


def test_a_project_listed_among_sectors_is_not_what_the_document_is_about(extractor: Extractor) -> None:
    # ar_sunduq_saudi_qurud_muyassara_misr (batch-14): "… توفير تمويل قدره 500 مليون دولار فى شكل قروض ميسرة لمصر";
    # "أضافت أن القروض تستهدف تنمية قطاعات الكهرباء والطاقة، التعليم، الصحة، النقل، ومياه الشرب والصرف الصحى، ومشروع
    # استكمال الصوامع وتخزين الحبوب." (the money is spread over the sectors: it goes to Egypt)
    found, labels = read_article(extractor, "batch-14", "ar_sunduq_saudi_qurud_muyassara_misr")
    assert {labels[f["funded"]] for f in found["fundings"] if f["amount"] == 500e6} == {"مصر"}, found["fundings"]


def test_a_figure_before_a_projects_name_is_its_money(extractor: Extractor) -> None:
    # en_worldbank_youth_employment_education_nigeria (batch-09): "World Bank okays $450m for Job, Education in Nigeria";
    # "… the World Bank’s Board of Executive Directors has approved $450 million for two projects"; "According to
    # Bamidele Oladokun, Communication Associate, Africa Region of the Bank: “The $300 million Nigeria Youth Employment
    # and Social Support Operation focuses on …"; "The $150 million Nigeria State Education Program Investment Project
    # will serve …" (the money of two projects is the country's; a region of the Bank is no funder)
    found, labels = read_article(extractor, "batch-09", "en_worldbank_youth_employment_education_nigeria")
    stated = {(labels[f["funder"]], labels[f["funded"]], f["amount"]) for f in found["fundings"]}
    assert stated == {
        ("World Bank", "Nigeria", 450e6),
        ("World Bank", "Nigeria Youth Employment and Social Support Operation", 300e6),
        ("World Bank", "Nigeria State Education Program Investment Project", 150e6),
    }, stated


def test_an_arabic_financing_verb_states_a_funding_without_a_figure(extractor: Extractor) -> None:
    # ar_suisra_birdb_maharat_fanniya_misr (batch-07): "مولت سويسرا بالتعاون مع البنك الأوروبى لإعادة البناء والتنمية
    # مشروعًا يسعى إلى تعزيز المهارات الفنية لخمسمائة شابة وشاب فى مصر، بهدف تحسين فرصهم للالتحاق بسوق العمل."
    found, labels = read_article(extractor, "batch-07", "ar_suisra_birdb_maharat_fanniya_misr")
    stated = {(labels[f["funder"]], labels[f["funded"]]) for f in found["fundings"]}
    assert ("سويسرا", "مشروعًا يسعى إلى تعزيز المهارات الفنية لخمسمائة شابة وشاب") in stated, stated


def test_a_number_that_names_a_region_or_a_disease_counts_nothing(extractor: Extractor) -> None:
    # en_usaid_skye_region_five_guyana (batch-14): "Support in Region 3 began in November 2013"; "… sixteen youth from
    # Region 5 graduated after completing life and work skills training" (the count is the sixteen youth);
    # en_usaid_out_of_school_youth_philippines: "the COVID-19 pandemic".
    counted = {
        stem: {i["value"] for i in read_article(extractor, "batch-14", stem)[0]["indicators"]}
        for stem in ("en_usaid_skye_region_five_guyana", "en_usaid_out_of_school_youth_philippines")
    }
    assert 16 in counted["en_usaid_skye_region_five_guyana"], counted
    assert not {3, 5} & counted["en_usaid_skye_region_five_guyana"], counted
    assert 19 not in counted["en_usaid_out_of_school_youth_philippines"], counted


def test_a_dollar_sign_is_the_funders_dollar_and_a_sentences_preposition_no_name(extractor: Extractor) -> None:
    # en_australia_aptc_pacific_skills (batch-15): "Australia will provide $152 million over four years from the aid
    # program to continue to support the Australia Pacific Technical College."; "Since the APTC program began in June
    # 2007 more than 3,000 people … have graduated"
    found, _ = read_article(extractor, "batch-15", "en_australia_aptc_pacific_skills")
    assert {(f["amount"], f["currency"]) for f in found["fundings"]} == {(152e6, "AUD"), (2.7e6, "AUD")}
    assert not any(p["label"].startswith("Since") for p in found["projects"]), found["projects"]
    assert not any(a.startswith("Since") for p in found["projects"] for a in p.get("altLabels", []))


def test_an_exchange_rate_is_no_money_and_an_expansion_is_an_undertaking(extractor: Extractor) -> None:
    # fr_fsd_universite_indes_occidentales_antigua (batch-15): "Le Fonds saoudien pour le développement a signé mercredi
    # un accord d’une valeur de 80 millions de dollars (1 dollar = 0,93 euro) pour financer l’expansion de l’université
    # des Indes occidentales à Antigua-et-Barbuda."
    found, labels = read_article(extractor, "batch-15", "fr_fsd_universite_indes_occidentales_antigua")
    stated = {(labels[f["funded"]], f["amount"]) for f in found["fundings"]}
    assert stated == {("Expansion de l'université des Indes occidentales à Antigua-et-Barbuda", 80e6)}, stated


def test_a_state_paying_through_its_agency_and_the_loan_recalled_later(extractor: Extractor) -> None:
    # fr_koica_trois_projets_isep_senegal (batch-15): "Le Sénégal vient de bénéficier de la Corée du Sud d’une enveloppe
    # de 21 millions de dollars US, …, par le biais de l’Agence coréenne de Coopération internationale (KOICA)." and,
    # two sentences on, "Le prêt bénéficiera également au Projet de village pilote SAEMOUL à Podor pour un montant de
    # 2.500.000 dollars."
    found, labels = read_article(extractor, "batch-15", "fr_koica_trois_projets_isep_senegal")
    funders = {labels[f["funder"]] for f in found["fundings"]}
    assert funders == {"Agence coréenne de coopération internationale"}, funders
    assert "Projet de village pilote SAEMOUL à Podor" in {
        labels[f["funded"]] for f in found["fundings"] if f["amount"] == 2.5e6
    }


def test_money_for_the_south_of_a_country_is_for_that_country(extractor: Extractor) -> None:
    # fr_banquemondiale_ouragan_ecoles_haiti (batch-16): "… une subvention de 30 millions de dollars de l’Association
    # internationale de développement (IDA), …, afin d’améliorer l’apprentissage … dans les quatre départements du
    # sud d’Haïti touchés par le récent ouragan."
    found, labels = read_article(extractor, "batch-16", "fr_banquemondiale_ouragan_ecoles_haiti")
    stated = {(labels[f["funder"]], labels[f["funded"]], f["amount"]) for f in found["fundings"]}
    assert stated == {("Association internationale de développement", "Haïti", 30e6)}, stated


def test_a_tatweel_before_a_figure_does_not_glue_it_to_the_word(extractor: Extractor) -> None:
    # ar_qatar_fakhoura_taalim_ghazza (batch-16): "قدمت وزارة الخارجية القطرية، الأربعاء، منحة بـ40 مليون دولار لدعم
    # قطاع التعليم في غزة، عبر برنامج «الفاخورة» …"
    found, labels = read_article(extractor, "batch-16", "ar_qatar_fakhoura_taalim_ghazza")
    stated = {(labels[f["funder"]], f["amount"], f["currency"]) for f in found["fundings"]}
    assert stated == {("وزارة الخارجية القطرية", 40e6, "USD")}, stated


def test_a_financed_participle_ends_an_arabic_name(extractor: Extractor) -> None:
    # ar_ittihad_urubi_tashghil_shabab_misr (batch-08): "البرنامج القومي العاجل للتشغيل كثيف العمالة الممول من الاتحاد
    # الأوروبي …": "الممول" (financed) is what is said of the programme, not a word of its name.
    found, _ = read_article(extractor, "batch-08", "ar_ittihad_urubi_tashghil_shabab_misr")
    names = {p["label"] for p in found["projects"]}
    assert names and not any(name.endswith("الممول") for name in names), names
    assert 70e6 in {f["amount"] for f in found["fundings"]}


def test_a_states_total_made_of_its_agencys_parts_is_the_agencys(extractor: Extractor) -> None:
    # ar_afd_qard_minha_namaa_tamourt_mauritania (batch-13): the title's "موريتانيا وفرنسا توقعان اتفاقيات تمويل بـ43
    # مليون يورو" is the French agency's "40 مليون يورو … كقرض" and "منحة بقيمة 3 ملايين يورو".
    found, labels = read_article(extractor, "batch-13", "ar_afd_qard_minha_namaa_tamourt_mauritania")
    funders = {labels[f["funder"]] for f in found["fundings"]}
    assert funders == {"الوكالة الفرنسية للتنمية"}, funders


def test_money_recalled_with_no_funding_before_is_the_sentence_befores_actors(extractor: Extractor) -> None:
    # fr_ue_giz_sifa_competences_afrique (batch-16): "(Agence Ecofin) - L’Union européenne vient de signer un accord avec
    # GIZ … pour soutenir le programme SIFA …. La subvention à hauteur de 8 millions d'euros va permettre au programme
    # SIFA de renforcer …": the agency of the dateline reports; the Union acts.
    found, labels = read_article(extractor, "batch-16", "fr_ue_giz_sifa_competences_afrique")
    stated = {(labels[f["funder"]], labels[f["funded"]], f["amount"]) for f in found["fundings"]}
    assert stated == {("Union européenne", "SIFA", 8e6)}, stated


def test_money_stated_for_the_project_later_is_the_documents_one_funders(extractor: Extractor) -> None:
    # fr_afd_defi_pro_benin (batch-16): "l’AFD finance le projet DEFI-PRO", paragraphs before "D’un montant total de
    # 23 millions d'euros, le projet est financé via un prêt de 20 millions d’euros assorti d’une subvention de 3
    # millions d'euros."
    found, labels = read_article(extractor, "batch-16", "fr_afd_defi_pro_benin")
    stated = {(labels[f["funder"]], labels[f["funded"]], f["amount"]) for f in found["fundings"]}
    assert {("Agence française de développement", "DEFI-PRO", amount) for amount in (20e6, 3e6)} <= stated, stated


def test_a_ranked_agreement_is_one_of_the_list_and_money_for_many_is_no_one_project(extractor: Extractor) -> None:
    # fr_bm_trois_conventions_togo (batch-12): "… trois conventions de financement d’un montant cumulé d’environ 298
    # millions $ … avec la banque mondiale …. Le premier accord, d’une valeur de 120 milliards FCFA (200 millions $),
    # est destiné au projet de développement inclusif grâce à l’accès à l’électricité (IDEA)."
    found, labels = read_article(extractor, "batch-12", "fr_bm_trois_conventions_togo")
    stated = {(labels[f["funded"]], f["amount"], f["currency"]) for f in found["fundings"]}
    assert ("Projet de développement inclusif grâce à l'accès à l'électricité", 120e9, "XOF") in stated, stated
    assert not any(amount == 298e6 for _, amount, _ in stated), stated  # the three conventions' sum is no project's


def test_a_name_is_also_itself_without_the_country_it_is_located_in(extractor: Extractor) -> None:
    # fr_ue_fonds_fiduciaire_emplois_guinee (batch-09): "… une contribution de 50 millions € (58 millions $) pour
    # appuyer le programme d'urgence pour le Sahel au Burkina Faso": the Sahel is part of the name, Burkina Faso where.
    found, _ = read_article(extractor, "batch-09", "fr_ue_fonds_fiduciaire_emplois_guinee")
    names = {(p["label"], *p["altLabels"]) for p in found["projects"]}
    assert any("Programme d'urgence pour le Sahel" in n for n in names), names


def test_an_adverbial_a_phrase_ends_an_organisations_name(extractor: Extractor) -> None:
    # fr_japon_epp_ranomainty_madagascar (batch-16): "Financé par l’Ambassade du Japon à hauteur de 86 885 euros, …"
    found, labels = read_article(extractor, "batch-16", "fr_japon_epp_ranomainty_madagascar")
    names = {o["label"] for o in found["organisations"]}
    assert not any("hauteur" in name for name in names), names
    assert {(labels[f["funder"]], f["amount"]) for f in found["fundings"]} == {("Japon", 86885.0)}


def test_a_known_organisation_and_a_named_one_are_two(extractor: Extractor) -> None:
    # en_usaid_a_ganar_central_america (batch-16): "the “A Ganar” (“To Win”) program, co-funded by USAID and the
    # Inter-American Development Bank, helps at-risk youth …"
    found, labels = read_article(extractor, "batch-16", "en_usaid_a_ganar_central_america")
    names = {o["label"] for o in found["organisations"]}
    assert "Inter-American Development Bank" in names and not any(" and " in name for name in names), names
    funders = {labels[f["funder"]] for f in found["fundings"]}
    assert funders == {"United States Agency for International Development", "Inter-American Development Bank"}


def test_an_acronym_spelled_out_in_lower_case_is_no_organisation(extractor: Extractor) -> None:
    # en_usadf_employability_nigeria (batch-01): "USADF and LSETF issued two requests for applications (RFA) …. Under
    # the 2nd RFA, USADF awarded an additional approximate $515,000 …"
    found, _ = read_article(extractor, "batch-01", "en_usadf_employability_nigeria")
    assert "RFA" not in {o["label"] for o in found["organisations"]}


def test_an_agreement_worth_nearly_a_sum_and_no_project_in_a_cost(extractor: Extractor) -> None:
    # en_adb_jfpr_skills_grant_vanuatu (batch-16): "… have signed a grant agreement worth nearly $16.5 million to
    # support Vanuatu's Skills Development Project." and "… bringing the total project cost to $19.44 million."
    found, labels = read_article(extractor, "batch-16", "en_adb_jfpr_skills_grant_vanuatu")
    stated = {(labels[f["funder"]], labels[f["funded"]], f["amount"]) for f in found["fundings"]}
    assert ("Asian Development Bank", "Skills Development Project", 16.5e6) in stated, stated
    assert not any("total" in p["label"].lower() for p in found["projects"])


def test_an_acronym_the_text_spells_out_otherwise_is_the_texts(extractor: Extractor) -> None:
    # en_adb_jfpr_skills_grant_vanuatu (batch-16): "The grant, funded by the Asian Development Fund (ADF), …": not the
    # African Development Fund the reference data calls ADF.
    found, _ = read_article(extractor, "batch-16", "en_adb_jfpr_skills_grant_vanuatu")
    names = {o["label"] for o in found["organisations"]}
    assert "Asian Development Fund" in names and "African Development Fund" not in names, names


def test_the_remaining_part_of_a_total_and_a_total_for_two_projects(extractor: Extractor) -> None:
    # en_japan_grants_schools_vietnam (batch-16): "… agreements on two grant projects with a combined value topping
    # 187,000 USD. … Of the total funding, 97,000 USD will go to the project on …. The remaining 90,345 USD will be
    # provided to construction of a dormitory at Northern Quang Nam Vocational Training School." and "Japan has
    # provided nearly 110 million USD to non-refundable aid projects for Vietnam …"
    found, labels = read_article(extractor, "batch-16", "en_japan_grants_schools_vietnam")
    stated = {(labels[f["funded"]], f["amount"]) for f in found["fundings"]}
    assert ("Construction of a dormitory at Northern Quang Nam Vocational Training School", 90345.0) in stated, stated
    assert {amount for funded, amount in stated if funded in {"Vietnam", "Viet Nam"}} == {187000.0, 110e6}, stated


def test_a_total_since_a_countrys_independence_goes_to_the_country(extractor: Extractor) -> None:
    # ar_usaid_aamal_mahalliya_shabab_zimbabwe (batch-16): "ومنذ استقلال زيمبابوي في عام 1980، ساهمت الوكالة الأميركية
    # للتنمية الدولية USAID بأكثر من 2ر3 مليار دولار في صورة مساعدات قدمتها لزيمبابوي." ("زيمبابوي" is how most write
    # "زمبابوي".)
    found, labels = read_article(extractor, "batch-16", "ar_usaid_aamal_mahalliya_shabab_zimbabwe")
    stated = {(labels[f["funded"]], f["amount"]) for f in found["fundings"]}
    assert ("زمبابوي", 3.2e9) in stated, stated


def test_a_quoted_fund_and_the_federal_government_of_a_state(extractor: Extractor) -> None:
    # fr_allemagne_fonds_education_sans_delai (batch-15): "L’Allemagne est de loin le plus grand donateur du fonds
    # «Education sans délai» …. … le gouvernement fédéral allemand déclare avoir contribué à ce Fonds à hauteur de 210
    # millions d’euros."
    found, labels = read_article(extractor, "batch-15", "fr_allemagne_fonds_education_sans_delai")
    stated = {(labels[f["funder"]], labels[f["funded"]], f["amount"]) for f in found["fundings"]}
    assert stated == {("Allemagne", "Education sans délai", 210e6)}, stated


def test_a_past_participle_ends_a_french_name(extractor: Extractor) -> None:
    # fr_aecid_g5_sahel_mauritanie (batch-02): "… du Programme d’Investissements Prioritaires présenté aux partenaires
    # par le G5 Sahel pour la période 2019-2021"
    found, _ = read_article(extractor, "batch-02", "fr_aecid_g5_sahel_mauritanie")
    names = {p["label"] for p in found["projects"]}
    assert any(n.endswith("d'Investissements Prioritaires") for n in names), names
    assert not any("présenté" in n for n in names), names


def test_an_undertaking_is_also_named_without_its_project_noun_and_its_place(extractor: Extractor) -> None:
    # fr_afd_centres_automobile_maroc (batch-17): "… Projet de création de centres de formation professionnelle dans le
    # secteur automobile à Kénitra et à Tanger": also "Création de centres … dans le secteur automobile".
    found, _ = read_article(extractor, "batch-17", "fr_afd_centres_automobile_maroc")
    names = {n for p in found["projects"] for n in (p["label"], *p["altLabels"])}
    assert "Création de centres de formation professionnelle dans le secteur automobile" in names, names


def test_a_country_in_brackets_after_a_city_only_places_it(extractor: Extractor) -> None:
    # fr_bid_trois_projets_mali_cameroun_cotedivoire (batch-17): "Ouagadougou (Burkina Faso) – La Banque islamique de
    # développement (BID) basée à Jeddah (Arabie Saoudite), vient d’approuver un financement global d’environ 65
    # millions de dollars …"
    found, labels = read_article(extractor, "batch-17", "fr_bid_trois_projets_mali_cameroun_cotedivoire")
    assert {labels[f["funder"]] for f in found["fundings"]} == {"Banque islamique de développement"}


def test_the_african_development_banks_unit_of_account_and_a_sum_restated(extractor: Extractor) -> None:
    # fr_japon_fad_salles_classe_universite_virtuelle_senegal (batch-06): "Cet accord porte sur "3.380.000 UC (unités
    # de compte) du Fonds africain de développement (FAD), l’équivalant de deux milliards 549 millions 300 mille 780
    # francs CFA"."
    found, labels = read_article(extractor, "batch-06", "fr_japon_fad_salles_classe_universite_virtuelle_senegal")
    fad = {
        (f["amount"], f["currency"])
        for f in found["fundings"]
        if labels[f["funder"]] == "Fonds africain de développement"
    }
    assert fad == {(3_380_000.0, "XUA")}, fad  # the francs CFA restate it
    assert not any("compte" in o["label"] for o in found["organisations"])


def test_a_sum_in_units_of_account_with_its_dollars_in_brackets(extractor: Extractor) -> None:
    # en_afdb_skills_employability_rwanda (batch-17): "The Bank's support comprises a grant of UA17.19 million (USD 25.3
    # million) and a loan of UA 8.42 million ( USD 12 623 264) …"
    found, _ = read_article(extractor, "batch-17", "en_afdb_skills_employability_rwanda")
    assert {(f["amount"], f["currency"]) for f in found["fundings"]} >= {(17.19e6, "XUA"), (8.42e6, "XUA")}
    assert not any(f["currency"] == "USD" for f in found["fundings"])


def test_a_debt_rescheduled_is_no_funding(extractor: Extractor) -> None:
    # fr_bidc_projets_ghana_benin_niger (batch-02): "… des financements partiels à quatre projets et rééchelonné la
    # dette de la Guinée Bissau de 3.093.480 unités de compte."
    found, _ = read_article(extractor, "batch-02", "fr_bidc_projets_ghana_benin_niger")
    assert not any(f["currency"] == "XUA" for f in found["fundings"])


def test_money_for_nothing_named_goes_to_the_action_its_purpose_names(extractor: Extractor) -> None:
    # ar_afd_qard_tashghil_kafaat_maghrib (batch-17): "وقعت الوكالة الفرنسية للتنمية اتفاقية منح قرض بقيمة 50 مليون أورو
    # رفقة وزارة المالية من أجل دعم الشغل وتنمية الكفاءات." and, next, "… كالبنك الدولي الذي سيساهم بـ100 مليون أورو،
    # والبنك الإفريقي للتنمية الذي سيساهم بـ150 مليون أورو."
    found, labels = read_article(extractor, "batch-17", "ar_afd_qard_tashghil_kafaat_maghrib")
    funded = {labels[f["funded"]] for f in found["fundings"]}
    assert funded == {"دعم الشغل وتنمية الكفاءات"}, funded
    assert {f["amount"] for f in found["fundings"]} == {50e6, 5e5, 100e6, 150e6}


def test_the_object_of_a_verb_after_its_subject_is_no_funder(extractor: Extractor) -> None:
    # ar_sunduq_kuwaiti_bunya_tahtiya_yaman (batch-17): the title "الكويت تدعم اليمن بـ1.5 مليون دولار لتحسين البنية
    # التحتية للخدمات العامة"; in "تساهم الدولة البوركينابية بمبلغ 6.841 مليار" (batch-02) the state after the verb pays.
    found, labels = read_article(extractor, "batch-17", "ar_sunduq_kuwaiti_bunya_tahtiya_yaman")
    assert {labels[f["funder"]] for f in found["fundings"]} == {"الصندوق الكويتي للتنمية الاقتصادية العربية"}
    found, labels = read_article(extractor, "batch-02", "ar_bm_riyada_aamal_kafaat_burkina")
    assert 6.841e9 in {f["amount"] for f in found["fundings"] if labels[f["funder"]] != "البنك الدولي"}


def test_an_agreement_with_no_recipient_or_country_funds_what_it_is_for(extractor: Extractor) -> None:
    # ar_kfw_taalim_fanni_misr (batch-17): "… وقعت مع بنك الائتمان لإعادة التنمية الألمانية، اتفاقية لتطوير مراكز الكفاءة فى
    # مدارس التكنولوجيا التطبيقية ومدارس التعليم الفنى بقيمة 41.5 مليون يورو ."
    found, labels = read_article(extractor, "batch-17", "ar_kfw_taalim_fanni_misr")
    funded = {labels[f["funded"]] for f in found["fundings"]}
    assert funded == {"تطوير مراكز الكفاءة فى مدارس التكنولوجيا التطبيقية ومدارس التعليم الفنى"}, funded


def test_a_name_ending_with_two_nouns_of_its_kind(extractor: Extractor) -> None:
    # en_india_school_building_nepal (batch-17): "… the total financial assistance of NRs 77.35 million by the Govt. of
    # India under its Small Development Programme Scheme …"
    found, labels = read_article(extractor, "batch-17", "en_india_school_building_nepal")
    assert ("Small Development Programme Scheme", 77.35e6, "NPR") in {
        (labels[f["funded"]], f["amount"], f["currency"]) for f in found["fundings"]
    }


def test_one_projects_money_rounded_once_is_one_funding(extractor: Extractor) -> None:
    # en_japan_dormitory_vocational_laos (batch-17): "… approved of US$ 160,000 for the construction of a dormitory for
    # the Vientiane Capital Vocational Training Centre. … with grant aid of US$160,820 for a project of the construction
    # of a dormitory for the Vientiane Capital Vocational Training Centreā …"
    found, _ = read_article(extractor, "batch-17", "en_japan_dormitory_vocational_laos")
    assert [f["amount"] for f in found["fundings"]] == [160000.0], found["fundings"]
    dormitories = [p["label"] for p in found["projects"] if "dormitory" in p["label"]]
    assert len(dormitories) == 1, dormitories
