import pytest
from django.core.exceptions import ValidationError
from taggit.models import Tag

from community.models import HomePage, StandardPage
from community.tags import clean_tag_names

pytestmark = pytest.mark.django_db


def test_it_normalises_tag_names():
    assert clean_tag_names(["  Excel ", "excel", "Office   365", "C#", ".net", "Cymraeg ŵ", "数据"]) == [
        "excel", "office 365", "c#", ".net", "cymraeg ŵ", "数据",
    ]  # fmt: skip


@pytest.mark.parametrize("bad", ["<b>vpn</b>", 'vpn"onmouseover', "a/b", "x" * 51, "-leading", "..net", "a\x00b"])
def test_it_refuses_tags_with_markup_or_odd_characters(bad):
    with pytest.raises(ValidationError):
        clean_tag_names([bad])


def test_it_limits_the_number_of_tags():
    with pytest.raises(ValidationError, match="5 tags or fewer"):
        clean_tag_names(["a", "b", "c", "d", "e", "f"], max_tags=5)


def add_page(title, tags, live=True):
    home = HomePage.objects.get()
    page = StandardPage(title=title, slug=title.lower().replace(" ", "-"), live=live)
    home.add_child(instance=page)
    page.tags.add(*tags)
    page.save()
    return page


def test_it_shows_everything_with_a_tag_on_its_page(alice_client):
    add_page("Working remotely", ["vpn"])
    add_page("Expenses guide", ["expenses"])
    add_page("Draft VPN notes", ["vpn"], live=False)

    response = alice_client.get("/tags/vpn/")

    assert response.status_code == 200
    assert b"Working remotely" in response.content
    assert b"Expenses guide" not in response.content
    assert b"Draft VPN notes" not in response.content


def test_it_lists_the_vocabulary(alice_client):
    add_page("Working remotely", ["vpn", "remote working"])

    response = alice_client.get("/tags/")

    assert b'href="/tags/vpn/"' in response.content
    assert b'href="/tags/remote-working/"' in response.content


def test_it_returns_404_for_an_unknown_tag(alice_client):
    assert alice_client.get("/tags/no-such-tag/").status_code == 404


def test_it_shares_one_vocabulary_across_content_types():
    add_page("Working remotely", ["VPN"])
    add_page("VPN troubleshooting", ["vpn"])

    assert Tag.objects.filter(name__iexact="vpn").count() == 1
