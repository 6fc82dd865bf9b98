"""Demo people, directorates and pages, drawn from the stories behind Confer (docs/stories.md)."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page

from .listeningpost import demo as listening_post_demo
from .models import (
    BuddyNetworkPage,
    Community,
    Directorate,
    HomePage,
    JoinRequest,
    Membership,
    Profile,
    StandardPage,
    WorkshopIndexPage,
    WorkshopPage,
    WorkshopSignup,
)

DEMO_PASSWORD = "confer-demo"

DIRECTORATES = [
    "Digital and Communications",
    "Audit",
    "Finance",
    "IT Services",
    "Policy and Strategy",
    "People and HR",
]

DEMO_PEOPLE = [
    {
        "username": "admin", "first": "Ada", "last": "Admin", "role": "site administrator (Wagtail admin)",
        "groups": [], "superuser": True, "directorate": "IT Services", "title": "Platform administrator",
        "team": "Platform", "bio": "I keep Confer running.",
    },
    {
        "username": "liz", "first": "Liz", "last": "Morgan", "role": "digital team (publishes pages and workshops, runs idea campaigns)",
        "groups": ["Digital team"], "directorate": "Digital and Communications", "title": "Digital engagement lead",
        "team": "Digital team",
        "bio": "I run the **digital buddy network**: 30 colleagues around the department who help others take "
        "their first digital steps. Ask me about listening online, RSS and *If this then that*.",
    },
    {
        "username": "sam", "first": "Sam", "last": "Adeyemi", "role": "digital team",
        "groups": ["Digital team"], "directorate": "Digital and Communications", "title": "Digital communications manager",
        "team": "Digital team",
        "bio": "I look after our workshops, including *Boost your blog*, and the digital ambassadors.",
    },
    {
        "username": "hannah", "first": "Hannah", "last": "Patel", "role": "helpdesk lead (verifies answers)",
        "groups": ["Helpdesk"], "directorate": "IT Services", "title": "Service desk lead", "team": "IT service desk",
        "bio": "Our helpdesk answers the same questions every week. Here we answer them once, properly.",
    },
    {
        "username": "dev", "first": "Dev", "last": "Kumar", "role": "helpdesk",
        "groups": ["Helpdesk"], "directorate": "IT Services", "title": "Service desk analyst", "team": "IT service desk",
        "bio": "VPN, remote access and laptops.",
    },
    {
        "username": "carl", "first": "Carl", "last": "Hughes", "role": "moderator (idea statuses, flags)",
        "groups": ["Moderators"], "directorate": "Policy and Strategy", "title": "Head of business transformation",
        "team": "Transformation",
        "bio": "I led our internal social network pilot. Organisational structures are a form of social network too.",
    },
    {
        "username": "grace", "first": "Grace", "last": "Lee", "role": "moderator",
        "groups": ["Moderators"], "directorate": "People and HR", "title": "Engagement manager", "team": "Staff engagement",
        "bio": "",
    },
    {
        "username": "marie", "first": "Marie", "last": "Dubois", "role": "staff (digital ambassador)",
        "groups": [], "directorate": "Audit", "title": "Senior auditor", "team": "Value for money audit",
        "bio": "Digital ambassador. I help with the corporate Twitter account and write a personal blog.",
    },
    {
        "username": "tom", "first": "Tom", "last": "Okafor", "role": "staff (taking a first step online)",
        "groups": [], "directorate": "Finance", "title": "Finance officer", "team": "Accounts payable",
        "bio": "",
    },
    {
        "username": "priya", "first": "Priya", "last": "Shah", "role": "staff (digital buddy)",
        "groups": [], "directorate": "Policy and Strategy", "title": "Policy adviser", "team": "Strategy unit",
        "bio": "Digital buddy for the Strategy unit. I helped on the Autumn Statement listening day.",
    },
    {
        "username": "owen", "first": "Owen", "last": "Price", "role": "staff",
        "groups": [], "directorate": "Audit", "title": "Audit manager", "team": "Financial audit",
        "bio": "Before joining I helped with a web content tidy-up project.",
    },
]  # fmt: skip

PAGES = [
    {
        "slug": "getting-started",
        "title": "Getting started with Confer",
        "summary": "Ask a question, share an idea, and find colleagues who can help – your first ten minutes.",
        "tags": ["getting started"],
        "body": [
            (
                "paragraph",
                "<p>Confer is where colleagues help each other. Before you call the helpdesk, "
                "search: someone may already have answered your question.</p>",
            ),
            ("heading", "Your first steps"),
            (
                "paragraph",
                "<ol><li>Complete your profile so colleagues can find you.</li>"
                "<li>Search for your question; if nobody has asked it, ask it.</li>"
                "<li>Follow the tags you care about.</li></ol>",
            ),
            (
                "inset_text",
                {
                    "text": "<p>Taking a first step online can feel daunting. A digital buddy near "
                    "you is happy to help.</p>"
                },
            ),
        ],
    },
    {
        "slug": "listening-online",
        "title": "How we listen online",
        "summary": "Listening to online conversations is a legitimate part of the day job. Here is how we do it.",
        "tags": ["listening", "rss", "twitter", "ifttt"],
        "body": [
            (
                "paragraph",
                "<p>During the Autumn Statement, three digital buddies listened to conversations "
                "beyond the usual suspects and fed insight back to strategy and policy colleagues.</p>",
            ),
            ("heading", "Tools we use"),
            (
                "paragraph",
                "<ul><li>RSS readers for blogs and news</li><li>Saved searches on Twitter</li>"
                "<li>If this then that, to route what we find into email</li></ul>",
            ),
        ],
    },
    {
        "slug": "working-remotely",
        "title": "Working remotely: VPN and remote access",
        "summary": "Connecting to the network from home, and what to do when the VPN will not connect.",
        "tags": ["vpn"],
        "body": [
            (
                "paragraph",
                "<p>Use the VPN client on your laptop before opening shared drives. If it will not "
                "connect, restart it once, then ask in Questions with the tag <b>vpn</b>.</p>",
            ),
        ],
    },
]


def seed_people():
    User = get_user_model()
    directorates = {name: Directorate.objects.get_or_create(name=name)[0] for name in DIRECTORATES}
    for person in DEMO_PEOPLE:
        user, created = User.objects.get_or_create(
            username=person["username"],
            defaults={
                "first_name": person["first"],
                "last_name": person["last"],
                "email": f"{person['username']}@confer.example",
                "is_staff": person.get("superuser", False),
                "is_superuser": person.get("superuser", False),
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(*Group.objects.filter(name__in=["Staff", *person["groups"]]))
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "display_name": f"{person['first']} {person['last']}",
                "job_title": person["title"],
                "directorate": directorates[person["directorate"]],
                "team": person["team"],
                "bio": person["bio"],
            },
        )


def seed_pages():
    home = HomePage.objects.first()
    if not home.intro:
        home.intro = [
            (
                "paragraph",
                "<p>Ask colleagues, vote on ideas, find someone who can help, and join a workshop run "
                "by the digital team. Every answer here is one less call to the helpdesk.</p>",
            ),
        ]
        home.save_revision().publish()
    for spec in PAGES:
        if Page.objects.child_of(home).filter(slug=spec["slug"]).exists():
            continue
        page = StandardPage(title=spec["title"], slug=spec["slug"], summary=spec["summary"], body=spec["body"])
        home.add_child(instance=page)
        page.tags.add(*spec["tags"])
        page.save_revision().publish()


WORKSHOPS = [
    {
        "slug": "boost-your-blog",
        "title": "Boost your blog",
        "summary": "Write posts colleagues want to read: find your voice, plan a month of posts and share them well.",
        "days_from_now": 10, "start": (10, 0), "end": (12, 30), "capacity": 6, "host": "sam",
        "place": "Room 4.12, 1 Victoria Street", "online_link": "https://meet.example.org/boost-your-blog",
        "tags": ["blogging", "writing"],
        "signups": ["marie", "tom", "priya", "owen", "dev", "grace", "carl", "hannah"],
        "body": [
            ("paragraph", "<p>Bring your laptop and an idea for a post. We will look at what makes people read "
             "on, how to write a headline, and how to use pictures without breaking copyright.</p>"),
            ("heading", "You will leave with"),
            ("paragraph", "<ul><li>a first post, edited with a colleague</li><li>a plan for a month of posts</li>"
             "<li>a way to share them on the intranet and beyond</li></ul>"),
        ],
    },
    {
        "slug": "listening-online-with-rss",
        "title": "Listening online with RSS and If this then that",
        "summary": "Follow the conversations that matter to your policy area without spending all day on social media.",
        "days_from_now": 24, "start": (14, 0), "end": (15, 30), "capacity": 20, "host": "liz",
        "place": "", "online_link": "https://meet.example.org/listening-online",
        "tags": ["listening", "rss", "ifttt"],
        "signups": ["priya", "carl", "owen"],
        "body": [
            ("paragraph", "<p>During the Autumn Statement three digital buddies listened beyond the usual "
             "suspects. This session shows the tools they used, step by step.</p>"),
        ],
    },
    {
        "slug": "twitter-for-beginners",
        "title": "Twitter for beginners",
        "summary": "Set up an account, follow the right people and post your first tweet with confidence.",
        "days_from_now": -21, "start": (10, 0), "end": (11, 30), "capacity": 12, "host": "marie",
        "place": "Room 2.03, 1 Victoria Street", "online_link": "",
        "tags": ["twitter"],
        "past_attendees": {"tom": True, "owen": True, "priya": True, "grace": False, "dev": False},
        "body": [
            ("paragraph", "<p>A relaxed first step for colleagues who have never used Twitter.</p>"),
        ],
    },
]  # fmt: skip


def _at(days: int, hour_minute: tuple[int, int]) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(*hour_minute)))


def seed_workshops():
    """The workshop index with an upcoming full workshop (and a waiting list), one with places, a
    past one with attendance recorded, and the digital buddies page."""
    users = {user.username: user for user in get_user_model().objects.all()}
    home = HomePage.objects.first()
    index = WorkshopIndexPage.objects.child_of(home).filter(slug="workshops").first()
    if index is None:
        index = WorkshopIndexPage(
            title="Workshops",
            slug="workshops",
            summary="Hands-on sessions run by the digital team, from blogging to listening online.",
            intro=[("paragraph", "<p>Sign up below. When a workshop is full, join the waiting list: "
                                 "if someone cancels, the place is yours and we email you.</p>")],
        )  # fmt: skip
        home.add_child(instance=index)
        index.save_revision().publish()
    for spec in WORKSHOPS:
        if WorkshopPage.objects.child_of(index).filter(slug=spec["slug"]).exists():
            continue
        workshop = WorkshopPage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            start_at=_at(spec["days_from_now"], spec["start"]),
            end_at=_at(spec["days_from_now"], spec["end"]),
            place=spec["place"],
            online_link=spec["online_link"],
            host=users[spec["host"]],
            capacity=spec["capacity"],
            body=spec["body"],
        )
        index.add_child(instance=workshop)
        workshop.tags.add(*spec["tags"])
        workshop.save_revision().publish()
        for username in spec.get("signups", []):
            workshop.sign_up(users[username])
        attendees = spec.get("past_attendees", {})
        if attendees:
            # Sign-up is closed once a workshop has started, so its history is written directly.
            signed_up_at = workshop.start_at - datetime.timedelta(days=7)
            WorkshopSignup.objects.bulk_create(
                WorkshopSignup(workshop=workshop, user=users[username], status=WorkshopSignup.Status.CONFIRMED,
                               created_at=signed_up_at, queued_at=signed_up_at, confirmed_at=signed_up_at)
                for username in attendees
            )  # fmt: skip
            came = workshop.signups.filter(user__username__in=[name for name, came in attendees.items() if came])
            workshop.record_attendance(users[spec["host"]], list(came.values_list("pk", flat=True)))
    if not BuddyNetworkPage.objects.child_of(home).filter(slug="digital-buddies").exists():
        buddies = BuddyNetworkPage(
            title="Digital buddies",
            slug="digital-buddies",
            summary="Colleagues near you who help others take their first digital steps.",
            intro=[
                ("paragraph", "<p>Thirty colleagues around the department volunteer as digital buddies. They "
                              "help with anything from setting up a blog to listening online, at your desk or "
                              "over a cup of tea.</p>"),
                ("inset_text", {"text": "<p>No question is too small: that is what buddies are for.</p>"}),
            ],
        )  # fmt: skip
        home.add_child(instance=buddies)
        buddies.save_revision().publish()


COMMUNITIES = [
    {
        "name": "Digital buddy network",
        "kind": "open",
        "tags": ["digital buddies", "training"],
        "description": "Colleagues around the department who help others take their first digital steps, and "
        "the people they help. Ask here, share what worked, and find a buddy near you.",
        "managers": ["liz"],
        "members": ["priya", "tom", "marie"],
    },
    {
        "name": "Boost your blog alumni",
        "kind": "request",
        "tags": ["blogging"],
        "description": "Everyone who has been on *Boost your blog*, helping each other keep writing: feedback on "
        "drafts, ideas for posts, and the next workshop.",
        "managers": ["sam"],
        "members": ["marie", "owen", "liz"],
        "asking": ["tom"],
        "pinned_workshop": "boost-your-blog",
    },
]


def seed_communities():
    """The digital buddy network (open) and the Boost your blog alumni (request to join), with
    managers, members, a request waiting and the workshop pinned. Questions and ideas are posted
    into them by qa's and ideas' demos."""
    users = {user.username: user for user in get_user_model().objects.all()}
    for spec in COMMUNITIES:
        if Community.objects.filter(name=spec["name"]).exists():
            continue
        founder, *others = spec["managers"]
        community = Community.start(users[founder], name=spec["name"], kind=spec["kind"], tags=spec["tags"],
                                    description=spec["description"])  # fmt: skip
        for username in others:
            community._add_member(users[username], Membership.Role.MANAGER)
        for username in spec["members"]:
            community._add_member(users[username])
        for username in spec.get("asking", []):
            JoinRequest.objects.create(community=community, user=users[username], note="I went to the last one.")
        workshop = WorkshopPage.objects.filter(slug=spec.get("pinned_workshop", "")).first()
        if workshop is not None:
            WorkshopPage.objects.filter(pk=workshop.pk).update(community=community)
            community.pin(users[founder], "workshops", workshop.pk)


def seed(command):
    seed_people()
    seed_pages()
    seed_workshops()
    seed_communities()
    command.stdout.write("  people, directorates, pages, workshops and communities")
    listening_post_demo.seed(command)
