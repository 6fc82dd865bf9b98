"""Roles are permissions: whoever holds one may act, whatever their group is called.

Each role action is done, through the site where it has a page, by someone whose only power is that
one permission, held in a group with another name than Helpdesk, Moderators or Digital team; without
the permission the same person is refused. Renaming the groups changes nothing for their members.
"""

import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.users.forms import GroupForm

from community.models import HomePage, WorkshopIndexPage, WorkshopPage
from ideas.models import Campaign, Idea, IdeaBenefit, IdeaMerge
from qa.models import Answer, Flag, Question
from tests.conftest import make_user
from tests.ideas.conftest import submit
from tests.qa.conftest import answer, ask

pytestmark = pytest.mark.django_db


def later(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# --- the role actions: each does one thing as ``user`` and says whether it happened ----------------


def verify_an_answer(client, user, alice, bob):
    reply = answer(ask(alice), bob)
    client.post(f"/qa/answers/{reply.pk}/verify/", {"review_by": later(90)})
    return Answer.objects.get(pk=reply.pk).verified_by == user


def close_a_question(client, user, alice, bob):
    question = ask(alice)
    client.post(f"/qa/questions/{question.pk}/close/", {"reason": "resolved"})
    return Question.objects.get(pk=question.pk).closed_by == user


def edit_someone_elses_answer(client, user, alice, bob):
    reply = answer(ask(alice), bob)
    client.post(f"/qa/answers/{reply.pk}/edit/", {"body": "Restart it twice, then call us."})
    return Answer.objects.get(pk=reply.pk).body == "Restart it twice, then call us."


def open_the_helpdesk_queue(client, user, alice, bob):
    ask(alice, title="Printer on floor 3 jams")
    response = client.get("/qa/helpdesk/")
    return response.status_code == 200 and "Printer on floor 3 jams" in response.content.decode()


def hide_a_post(client, user, alice, bob):
    question = ask(alice)
    client.post(f"/qa/questions/{question.pk}/hide/", {"action": "hide"})
    return Question.objects.get(pk=question.pk).hidden_by == user


def see_a_hidden_post(client, user, alice, bob):
    question = ask(alice)
    Question.objects.filter(pk=question.pk).update(is_hidden=True)
    return client.get(question.get_absolute_url()).status_code == 200


def decide_a_flag(client, user, alice, bob):
    # The moderation queue's buttons call this same method.
    question = ask(alice)
    flag = question.flag(bob, Flag.Reason.SPAM)
    try:
        Flag.decide(user, question, "dismiss")
    except PermissionDenied:
        return False
    return Flag.objects.get(pk=flag.pk).resolved_by == user


def set_an_idea_status(client, user, alice, bob):
    idea = submit(alice)
    client.post(f"/ideas/ideas/{idea.pk}/status/", {"status": "planned", "response": "We will trial it in April."})
    return Idea.objects.get(pk=idea.pk).status == "planned"


def merge_ideas_and_undo_the_merge(client, user, alice, bob):
    original, duplicate = submit(alice), submit(bob, title="Meeting rooms in Outlook")
    client.post(f"/ideas/ideas/{duplicate.pk}/merge/", {"target": str(original.pk)})
    merge = IdeaMerge.objects.filter(source=duplicate).first()
    if merge is None or merge.merged_by != user:
        return False
    client.post(f"/ideas/merges/{merge.pk}/undo/")
    return IdeaMerge.objects.get(pk=merge.pk).undone_by == user


def start_a_campaign(client, user, alice, bob):
    data = {"title": "What should we change after the Autumn Statement?", "description": "Ideas to save money.",
            "opens_on": later(0), "closes_on": later(14)}  # fmt: skip
    client.post("/ideas/campaigns/new/", data)
    return Campaign.objects.filter(created_by=user).exists()


def record_a_benefit(client, user, alice, bob):
    idea = submit(alice)
    Idea.objects.filter(pk=idea.pk).update(status="implemented", implemented_at=timezone.now())
    data = {"estimated_hours_per_year": "400", "realised_hours_per_year": "", "estimated_money_per_year": "",
            "realised_money_per_year": "", "evidence": ""}  # fmt: skip
    client.post(f"/ideas/ideas/{idea.pk}/benefit/", data)
    return IdeaBenefit.objects.filter(idea=idea, recorded_by=user).exists()


def manage_workshop_attendees(client, user, alice, bob):
    # Through the model: the attendee pages call can_manage and record_attendance too.
    index = WorkshopIndexPage(title="Workshops", slug="workshops")
    HomePage.objects.get().add_child(instance=index)
    now, week = timezone.now(), datetime.timedelta(days=7)
    workshop = WorkshopPage(title="Boost your blog", host=alice, summary="Write posts colleagues want to read.",
                            start_at=now + week, end_at=now + week + datetime.timedelta(hours=2), place="Room 4.12",
                            capacity=20)  # fmt: skip
    index.add_child(instance=workshop)
    place = workshop.sign_up(bob)
    WorkshopPage.objects.filter(pk=workshop.pk).update(
        start_at=now - datetime.timedelta(hours=1), end_at=now + datetime.timedelta(hours=1)
    )
    workshop = WorkshopPage.objects.get(pk=workshop.pk)
    if not workshop.can_manage(user):
        return False
    workshop.record_attendance(user, [place.pk])
    return type(place).objects.get(pk=place.pk).attended is True


# (permission, the action, the named users whose groups hold it from the migrations)
ROLE_ACTIONS = [
    ("qa.verify_answer", verify_an_answer, ["helen"]),
    ("qa.close_question", close_a_question, ["helen", "mo"]),
    ("qa.edit_any_post", edit_someone_elses_answer, ["helen"]),
    ("qa.work_helpdesk_queue", open_the_helpdesk_queue, ["helen"]),
    ("qa.moderate_posts", hide_a_post, ["mo"]),
    ("qa.moderate_posts", see_a_hidden_post, ["mo"]),
    ("community.moderate_content", decide_a_flag, ["mo"]),
    ("ideas.set_idea_status", set_an_idea_status, ["mo"]),
    ("ideas.merge_ideas", merge_ideas_and_undo_the_merge, ["mo"]),
    ("ideas.run_campaigns", start_a_campaign, ["mo", "dita"]),
    ("ideas.record_benefit", record_a_benefit, ["mo", "dita"]),
    ("community.manage_workshops", manage_workshop_attendees, ["dita"]),
]
PERMISSIONS = {perm for perm, _, _ in ROLE_ACTIONS}
ACTIONS = pytest.mark.parametrize(
    ("perm", "action"),
    [(perm, action) for perm, action, _ in ROLE_ACTIONS],
    ids=lambda value: getattr(value, "__name__", value),
)


def permission(name):
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def member_of(group_name, *permissions, username="pat"):
    """A new account in a group of that name holding just those permissions."""
    group = Group.objects.create(name=group_name)
    group.permissions.add(*(permission(name) for name in permissions))
    user = make_user(get_user_model(), username)
    user.groups.add(group)
    return user


@ACTIONS
def test_anyone_holding_the_permission_can_act_whatever_their_group_is_called(client_for, alice, bob, perm, action):
    pat = member_of("Service improvement", perm)

    assert action(client_for(pat), pat, alice, bob)


@ACTIONS
def test_without_the_permission_the_same_person_is_refused(client_for, alice, bob, perm, action):
    others = PERMISSIONS - {perm}
    pat = member_of("Service improvement", *others, "wagtailadmin.access_admin")

    assert not action(client_for(pat), pat, alice, bob)


@pytest.mark.parametrize(
    ("holder", "action"),
    [(holder, action) for _, action, holders in ROLE_ACTIONS for holder in holders],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_renaming_the_groups_changes_nothing(client_for, request, alice, bob, holder, action):
    user = request.getfixturevalue(holder)
    for old, new in [("Helpdesk", "IT service desk"), ("Moderators", "Community team"), ("Digital team", "Web")]:
        Group.objects.filter(name=old).update(name=new)
    user = get_user_model().objects.get(pk=user.pk)

    assert action(client_for(user), user, alice, bob)


def question_page(alice, bob):
    question = ask(alice)
    reply = answer(question, bob)
    return question.get_absolute_url(), {"question": question.pk, "answer": reply.pk}


def idea_page(alice, bob):
    idea = submit(alice)
    Idea.objects.filter(pk=idea.pk).update(status="implemented", implemented_at=timezone.now())
    return idea.get_absolute_url(), {"idea": idea.pk}


# (permission, the page, the link or form that page shows to holders only)
ROLE_CONTROLS = [
    ("qa.verify_answer", question_page, "/qa/answers/{answer}/verify/"),
    ("qa.close_question", question_page, "/qa/questions/{question}/close/"),
    ("qa.edit_any_post", question_page, "/qa/answers/{answer}/edit/"),
    ("qa.moderate_posts", question_page, "/qa/questions/{question}/hide/"),
    ("qa.moderate_posts", question_page, "/qa/answers/{answer}/hide/"),
    ("qa.work_helpdesk_queue", question_page, "/qa/helpdesk/"),
    ("qa.work_helpdesk_queue", lambda alice, bob: ("/qa/", {}), "/qa/helpdesk/"),
    ("ideas.set_idea_status", idea_page, "/ideas/ideas/{idea}/status/"),
    ("ideas.merge_ideas", idea_page, "/ideas/ideas/{idea}/merge/"),
    ("ideas.record_benefit", idea_page, "/ideas/ideas/{idea}/benefit/"),
    ("ideas.run_campaigns", lambda alice, bob: ("/ideas/", {}), "/ideas/campaigns/new/"),
    ("ideas.run_campaigns", lambda alice, bob: ("/ideas/campaigns/", {}), "/ideas/campaigns/new/"),
]


@pytest.mark.parametrize(("perm", "page", "control"), ROLE_CONTROLS, ids=[c for _, _, c in ROLE_CONTROLS])
def test_pages_offer_a_role_action_to_whoever_holds_the_permission(
    client_for, alice, bob, charlie, perm, page, control
):
    pat = member_of("Service improvement", perm)
    url, pks = page(alice, bob)
    link = f'"{control.format(**pks)}"'

    assert link in client_for(pat).get(url).content.decode()
    assert link not in client_for(charlie).get(url).content.decode()


class FormFields(HTMLParser):
    """What a browser would submit from the form posting to ``action``, as it stands."""

    def __init__(self, action):
        super().__init__()
        self.action, self.inside, self.data = action, False, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
        elif self.inside and tag == "input" and attrs.get("name") and "__prefix__" not in attrs["name"]:
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.data.append((attrs["name"], attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def test_renaming_the_helpdesk_in_the_admin_changes_nothing(client_for, helen, alice, bob):
    boss = make_user(get_user_model(), "boss", is_superuser=True)
    helpdesk = Group.objects.get(name="Helpdesk")
    held = set(helpdesk.permissions.all())
    edit = f"/admin/groups/edit/{helpdesk.pk}/"
    form = FormFields(edit)
    form.feed(client_for(boss).get(edit).content.decode())
    data = {}
    for name, value in form.data:
        data.setdefault(name, []).append(value)
    data["name"] = ["IT service desk"]

    response = client_for(boss).post(edit, data)

    assert response.status_code == 302
    helpdesk.refresh_from_db()
    assert (helpdesk.name, set(helpdesk.permissions.all())) == ("IT service desk", held)
    helen = get_user_model().objects.get(pk=helen.pk)
    for action in (verify_an_answer, close_a_question, edit_someone_elses_answer, open_the_helpdesk_queue):
        assert action(client_for(helen), helen, alice, bob), action.__name__


def test_the_admin_offers_every_role_permission_to_any_group():
    offered = {f"{p.content_type.app_label}.{p.codename}" for p in GroupForm().fields["permissions"].queryset}

    assert PERMISSIONS <= offered


def test_people_who_may_see_a_hidden_post_are_found_by_permission(alice, bob, charlie, django_assert_num_queries):
    keeper = member_of("Community team", "qa.moderate_posts", username="keeper")
    away = member_of("Former moderators", "qa.moderate_posts", username="away")
    away.is_active = False
    away.save(update_fields=["is_active"])
    boss = make_user(get_user_model(), "boss", is_superuser=True)
    question = ask(alice)
    question.hide(keeper)

    with django_assert_num_queries(1):
        audience = question.who_can_see({alice.pk, bob.pk, charlie.pk, keeper.pk, away.pk, boss.pk})

    assert audience == {alice.pk, keeper.pk, boss.pk}


def test_no_runtime_code_names_a_group():
    # Group names belong in migrations (which give the permissions) and in demo data only.
    names = ['"Helpdesk"', '"Moderators"', '"Digital team"', "'Helpdesk'", "'Moderators'", "'Digital team'"]
    offenders = []
    for app in ("community", "qa", "ideas", "skills", "intranet"):
        for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
            if "migrations" in path.parts or path.name == "demo.py":
                continue
            text = path.read_text()
            offenders += [f"{path.relative_to(settings.BASE_DIR)}: {name}" for name in names if name in text]

    assert offenders == []
