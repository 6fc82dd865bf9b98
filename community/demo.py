"""Demo people, directorates and pages, drawn from the stories in shared/seeds/."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page

from .models import Directorate, HomePage, Profile, StandardPage

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
        "username": "liz", "first": "Liz", "last": "Morgan", "role": "digital team (publishes pages, reads insight)",
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


def seed(command):
    seed_people()
    seed_pages()
    command.stdout.write("  people, directorates and pages")
