import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Page

from community.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


def test_it_creates_confers_four_groups():
    names = set(Group.objects.values_list("name", flat=True))

    assert {"Staff", "Helpdesk", "Moderators", "Digital team"} <= names
    assert "Editors" not in names


def test_it_puts_every_new_account_in_staff(alice):
    assert list(alice.groups.values_list("name", flat=True)) == ["Staff"]


def test_it_keeps_staff_out_of_the_wagtail_admin(client, alice):
    client.force_login(alice)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert not alice.has_perm("wagtailadmin.access_admin")


@pytest.mark.parametrize("fixture", ["helen", "mo", "dita"])
def test_it_lets_helpdesk_moderators_and_digital_team_into_the_admin(client, request, fixture):
    user = request.getfixturevalue(fixture)
    client.force_login(user)

    assert client.get("/admin/").status_code == 200


def test_it_lets_only_the_digital_team_edit_and_publish_pages(alice, helen, mo, dita):
    home = HomePage.objects.get()

    for user in (alice, helen, mo):
        permissions = home.permissions_for_user(user)
        assert not permissions.can_edit()
        assert not permissions.can_add_subpage()

    permissions = home.permissions_for_user(dita)
    assert permissions.can_edit()
    assert permissions.can_publish()
    assert permissions.can_add_subpage()


def test_it_gives_the_digital_team_no_power_over_the_tree_root(dita):
    assert not Page.get_first_root_node().permissions_for_user(dita).can_add_subpage()
    assert not GroupPagePermission.objects.filter(page__depth=1, group__name="Digital team").exists()


def test_it_lets_the_digital_team_create_a_page_in_the_admin(client, dita):
    client.force_login(dita)
    home = HomePage.objects.get()

    response = client.post(
        f"/admin/pages/add/community/standardpage/{home.pk}/",
        {
            "title": "Boost your blog",
            "slug": "boost-your-blog",
            "summary": "A workshop",
            "body-count": "0",
            "tags": "blogging",
            "action-publish": "publish",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    page = StandardPage.objects.get(slug="boost-your-blog")
    assert page.live
    assert list(page.tags.names()) == ["blogging"]
