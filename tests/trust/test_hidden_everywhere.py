"""Hidden and restricted content stays out of every place content is listed: one table.

Each row of ``SURFACES`` is a list page, feed, email or export, the person reading it, and the
kinds of content it shows. For each kind, the hidden (or group-restricted) item's words must not
appear for a colleague who may not see it, and a visible item of the same kind, made the same way,
must appear: without that control a cell would pass on a page that lists nothing. ``INTENDED``
says where the author, a moderator or a member of the group do see what was hidden.

The kinds: a question hidden by a moderator, an answer hidden by a moderator, an idea hidden by a
moderator, a comment removed by a moderator, a workshop whose page is restricted to one group, a
listening post item's note shared with named colleagues only, and a question, an idea and a
workshop posted in an invite-only community, read by a colleague who is not a member of it (their
controls are posted in an open community, so they are listed everywhere). A moderator who is not a
member of the invite-only community does not see its posts listed either (they open one only from a
flag).

The world is built once for the module on a real Whoosh index (search must really look), inside a
transaction rolled back afterwards.
"""

import re
from dataclasses import dataclass, field

import django_comments
import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from wagtail.models import PageViewRestriction

from community.listening.follows import follow
from community.listeningpost.models import ItemShare, ListeningItem, ListeningSource
from community.models import (
    CalendarFeed,
    Community,
    EmailFrequency,
    HomePage,
    ListeningPreferences,
    WorkshopIndexPage,
    WorkshopPage,
)
from ideas.models import Idea
from qa.models import Question
from tests.conftest import make_user, named_user, rolled_back
from tests.listening.conftest import wants_email
from tests.workshops.conftest import days

pytestmark = pytest.mark.django_db

# The words each item is recognised by: hidden ones, and their visible controls.
ITEMS = {
    "question": ("Zanzibar printer jams", "Visible printer jams"),
    "answer": ("Quokkatoner", "Visibletoner"),
    "idea": ("Okapi duplex idea", "Visible duplex idea"),
    "comment": ("Wombatremark", "Visibleremark"),
    "workshop": ("Narwhal printing masterclass", "Public printing masterclass"),
    # A listening post item's note shared with named colleagues (bob) against one shared with a tag.
    "shared note": ("Platypusnote", "Visiblenote"),
    "community question": ("Capybara printer jams", "Community printer jams"),
    "community idea": ("Capybara duplex idea", "Community duplex idea"),
    "community workshop": ("Capybara printing masterclass", "Community printing masterclass"),
}
CQ, CI, CW = "community question", "community idea", "community workshop"


@dataclass(frozen=True)
class Surface:
    name: str
    reader: str  # who reads it: charlie (staff), helen (helpdesk), the author alice, mo...
    read: object  # (world, client) -> text, or a path with {placeholders} from the world
    kinds: tuple  # the kinds of ITEMS it lists
    words: dict = field(default_factory=dict)  # kind -> (hidden, control) when not ITEMS' own

    def __str__(self):
        return self.name


def _get(path):
    def read(world, client):
        response = client.get(path.format(**world))
        assert response.status_code == 200, (path, response.status_code)
        return response.content.decode()

    return read


def _search(query, extra=""):
    return _get(f"/search/?q={query}{extra}")


def _found_through_answers(world, client):
    """A question is found through its answers' words: never through a hidden answer's."""
    found = {words: "Visible printer answered" in _search(words.lower())(world, client) for words in ITEMS["answer"]}
    return " ".join(words for words, hit in found.items() if hit)


def _digest(world, client):
    mail.outbox.clear()
    call_command("send_digests", verbosity=0)
    return "\n".join(_email_text(m) for m in mail.outbox if "charlie@example.org" in m.to)


def _emails_to_bob(world, client):
    return "\n".join(_email_text(m) for m in world["emails_to_bob"])


def _email_text(message):
    parts = [message.subject, message.body] + [content for content, _ in getattr(message, "alternatives", [])]
    return "\n".join(parts)


def _insight(world, client):
    page = _get("/insight/")(world, client)
    keys = sorted(set(re.findall(r"/insight/csv/([\w-]+)\.csv", page)))
    assert keys, "the dashboard links its CSVs"
    csvs = [client.get(f"/insight/csv/{key}.csv").content.decode() for key in keys]
    return page + "\n".join(csvs)


# Where the visible control is another item than ITEMS' own.
ANSWERED = {"question": (ITEMS["question"][0], "Visible printer answered")}
PAST_WORKSHOPS = ("Narwhal toner refresher", "Public toner refresher")  # held last week: insight lists these

QA_LISTS = [
    "/qa/",
    "/qa/?show=unanswered",
    "/qa/?show=no_accepted",
    "/qa/?sort=active",
    "/qa/?sort=votes",
    "/qa/?tag=printers",
    "/qa/?duplicates=on",
]
SEARCHES = [
    ("jams", ""),
    ("jams", "&type=questions"),
    ("jams", "&kind=questions"),
    ("jams", "&tag=printers"),
]

SURFACES = [
    *[Surface(f"questions list {path}", "charlie", _get(path), ("question", CQ)) for path in QA_LISTS],
    Surface("helpdesk queue", "helen", _get("/qa/helpdesk/"), ("question", CQ)),
    Surface("tag page", "charlie", _get("/tags/printers/"), ("question", "idea", "workshop", CQ, CI, CW)),
    Surface("home page", "charlie", _get("/"), ("question", "workshop", CQ, CW)),
    Surface("ideas list", "charlie", _get("/ideas/"), ("idea", CI)),
    Surface("ideas list, top", "charlie", _get("/ideas/?sort=top"), ("idea", CI)),
    Surface("ideas RSS", "charlie", _get("/feeds/{feed}/ideas/rss/"), ("idea", CI)),
    Surface("search ideas", "charlie", _search("duplex", "&type=ideas"), ("idea", CI)),
    Surface("search everything for ideas", "charlie", _search("duplex"), ("idea", CI)),
    Surface(
        "an open community's feed",
        "charlie",
        _get("{open_community_url}"),
        ("question", "idea", "workshop", CQ, CI, CW),
    ),
    Surface("questions list for a moderator outside the community", "mo", _get("/qa/"), (CQ,)),
    Surface("ideas list for a moderator outside the community", "mo", _get("/ideas/"), (CI,)),
    Surface("profile activity for a moderator outside the community", "mo", _get("/people/alice/"), (CQ, CI)),
    Surface("question page", "charlie", _get("{answered_url}"), ("answer", "comment")),
    Surface("idea page", "charlie", _get("{idea_url}"), ("comment",)),
    Surface("listening post item page", "charlie", _get("{listening_item_url}"), ("comment", "shared note")),
    Surface("following", "charlie", _get("/following/"), ("question", "workshop"), words=ANSWERED),
    Surface("notifications", "charlie", _get("/notifications/?tab=following"), ("question", "workshop", CQ, CI)),
    *[Surface(f"search {q}{extra}", "charlie", _search(q, extra), ("question", CQ)) for q, extra in SEARCHES],
    Surface("search by an answer's words", "charlie", _found_through_answers, ("answer",)),
    Surface("search workshops", "charlie", _search("masterclass", "&type=workshops"), ("workshop", CW)),
    Surface("search everything", "charlie", _search("masterclass"), ("workshop", CW)),
    Surface("similar questions", "charlie", _get("/search/similar/?type=questions&q=printer+jams"), ("question", CQ)),
    Surface("questions RSS", "charlie", _get("/feeds/{feed}/questions/rss/"), ("question", CQ)),
    Surface("questions Atom", "charlie", _get("/feeds/{feed}/questions/atom/"), ("question", CQ)),
    Surface("tag RSS", "charlie", _get("/feeds/{feed}/tags/printers/rss/"), ("question", "workshop", CQ, CI, CW)),
    Surface("tag Atom", "charlie", _get("/feeds/{feed}/tags/printers/atom/"), ("question", "workshop", CQ, CI, CW)),
    Surface("search RSS", "charlie", _get("/feeds/{feed}/search/rss/?q=jams"), ("question", CQ)),
    Surface("workshops RSS", "charlie", _get("/feeds/{feed}/workshops/rss/"), ("workshop", CW)),
    Surface("workshop list", "charlie", _get("{workshops_url}"), ("workshop", CW)),
    Surface("calendar feed", "charlie", _get("/workshops/calendar/{calendar}.ics"), ("workshop",)),
    Surface("digest email", "charlie", _digest, ("question", CQ, CI)),
    Surface("notification emails", "bob", _emails_to_bob, ("question", CQ), words=ANSWERED),
    Surface("insight and its CSVs", "helen", _insight, ("workshop",), words={"workshop": PAST_WORKSHOPS}),
    Surface("profile activity", "charlie", _get("/people/alice/"), ("question", "answer", "idea", "comment", CQ, CI)),
    Surface(
        "profile activity for a moderator", "mo", _get("/people/alice/"), ("question", "answer", "idea", "comment")
    ),
    Surface("host's profile activity", "charlie", _get("/people/bob/"), ("workshop", CW)),
]

# Where the product shows what was hidden to those allowed to see it: the author and moderators
# see hidden posts; a restricted workshop's page opens for its group (lists offer only public ones).
INTENDED = [
    Surface("questions list for the author", "alice", _get("/qa/"), ("question",)),
    Surface("questions list for a moderator", "mo", _get("/qa/"), ("question",)),
    Surface("hidden question's page for the author", "alice", _get("{hidden_url}"), ("question",)),
    Surface("question page for the author", "alice", _get("{answered_url}"), ("answer",)),
    Surface("question page for a moderator", "mo", _get("{answered_url}"), ("answer",)),
    Surface("restricted workshop's page for its group", "dita", _get("{restricted_url}"), ("workshop",)),
    Surface("own profile activity (marked hidden)", "alice", _get("/people/alice/"), ("question",)),
    Surface("own profile activity (answer marked hidden)", "alice", _get("/people/alice/"), ("answer",)),
    Surface("own profile activity (comment marked hidden)", "alice", _get("/people/alice/"), ("comment",)),
    Surface(
        "listening post item page for whom it was shared with", "bob", _get("{listening_item_url}"), ("shared note",)
    ),
    *[
        Surface(
            f"invite-only community's feed for a member ({kind})", "fiona", _get("{secret_community_url}"), (kind,)
        )
        for kind in (CQ, CI, CW)
    ],  # fmt: skip
    Surface("invite-only community's question for a member", "fiona", _get("{secret_question_url}"), (CQ,)),
    Surface("invite-only community's workshop for a member", "fiona", _get("{secret_workshop_url}"), (CW,)),
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from community.search.storage import release_searchers, wait_for_pending_writes

    index = tmp_path_factory.mktemp("hidden-everywhere") / "search"
    backends = {"default": {"BACKEND": "community.search.backend", "PATH": str(index)}}
    with django_db_blocker.unblock(), override_settings(WAGTAILSEARCH_BACKENDS=backends), rolled_back():
        yield _build()
        wait_for_pending_writes()
        release_searchers()


def _build():
    from django.contrib.auth import get_user_model

    users = get_user_model()
    alice = named_user(users, "alice")
    bob = named_user(users, "bob")
    charlie = named_user(users, "charlie")
    named_user(users, "helen")
    mo = named_user(users, "mo")
    dita = named_user(users, "dita")
    finance = Group.objects.create(name="Finance team")
    dita.groups.add(finance)
    for reader in (charlie, bob):
        follow(reader, _tag("printers"))
    wants_email(charlie, EmailFrequency.DAILY)
    wants_email(bob, EmailFrequency.IMMEDIATELY)
    follow(charlie, alice)

    hidden_q, control_q = ITEMS["question"]
    hidden = Question.ask(alice, hidden_q, "It jams every morning.", ["printers"])
    Question.ask(alice, control_q, "It jams every evening.", ["printers"])
    answered = Question.ask(bob, "Visible printer answered", "Which toner?", ["printers"])
    follow(charlie, hidden)
    follow(charlie, answered)
    hidden_answer = answered.add_answer(alice, f"{ITEMS['answer'][0]} fixes it.")
    answered.add_answer(alice, f"{ITEMS['answer'][1]} fixes it.")
    idea = Idea.submit(alice, "Visible printer idea", "Print on both sides.", ["printers"], None)
    comments = django_comments.get_model()
    for target in (answered, idea):
        for words, removed in ((ITEMS["comment"][0], True), (ITEMS["comment"][1], False)):
            comments.objects.create(content_object=target, site_id=1, user=alice, comment=f"{words} here.",
                                    is_public=True, is_removed=removed)  # fmt: skip

    source = ListeningSource.objects.create(name="Printer news", url="https://news.example.org/printers.xml")
    heard = ListeningItem.objects.create(source=source, guid="p1", title="Printers in the news")
    for words, removed in ((ITEMS["comment"][0], True), (ITEMS["comment"][1], False)):
        comments.objects.create(content_object=heard, site_id=1, user=alice, comment=f"{words} here.",
                                is_public=True, is_removed=removed)  # fmt: skip
    ItemShare.objects.create(item=heard, shared_by=alice, note=f"{ITEMS['shared note'][0]} here").recipients.add(bob)
    ItemShare.objects.create(item=heard, shared_by=alice, note=f"{ITEMS['shared note'][1]} here", tag=_tag("printers"))

    hidden_idea, _ = (
        Idea.submit(alice, words, "Duplex printing saves paper.", ["printers"], None) for words in ITEMS["idea"]
    )
    hidden.hide(mo, "Spam")
    hidden_answer.hide(mo, "Spam")
    hidden_idea.hide(mo, "Spam")
    # After hiding, those allowed to see it carry on: a moderator answers the hidden question,
    # and the emails of that event must not carry its title to those who may not see it.
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):  # "straight away" emails go after the commit
        Question.objects.get(pk=hidden.pk).add_answer(mo, "Moderator's note on the hidden one.")
        Question.objects.get(pk=answered.pk).add_answer(mo, "Moderator's note on the visible one.")
        # Posted in communities: an invite-only one (charlie and bob are not members) and an open
        # one whose tag is "printers", so its feed lists what carries that tag.
        fiona = make_user(users, "fiona")
        secret = Community.start(alice, name="Capybara club", kind=Community.Kind.INVITE)
        secret.accept(fiona, secret.invite(alice, fiona).token)
        open_community = Community.start(alice, name="Printer people", tags=["printers"])
        for words, where in zip(ITEMS[CQ], (secret, open_community), strict=True):
            posted = Question.ask(alice, words, "It jams in the finance office.", ["printers"], where)
            if where is secret:
                secret_question = posted
        for words, where in zip(ITEMS[CI], (secret, open_community), strict=True):
            Idea.submit(alice, words, "Print on both sides in finance.", ["printers"], None, where)
    emails_to_bob = [m for m in mail.outbox if "bob@example.org" in m.to]

    home = HomePage.objects.get()
    workshops = WorkshopIndexPage(title="Workshops", slug="workshops")
    home.add_child(instance=workshops)
    workshops.save_revision().publish()
    made = {}
    for titles, when in ((ITEMS["workshop"], 7), (PAST_WORKSHOPS, -7)):
        for title in titles:
            page = WorkshopPage(title=title, host=bob, summary="Printers, toner and jams.", capacity=10,
                                start_at=days(when, 10), end_at=days(when, 12), place="Room 4.12")  # fmt: skip
            workshops.add_child(instance=page)
            page.tags.add("printers")
            page.save_revision().publish()
            made[title] = page
        restriction = PageViewRestriction.objects.create(page=made[titles[0]], restriction_type="groups")
        restriction.groups.add(finance)
    for title, where in zip(ITEMS[CW], (secret, open_community), strict=True):
        page = WorkshopPage(title=title, host=bob, summary="Printers, toner and jams.", capacity=10, community=where,
                            start_at=days(8, 10), end_at=days(8, 12), place="Room 4.13")  # fmt: skip
        workshops.add_child(instance=page)
        page.tags.add("printers")
        page.save_revision().publish()  # publishing restricts the invite-only one to its members
        made[title] = page
    for reader in (charlie, dita):
        made[ITEMS["workshop"][1]].sign_up(reader)
        follow(reader, made[ITEMS["workshop"][1]])
    made[ITEMS["workshop"][0]].sign_up(dita)
    follow(dita, made[ITEMS["workshop"][0]])

    return {
        "answered_url": answered.get_absolute_url(),
        "hidden_url": hidden.get_absolute_url(),
        "idea_url": idea.get_absolute_url(),
        "listening_item_url": heard.get_absolute_url(),
        "restricted_url": made[ITEMS["workshop"][0]].url,
        "workshops_url": workshops.url,
        "feed": ListeningPreferences.for_user(charlie).feed_token,
        "calendar": CalendarFeed.for_user(charlie).token,
        "emails_to_bob": emails_to_bob,
        "open_community_url": open_community.get_absolute_url(),
        "secret_community_url": secret.get_absolute_url(),
        "secret_question_url": secret_question.get_absolute_url(),
        "secret_workshop_url": made[ITEMS[CW][0]].url,
    }


def _tag(name):
    from taggit.models import Tag

    return Tag.objects.get_or_create(name=name, slug=name)[0]


def _client(username):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


CELLS = [(surface, kind) for surface in SURFACES for kind in surface.kinds]


@pytest.mark.parametrize(("surface", "kind"), CELLS, ids=[f"{s}-{k}" for s, k in CELLS])
def test_a_colleague_never_sees_what_is_hidden_from_them(world, surface, kind):
    text = surface.read(world, _client(surface.reader))
    hidden, control = surface.words.get(kind, ITEMS[kind])

    assert control in text, f"{surface}: the visible {kind} should be listed (else this cell proves nothing)"
    assert hidden not in text, f"{surface}: the hidden {kind} leaks to {surface.reader}"


@pytest.mark.parametrize("surface", INTENDED, ids=str)
def test_those_allowed_still_see_it(world, surface):
    [kind] = surface.kinds

    text = surface.read(world, _client(surface.reader))

    assert ITEMS[kind][0] in text
