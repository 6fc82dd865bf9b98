"""The same searches against the Whoosh backend and Wagtail's database backend must find the same
things (the order of equally good matches may differ; explicit orderings may not)."""

import pytest
from django.db.models import Q
from modelsearch.backends import get_search_backend
from modelsearch.backends.base import FilterFieldError, SearchFieldError
from modelsearch.query import MATCH_ALL, Not, Phrase, PlainText
from wagtail.models import Page

from community.models import Profile, StandardPage

from .conftest import day

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["default", "database"], ids=["whoosh", "database"])
def backend(request, intranet):
    return get_search_backend(request.param)


def titles(results):
    return {page.title for page in results}


def names(results):
    return {profile.display_name for profile in results}


ALL_STANDARD_PAGES = {
    "Working remotely",
    "VPN for contractors",
    "Claiming expenses",
    "Draft VPN policy",
    "Travel booking",
    "Printer troubleshooting",
    "Polisi iaith Gymraeg",
}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("vpn", {"Working remotely", "VPN for contractors", "Draft VPN policy"}),  # title, summary, tags
        ("receipts", {"Claiming expenses"}),  # body
        ("portal", {"Travel booking"}),
        ("cymraeg", {"Polisi iaith Gymraeg"}),  # tag only
        ("VPN", {"Working remotely", "VPN for contractors", "Draft VPN policy"}),  # any case
        ("nothing-like-this", set()),
    ],
)
def test_it_finds_pages_by_their_words(backend, query, expected):
    assert titles(backend.search(query, StandardPage)) == expected


def test_it_finds_page_types_through_a_search_of_all_pages(backend):
    # A search of Page must look in StandardPage's own fields (summary, body, tags) too.
    assert titles(backend.search("receipts", Page)) == {"Claiming expenses"}
    assert titles(backend.search("cymraeg", Page)) == {"Polisi iaith Gymraeg"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("auditor", {"Bob Baker", "Ann Evans"}),  # job title; Gus has left, so is not found
        ("platform", {"Dai Jones", "Eve Price"}),  # team
        ("spreadsheets", {"Bob Baker", "Fay Ng"}),  # bio
        ("digital", {"Dai Jones", "Eve Price"}),  # directorate name, through RelatedFields
        ("dai", {"Dai Jones"}),  # display name and username
        ("gone", set()),  # only in the left colleague's profile
    ],
)
def test_it_finds_people_by_name_role_team_bio_and_directorate(backend, query, expected):
    assert names(backend.search(query, Profile)) == expected


def test_it_needs_every_word_with_and_and_any_word_with_or(backend):
    assert titles(backend.search("vpn contractors", StandardPage, operator="and")) == {"VPN for contractors"}
    assert titles(backend.search("vpn contractors", StandardPage, operator="or")) == {
        "Working remotely",
        "VPN for contractors",
        "Draft VPN policy",
    }
    assert titles(backend.search("printer hotels", StandardPage, operator="and")) == set()
    assert titles(backend.search("printer hotels", StandardPage, operator="or")) == {
        "Printer troubleshooting",
        "Travel booking",
    }


def test_it_matches_a_phrase_only_in_that_order(backend):
    assert titles(backend.search(Phrase("travel portal"), StandardPage)) == {"Travel booking"}
    assert titles(backend.search(Phrase("portal travel"), StandardPage)) == set()


def test_it_combines_query_objects(backend):
    vpn_not_contractors = PlainText("vpn") & ~PlainText("contractors")
    assert titles(backend.search(vpn_not_contractors, StandardPage)) == {"Working remotely", "Draft VPN policy"}
    assert titles(backend.search(PlainText("printer") | PlainText("hotels"), StandardPage)) == {
        "Printer troubleshooting",
        "Travel booking",
    }
    assert titles(backend.search(Not(PlainText("vpn")), StandardPage)) == ALL_STANDARD_PAGES - {
        "Working remotely",
        "VPN for contractors",
        "Draft VPN policy",
    }
    assert titles(backend.search(MATCH_ALL, StandardPage)) == ALL_STANDARD_PAGES


def test_it_searches_only_the_fields_asked_for(backend):
    # "Working remotely" mentions the VPN in its summary and tags, not its title.
    assert titles(backend.search("vpn", StandardPage, fields=["title"])) == {"VPN for contractors", "Draft VPN policy"}
    with pytest.raises(SearchFieldError):
        backend.search("vpn", StandardPage, fields=["path"])


VPN_LIVE = {"Working remotely", "VPN for contractors"}
FILTER_CASES = {
    "live": (lambda: StandardPage.objects.live(), "vpn", VPN_LIVE),
    "not live": (lambda: StandardPage.objects.filter(live=False), MATCH_ALL, {"Draft VPN policy"}),
    "startswith": (lambda: StandardPage.objects.filter(title__startswith="VPN"), MATCH_ALL, {"VPN for contractors"}),
    "exclude": (
        lambda: StandardPage.objects.exclude(title="Working remotely"),
        "vpn",
        {"VPN for contractors", "Draft VPN policy"},
    ),
    "or": (
        lambda: StandardPage.objects.filter(Q(title="Travel booking") | Q(title="Printer troubleshooting")),
        MATCH_ALL,
        {"Travel booking", "Printer troubleshooting"},
    ),
    "in": (
        lambda: StandardPage.objects.filter(title__in=["Travel booking", "Claiming expenses"]),
        "travel",
        {"Travel booking", "Claiming expenses"},
    ),
    "date gte": (
        lambda: StandardPage.objects.filter(first_published_at__gte=day(4)),
        MATCH_ALL,
        {"Travel booking", "Printer troubleshooting", "Polisi iaith Gymraeg"},
    ),
    "date lt": (lambda: StandardPage.objects.filter(first_published_at__lt=day(2)), MATCH_ALL, {"Working remotely"}),
    "date range": (
        lambda: StandardPage.objects.filter(first_published_at__range=(day(2), day(3))),
        MATCH_ALL,
        {"VPN for contractors", "Claiming expenses"},
    ),
    "isnull": (
        lambda: StandardPage.objects.filter(first_published_at__isnull=True),
        MATCH_ALL,
        {"Draft VPN policy"},
    ),
    "year": (lambda: StandardPage.objects.filter(first_published_at__year=2024), "vpn", VPN_LIVE),
    "type and depth": (
        lambda: Page.objects.filter(depth=3).type(StandardPage),
        "printer",
        {"Printer troubleshooting"},
    ),
    "descendant of": (lambda: Page.objects.live().descendant_of(Page.objects.get(depth=2)), "vpn", VPN_LIVE),
    "none": (lambda: StandardPage.objects.none(), "vpn", set()),
}


@pytest.mark.parametrize("case", FILTER_CASES)
def test_it_filters_what_it_finds(backend, case):
    queryset, query, expected = FILTER_CASES[case]
    assert titles(backend.search(query, queryset())) == expected


def test_it_filters_people_by_directorate(backend, intranet):
    audit = intranet["directorates"]["audit"]
    assert names(backend.search("auditor", Profile.objects.filter(directorate=audit))) == {"Bob Baker", "Ann Evans"}
    assert names(backend.search("spreadsheets", Profile.objects.filter(directorate__isnull=True))) == {"Fay Ng"}
    assert names(backend.search("spreadsheets", Profile.objects.exclude(directorate=audit))) == {"Fay Ng"}


def test_it_refuses_to_filter_on_a_field_it_does_not_index(backend):
    with pytest.raises(FilterFieldError):
        list(backend.search("vpn", StandardPage.objects.filter(summary="x")))


def test_it_counts_what_it_finds(backend):
    assert backend.search("vpn", StandardPage).count() == 3
    assert backend.search("vpn", StandardPage.objects.live()).count() == 2
    assert backend.search(MATCH_ALL, StandardPage).count() == 7
    assert backend.search("auditor", Profile).count() == 2
    assert backend.search("nothing-like-this", StandardPage).count() == 0


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        (
            "title",
            [
                "Claiming expenses",
                "Polisi iaith Gymraeg",
                "Printer troubleshooting",
                "Travel booking",
                "VPN for contractors",
                "Working remotely",
            ],
        ),
        (
            "-first_published_at",
            [
                "Polisi iaith Gymraeg",
                "Printer troubleshooting",
                "Travel booking",
                "Claiming expenses",
                "VPN for contractors",
                "Working remotely",
            ],
        ),
    ],
)
def test_it_orders_by_a_field_when_asked(backend, ordering, expected):
    pages = StandardPage.objects.live().order_by(ordering)
    assert [page.title for page in backend.search(MATCH_ALL, pages, order_by_relevance=False)] == expected


def test_it_orders_search_hits_by_a_field_from_the_queryset_api(backend):
    pages = StandardPage.objects.live().search("vpn", order_by="-first_published_at", backend=backend_name(backend))
    assert [page.title for page in pages] == ["VPN for contractors", "Working remotely"]


def backend_name(backend):
    return "database" if "SQLite" in type(backend).__name__ else "default"


def test_it_slices_results_into_pages(backend):
    pages = StandardPage.objects.live().order_by("title")
    results = backend.search(MATCH_ALL, pages, order_by_relevance=False)
    everything = [page.title for page in results]
    assert [page.title for page in results[0:2]] == everything[0:2]
    assert [page.title for page in results[2:4]] == everything[2:4]
    assert [page.title for page in results[4:10]] == everything[4:]
    assert results[1].title == everything[1]
    assert results[2:4].count() == 2
    assert results[4:10].count() == 2


def test_it_completes_words_as_they_are_typed(backend):
    assert names(backend.autocomplete("ev", Profile)) == {"Eve Price", "Ann Evans"}
    assert names(backend.autocomplete("bob ba", Profile)) == {"Bob Baker"}
    assert titles(backend.autocomplete("prin", StandardPage)) == {"Printer troubleshooting"}
    assert titles(backend.autocomplete("zzz", StandardPage)) == set()


def test_it_counts_values_for_facets(backend, intranet):
    audit, digital = intranet["directorates"]["audit"], intranet["directorates"]["digital"]
    facet = backend.search("assurance platform", Profile, operator="or").facet("directorate_id")
    assert dict(facet) == {audit.pk: 2, digital.pk: 2}
    assert dict(backend.search(MATCH_ALL, StandardPage).facet("live")) == {True: 6, False: 1}


def test_it_annotates_each_hit_with_its_score(backend):
    results = list(backend.search("vpn", StandardPage).annotate_score("relevance"))
    assert len(results) == 3
    assert all(isinstance(page.relevance, float) for page in results)
