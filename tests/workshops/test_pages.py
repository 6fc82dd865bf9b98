"""The page types: where each may go, who edits them, what editors are told when a workshop does
not add up, and what the workshop index, the home page and the header show."""

import pytest
from wagtail.models import Page

from community.models import (
    BuddyNetworkPage,
    HomePage,
    StandardPage,
    WorkshopIndexPage,
    WorkshopPage,
)
from tests.conftest import make_user

from .conftest import days

pytestmark = pytest.mark.django_db


def admin_form(index, dita, **changes):
    data = {
        "title": "Boost your blog",
        "slug": "boost-your-blog",
        "summary": "Write posts colleagues want to read.",
        "start_at": "2030-03-05 10:00",
        "end_at": "2030-03-05 12:30",
        "place": "Room 4.12",
        "online_link": "",
        "host": str(dita.pk),
        "capacity": "20",
        "signup_opens_at": "",
        "signup_closes_at": "",
        "body-count": "0",
        "tags": "blogging",
        "action-publish": "publish",
    }
    data.update(changes)
    return f"/admin/pages/add/community/workshoppage/{index.pk}/", data


# --- the page tree ---------------------------------------------------------------------------------


def test_it_allows_only_sensible_parents_and_children():
    assert WorkshopIndexPage.allowed_parent_page_models() == [HomePage]
    assert WorkshopPage.allowed_parent_page_models() == [WorkshopIndexPage]
    assert WorkshopIndexPage.allowed_subpage_models() == [WorkshopPage]
    assert WorkshopPage.allowed_subpage_models() == []
    assert set(BuddyNetworkPage.allowed_parent_page_models()) == {HomePage, StandardPage}
    assert BuddyNetworkPage.allowed_subpage_models() == []
    assert WorkshopPage not in HomePage.allowed_subpage_models()
    assert WorkshopPage not in StandardPage.allowed_subpage_models()


def test_it_lets_the_digital_team_publish_a_workshop_in_the_admin(client_for, dita, index):
    url, data = admin_form(index, dita)

    response = client_for(dita).post(url, data)

    assert response.status_code == 302, response.content[:3000]
    workshop = WorkshopPage.objects.get(slug="boost-your-blog")
    assert workshop.live and workshop.capacity == 20 and workshop.host == dita
    assert list(workshop.tags.names()) == ["blogging"]
    assert workshop.schedule.sequence == 0  # first publish recorded for calendars


def test_it_lets_editors_choose_a_host_by_name_from_a_search_not_a_list_of_every_username(
    client_for, dita, alice, bob, index
):
    client = client_for(dita)
    add = client.get(f"/admin/pages/add/community/workshoppage/{index.pk}/").content.decode()
    assert 'name="host"' in add and "Choose a host" in add
    assert '<select name="host"' not in add and ">alice</option>" not in add

    results = client.get("/admin/workshops/host-chooser/results/", {"q": "archer"})
    listed = results.content.decode()  # the results fragment the modal swaps in as the editor types
    assert results.status_code == 200
    assert "Alice Archer (alice)" in listed and "Bob Baker" not in listed
    by_username = client.get("/admin/workshops/host-chooser/", {"q": "bob"}).json()["html"]
    assert "Bob Baker (bob)" in by_username and "Alice Archer" not in by_username
    chosen = client.get(f"/admin/workshops/host-chooser/chosen/{alice.pk}/").json()
    assert chosen["result"]["title"] == "Alice Archer (alice)"


def test_it_keeps_the_host_chooser_from_colleagues_without_the_admin(client_for, alice):
    response = client_for(alice).get("/admin/workshops/host-chooser/", {"q": "a"})

    assert response.status_code in (302, 403)
    assert "Alice Archer" not in response.content.decode()


def test_it_saves_the_chosen_host_and_shows_their_name_when_editing(client_for, dita, hana, alice, workshop):
    client = client_for(dita)
    page = client.get(f"/admin/pages/{workshop.pk}/edit/").content.decode()
    assert "Hana Host (hana)" in page
    url, data = admin_form(workshop.get_parent(), dita, host=str(alice.pk), slug=workshop.slug, title=workshop.title)

    response = client.post(f"/admin/pages/{workshop.pk}/edit/", data)

    assert response.status_code == 302, response.content[:3000]
    assert WorkshopPage.objects.get(pk=workshop.pk).host == alice
    assert "Alice Archer (alice)" in client.get(f"/admin/pages/{workshop.pk}/edit/").content.decode()


def test_it_refuses_a_host_who_has_left(client_for, dita, alice, workshop):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    url, data = admin_form(workshop.get_parent(), dita, host=str(alice.pk), slug=workshop.slug, title=workshop.title)

    response = client_for(dita).post(f"/admin/pages/{workshop.pk}/edit/", data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert WorkshopPage.objects.get(pk=workshop.pk).host.username == "hana"


def test_it_keeps_staff_from_editing_or_adding_any_page(alice, workshop, index):
    for page in (HomePage.objects.get(), index, workshop):
        permissions = page.permissions_for_user(alice)
        assert not permissions.can_edit()
        assert not permissions.can_add_subpage()
        assert not permissions.can_publish()


def test_it_lets_the_digital_team_edit_and_publish_workshop_pages(dita, workshop, index):
    for page in (index, workshop):
        assert page.permissions_for_user(dita).can_edit()
        assert page.permissions_for_user(dita).can_publish()
    assert index.permissions_for_user(dita).can_add_subpage()
    assert dita.has_perm("community.manage_workshops")


def test_it_gives_staff_no_admin_form_to_post(client_for, alice, dita, index):
    url, data = admin_form(index, dita)

    response = client_for(alice).post(url, data)

    assert response.status_code in (302, 403)
    assert not WorkshopPage.objects.filter(slug="boost-your-blog").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_at": "2030-03-05 09:00"}, "The workshop must end after it starts."),
        ({"end_at": "2030-03-05 10:00"}, "The workshop must end after it starts."),
        ({"capacity": "-5"}, "A workshop needs at least 1 place."),
        ({"capacity": "0"}, "A workshop needs at least 1 place."),
        ({"capacity": "lots"}, "Enter the number of places as a whole number, like 20."),
        ({"place": "", "online_link": ""}, "Give a place, an online link, or both."),
        (
            {"signup_opens_at": "2030-03-01 09:00", "signup_closes_at": "2030-02-01 09:00"},
            "Sign-up must close after it opens.",
        ),
        ({"signup_closes_at": "2030-03-06 09:00"}, "Sign-up must close before the workshop ends."),
    ],
    ids=["end-before-start", "no-length", "negative", "zero", "not-a-number", "nowhere", "window", "late"],
)
def test_it_tells_editors_what_does_not_add_up_and_saves_nothing(client_for, dita, index, changes, message):
    url, data = admin_form(index, dita, **changes)

    response = client_for(dita).post(url, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WorkshopPage.objects.exists()


def test_it_applies_the_same_rules_to_a_draft(client_for, dita, index):
    url, data = admin_form(index, dita, end_at="2030-03-05 09:00")
    data.pop("action-publish")

    response = client_for(dita).post(url, data)

    assert "The workshop must end after it starts." in response.content.decode()
    assert not WorkshopPage.objects.exists()


# --- the workshop index ---------------------------------------------------------------------------


def test_it_lists_upcoming_workshops_soonest_first_then_past_ones(make_workshop, client_for, alice):
    make_workshop("Later", start_at=days(20), end_at=days(20, 12))
    make_workshop("Sooner", start_at=days(2), end_at=days(2, 12))
    make_workshop("Last month", start_at=days(-30), end_at=days(-30, 12))

    response = client_for(alice).get("/workshops/")

    assert [w.title for w in response.context["upcoming"]] == ["Sooner", "Later"]
    assert [w.title for w in response.context["past"]] == ["Last month"]
    page = response.content.decode()
    assert page.index("Sooner") < page.index("Later") < page.index("Past workshops") < page.index("Last month")


def test_it_filters_workshops_by_tag(make_workshop, client_for, alice):
    make_workshop("Boost your blog", tags=["blogging"])
    make_workshop("Excel for auditors", tags=["excel"])

    response = client_for(alice).get("/workshops/", {"tag": "excel"})
    unknown = client_for(alice).get("/workshops/", {"tag": "no-such-tag"})

    assert [w.title for w in response.context["upcoming"]] == ["Excel for auditors"]
    assert "Showing workshops tagged “excel”" in response.content.decode()
    assert unknown.context["upcoming"] == []
    assert "No workshops are tagged “no-such-tag”." in unknown.content.decode()


def test_it_shows_places_left_and_the_persons_own_place_in_lists(make_workshop, client_for, alice, bob):
    workshop = make_workshop(capacity=20)
    workshop.sign_up(bob)

    page = client_for(bob).get("/workshops/").content.decode()

    assert "19 of 20 places left" in page
    assert "You have a place" in page


def test_it_says_who_attended_or_had_a_place_once_a_workshop_is_over(
    make_workshop, client_for, alice, bob, charlie, hana
):
    workshop = make_workshop("Last month", capacity=2)
    for user in (alice, bob, charlie):
        workshop.sign_up(user)  # charlie waits
    WorkshopPage.objects.filter(pk=workshop.pk).update(start_at=days(-30, 10), end_at=days(-30, 12))
    workshop.refresh_from_db()
    workshop.record_attendance(hana, [workshop.signups.get(user=alice).pk])  # bob did not come

    for user, said in ((alice, "You attended"), (bob, "You had a place"), (charlie, "You were on the waiting list")):
        page = client_for(user).get(workshop.url).content.decode()
        index = client_for(user).get("/workshops/").content.decode()
        for shown in (page, index):
            assert said in shown, user
            assert "You have a place" not in shown and "You are on the waiting list" not in shown
        assert "You are number" not in page and "Leave the waiting list" not in page


def test_it_says_you_had_a_place_before_attendance_is_recorded(make_workshop, client_for, alice):
    workshop = make_workshop("Yesterday", start_at=days(-1, 10), end_at=days(-1, 12))
    workshop.signups.create(user=alice, status="confirmed")

    index = client_for(alice).get("/workshops/").content.decode()
    page = client_for(alice).get(workshop.url).content.decode()

    assert "You had a place" in index and "You had a place" in page
    assert "You attended" not in index + page and "You have a place" not in index + page


def test_it_lists_workshops_in_a_fixed_number_of_queries(
    make_workshop, client_for, alice, django_user_model, django_assert_max_num_queries
):
    people = [make_user(django_user_model, f"person{n}") for n in range(3)]
    for number in range(12):
        workshop = make_workshop(f"Workshop {number}", tags=[f"topic{number}"])
        for person in people:
            workshop.sign_up(person)
    for number in range(12):
        make_workshop(f"Old workshop {number}", start_at=days(-40 + number), end_at=days(-40 + number, 12))
    client = client_for(people[0])
    client.get("/workshops/")  # warm Wagtail's site cache

    # Constant however many workshops and sign-ups: about half are Wagtail's routing and the header.
    with django_assert_max_num_queries(22):
        response = client.get("/workshops/")
    with django_assert_max_num_queries(24):
        client.get(WorkshopPage.objects.first().url)

    assert len(response.context["upcoming"]) == 12


def test_it_hides_drafts_and_restricted_workshops_from_the_index(make_workshop, client_for, alice):
    from wagtail.models import PageViewRestriction

    make_workshop("Draft one").unpublish()
    secret = make_workshop("Secret one")
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.GROUPS).groups.set([])

    response = client_for(alice).get("/workshops/")

    assert response.context["upcoming"] == []
    assert client_for(alice).post(f"/workshops/{secret.pk}/sign-up/").status_code == 404


# --- /workshops/ and the header ---------------------------------------------------------------------


def test_it_shows_workshops_in_the_header(client_for, alice, index):
    response = client_for(alice).get("/")

    assert b'class="govuk-service-navigation__link" href="/workshops/"' in response.content


def test_it_finds_the_workshop_index_wherever_editors_put_it(client_for, alice, index):
    Page.objects.filter(pk=index.pk).update(slug="events", url_path="/home/events/")

    response = client_for(alice).get("/workshops/")

    assert response.status_code == 302
    assert response["Location"] == "/events/"


def test_it_says_so_when_there_are_no_workshops_yet(no_index, client_for, alice):
    response = client_for(alice).get("/workshops/")

    assert response.status_code == 200
    assert "The digital team has not published any workshops yet." in response.content.decode()


# --- the home page --------------------------------------------------------------------------------


def test_it_shows_upcoming_workshops_on_the_home_page(make_workshop, client_for, alice):
    make_workshop("Boost your blog", start_at=days(3), end_at=days(3, 12))
    make_workshop("Twitter for beginners", start_at=days(-3), end_at=days(-3, 12))

    response = client_for(alice).get("/")

    panel = response.content.decode().split("Upcoming workshops")[1]
    assert "Boost your blog" in panel and "Twitter for beginners" not in panel
    assert 'href="/workshops/"' in panel


# --- the buddy network ------------------------------------------------------------------------------


@pytest.fixture
def buddies(db):
    home = HomePage.objects.get()
    page = BuddyNetworkPage(title="Digital buddies", slug="digital-buddies", summary="Colleagues who help.")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def volunteers(django_user_model):
    """Three digital buddies (active help offers) and a colleague who does not volunteer."""
    from community.models import Directorate, Profile
    from skills.models import HelpOffer

    audit, finance = Directorate.objects.create(name="Audit"), Directorate.objects.create(name="Finance")
    people = {
        "marie": (audit, ["blogging", "twitter"]),
        "owen": (audit, ["excel"]),
        "tom": (finance, ["blogging"]),
        "nina": (finance, None),
    }
    for username, (directorate, topics) in people.items():
        user = make_user(django_user_model, username)
        Profile.objects.filter(user=user).update(display_name=username.title(), directorate=directorate)
        if topics:
            HelpOffer.save_for(user, role="buddy", topics=topics, capacity=2, availability="", ends_on=None)
    return people


def test_it_lists_volunteers_live_on_the_buddy_network_page(buddies, volunteers, client_for, alice):
    response = client_for(alice).get(buddies.url)

    names = [profile.display_name for profile in response.context["volunteers"]]
    assert names == ["Marie", "Owen", "Tom"]  # Nina does not volunteer
    assert "Colleagues who help." in response.content.decode()


def test_it_filters_volunteers_by_directorate_and_topic(buddies, volunteers, client_for, alice):
    client = client_for(alice)

    by_directorate = client.get(buddies.url, {"directorate": "audit"})
    by_topic = client.get(buddies.url, {"topic": "blogging"})
    both = client.get(buddies.url, {"directorate": "finance", "topic": "blogging"})
    unknown = client.get(buddies.url, {"directorate": "nowhere"})

    def names(response):
        return [profile.display_name for profile in response.context["volunteers"]]

    assert names(by_directorate) == ["Marie", "Owen"]
    assert names(by_topic) == ["Marie", "Tom"]
    assert names(both) == ["Tom"]
    assert names(unknown) == []
    assert "Nobody matches." in unknown.content.decode()


def test_it_links_a_workshops_attendees_from_its_admin_page(workshop, client_for, dita, index):
    client = client_for(dita)

    edit = client.get(f"/admin/pages/{workshop.pk}/edit/")
    listing = client.get(f"/admin/pages/{index.pk}/")

    assert edit.status_code == 200
    assert 'href="/workshops/boost-your-blog/attendees/"' in edit.content.decode()
    assert 'href="/workshops/boost-your-blog/attendees/"' in listing.content.decode()
