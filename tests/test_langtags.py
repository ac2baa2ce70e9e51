"""Language tags follow the script of the text they tag, decided in the model (coopkg.langtags)."""

from __future__ import annotations

import gettext

import pycountry
import pytest
from pyoxigraph import Literal

from coopkg.codelists import generate_iso3166
from coopkg.facts import DocumentInfo, Extraction, Project
from coopkg.iris import IriMinter
from coopkg.langtags import language_tag, scripts
from coopkg.terms import SKOS


@pytest.mark.parametrize(
    ("text", "context", "tag"),
    [
        ("THAMM", "ar", "und-Latn"),  # a Latin acronym in an Arabic article
        ("STED-AMT", "ar", "und-Latn"),
        ("برنامج THAMM", "ar", "ar"),  # Arabic text with an acronym in it is Arabic
        ("برنامج التكوين", "fr", "ar"),  # an Arabic name quoted in a French article
        ("Union européenne", "fr", "fr"),
        ("European Union", "en", "en"),
        ("2030", "ar", "ar"),  # no letters: nothing to contradict the context
    ],
)
def test_the_tag_follows_the_script(text: str, context: str, tag: str) -> None:
    assert language_tag(text, context) == tag


def test_labels_are_written_with_the_tag_of_their_script() -> None:
    minter = IriMinter("http://x.test/")
    document = DocumentInfo("d1", "http://x.test/id/document/d1", "d1.txt", "ar", "THAMM", "برنامج THAMM للتنقل")
    project = Project(id="http://x.test/id/project/thamm", label="THAMM", lang="ar")
    project.add_alt("برنامج THAMM", "ar")
    project.alt_labels.append(("THAMM", "fr"))  # the same text as the preferred label once retagged
    triples = Extraction(document, projects=[project]).to_triples(minter)
    labels = {
        (t.predicate, t.object) for t in triples if t.subject.value == project.id and isinstance(t.object, Literal)
    }
    assert (SKOS.prefLabel, Literal("THAMM", language="und-Latn")) in labels
    assert (SKOS.altLabel, Literal("برنامج THAMM", language="ar")) in labels
    assert (SKOS.altLabel, Literal("THAMM", language="fr")) in labels  # a French tag on Latin text stays
    titles = [t.object for t in triples if t.predicate.value.endswith("/title")]
    assert titles == [Literal("THAMM", language="und-Latn")]


def test_countries_carry_the_arabic_names_iso_codes_translates() -> None:
    text = generate_iso3166()
    arabic = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    translated = [c for c in pycountry.countries if "Arab" in scripts(arabic.gettext(c.name))]
    assert len(translated) > 240
    for country in translated:
        assert str(Literal(arabic.gettext(country.name), language="ar")) in text, country.name
    untranslated = [c for c in pycountry.countries if c not in translated]
    for country in untranslated:  # Türkiye: gettext answers the English name, which is not Arabic
        assert str(Literal(arabic.gettext(country.name), language="ar")) not in text
