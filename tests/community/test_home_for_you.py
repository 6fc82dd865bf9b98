"""The home page leads with one search box and "Ask a question", then what is for this person:
answers to their questions, open campaigns, their upcoming workshops; then what is new everywhere.
Every page carries a search box in its header. The page costs the same however much there is."""

import re

import pytest
from wagtail import hooks

from community import hooks as confer_hooks
from community.hooks import HomePanel
from community.models import HomePage, WorkshopIndexPage, WorkshopPage
from tests.ideas.conftest import open_campaign
from tests.qa.conftest import answer, ask
from tests.workshops.conftest import days

pytestmark = pytest.mark.django_db


def workshop(title, host, *, capacity=5):
    index = WorkshopIndexPage.objects.first()
    if index is None:
        index = HomePage.objects.get().add_child(instance=WorkshopIndexPage(title="Workshops", slug="workshops"))
    page = WorkshopPage(title=title, summary="Learn it.", start_at=days(3), end_at=days(3, 12), place="Room 1",
                        capacity=capacity, host=host)  # fmt: skip
    index.add_child(instance=page)
    page.save_revision().publish()
    return WorkshopPage.objects.get(pk=page.pk)


def main_column(html: str) -> str:
    return html.split('id="main-content"')[1]


def test_it_leads_with_one_search_box_and_ask_a_question(client_for, alice):
    html = main_column(client_for(alice).get("/").content.decode())

    first_panel = html.find("<section")
    assert html.count('role="search"') == 1
    assert 0 < html.find('action="/search/"') < html.find('href="/qa/ask/"') < first_panel
    assert ">Ask a question</a>" in html
    assert '<label class="govuk-label govuk-label--m" for="home-search">What do you need help with?</label>' in html


def test_it_puts_answers_to_your_questions_first_and_only_yours(client_for, alice, bob):
    mine = ask(alice, title="How do I claim travel expenses?", tags=["expenses"])
    answer(mine, bob)
    ask(alice, title="Nobody has answered this one yet", tags=["vpn"])
    theirs = ask(bob, title="Where is the printer on floor 3?", tags=["printers"])
    answer(theirs, alice)

    html = main_column(client_for(alice).get("/").content.decode())
    panel = html.split('id="panel-answers-to-your-questions"')[1].split("</section>")[0]

    assert "How do I claim travel expenses?" in panel
    assert "Nobody has answered this one yet" not in panel
    assert "Where is the printer on floor 3?" not in panel
    assert html.find("answers-to-your-questions") < html.find('id="panel-recent-questions"')


def test_it_shows_the_latest_from_what_you_follow_as_links_that_open_them(client_for, alice, bob):
    from taggit.models import Tag

    from community.listening.follows import follow
    from community.listening.models import Notification

    follow(alice, Tag.objects.create(name="excel", slug="excel"))
    ask(bob, title="Pivot tables keep breaking", tags=["excel"])
    notification = Notification.objects.get(recipient=alice)

    html = client_for(alice).get("/").content.decode()
    panel = html.split('id="panel-from-what-you-follow"')[1].split("</section>")[0]

    assert "Pivot tables keep breaking" in panel
    assert f'href="{notification.get_absolute_url()}"'.replace("&", "&amp;") in panel
    notification.refresh_from_db()
    assert notification.read_at is None  # showing it is not reading it


def test_it_leaves_out_personal_panels_with_nothing_for_you(client_for, charlie):
    html = client_for(charlie).get("/").content.decode()

    assert "panel-answers-to-your-questions" not in html
    assert "panel-your-workshops" not in html
    assert "panel-open-campaigns" not in html
    assert "panel-from-what-you-follow" not in html
    assert 'id="panel-recent-questions"' in html


def test_it_shows_open_campaigns_and_your_upcoming_workshops(client_for, alice, bob, mo):
    open_campaign(mo, title="What should we change after the Autumn Statement?")
    yours = workshop("Write for the web", mo)
    yours.sign_up(alice)
    workshop("Not yours", mo)

    html = client_for(alice).get("/").content.decode()
    campaigns = html.split('id="panel-open-campaigns"')[1].split("</section>")[0]
    mine = html.split('id="panel-your-workshops"')[1].split("</section>")[0]

    assert "What should we change after the Autumn Statement?" in campaigns
    assert "Write for the web" in mine and "Not yours" not in mine
    assert "panel-your-workshops" not in client_for(bob).get("/").content.decode()


def test_it_still_takes_panels_from_the_hook(client_for, alice):
    def extra():
        return HomePanel(key="extra", title="Something for you", items=lambda request: [],
                         template="community/includes/home_followed_tags.html", personal=True)  # fmt: skip

    with hooks.register_temporarily(confer_hooks.HOME_PANELS, extra):
        html = client_for(alice).get("/").content.decode()

    assert 'id="panel-extra"' in html
    assert html.find('id="panel-extra"') < html.find('id="panel-recent-questions"')


@pytest.mark.parametrize("path", ["/", "/qa/", "/ideas/", "/people/", "/notifications/"])
def test_it_puts_a_search_box_in_the_header_of_every_page(client_for, alice, path):
    html = client_for(alice).get(path).content.decode()

    header = html.split('role="banner"')[1].split("</header>")[0]
    assert re.search(r'<form class="confer-header__search" method="get" action="/search/" role="search"', header)
    assert '<label class="govuk-visually-hidden" for="header-search">Search Confer</label>' in header


def test_it_shows_no_search_box_to_someone_signed_out(client):
    assert "header-search" not in client.get("/accounts/login/").content.decode()


def _fill(alice, bob, mo, count):
    from taggit.models import Tag

    from community.listening.follows import follow

    follow(alice, Tag.objects.get_or_create(name="vpn", slug="vpn")[0])
    open_campaign(mo, title=f"Campaign {count}")
    for number in range(count):
        question = ask(alice, title=f"Question number {number} about the VPN", tags=["vpn", f"topic{number}"])
        answer(question, bob)
        ask(bob, title=f"Another VPN question {number}", tags=["vpn"])
        workshop(f"Workshop {count}-{number}", mo).sign_up(alice)


@pytest.mark.parametrize("count", [2, 8])
def test_it_costs_the_same_queries_however_much_is_for_you(
    client_for, alice, bob, mo, count, django_assert_max_num_queries
):
    _fill(alice, bob, mo, count)
    client = client_for(alice)
    client.get("/")  # warm Wagtail's site cache

    # A query or two per panel, whatever the data: the personal ones (answers to your questions with
    # their tags, open campaigns, your workshops and your places there) and the others.
    with django_assert_max_num_queries(HOME_QUERIES):
        response = client.get("/")

    assert response.status_code == 200
    assert len(response.context["personal_panels"]) == 4


HOME_QUERIES = 33
