"""Generated code lists match the pycountry installed (ISO 3166 places, ISO 4217 currencies)."""

from __future__ import annotations

from pathlib import Path

from coopkg.codelists import ISO4217_FILE, ISO_FILE, currency_codes, generate_iso3166, generate_iso4217

ROOT = Path(__file__).resolve().parents[1]


def test_iso3166_file_is_up_to_date() -> None:
    assert (ROOT / ISO_FILE).read_text(encoding="utf-8") == generate_iso3166(), "run `coopkg codelists`"


def test_iso4217_shape_is_up_to_date() -> None:
    assert (ROOT / ISO4217_FILE).read_text(encoding="utf-8") == generate_iso4217(), "run `coopkg codelists`"


def test_currency_list_comes_from_iso4217() -> None:
    codes = currency_codes()
    assert {"EUR", "MAD", "USD", "JPY", "XOF"} <= set(codes)
    assert all(len(c) == 3 and c.isupper() for c in codes)


def test_morocco_has_twelve_regions_with_parents() -> None:
    text = generate_iso3166()
    regions = [f"<id/region/MA-{n:02d}> a coopkg:AdministrativeRegion" for n in range(1, 13)]
    assert all(r in text for r in regions)
    assert "<id/region/MA-MAR> a coopkg:Province" in text
    assert "(EH" not in text


def test_cities_file_is_up_to_date() -> None:
    from coopkg.codelists import CITIES_FILE, curated_place_labels, generate_cities

    assert (ROOT / CITIES_FILE).read_text(encoding="utf-8") == generate_cities(curated_place_labels()), (
        "run `coopkg codelists`"
    )


def test_generated_cities_leave_curated_places_and_common_words_alone() -> None:
    text = (ROOT / "data/reference/cities.ttl").read_text(encoding="utf-8")
    assert "<id/region/BJ/parakou> a coopkg:City" in text and "<id/region/SA/riyadh> a coopkg:City" in text
    assert '"المدينة"@ar' not in text  # "the city" is no name on its own
    assert "<id/region/MA/tanger>" not in text  # curated in places.ttl
