"""Demo ideas, drawn from the stories behind Confer (docs/stories.md): a council's ideas forum, an audit office's digital
ambassadors, a department's digital buddies and its Autumn Statement listening exercise.

Covers every status, votes spread over months (one old idea with a fresh burst, so trending and top
differ), an open campaign and a closed one, a merge, official responses and benefits delivered.
Idempotent: an idea whose title already exists is left alone, with everything that hangs off it.
"""

import datetime
from decimal import Decimal

import django_comments
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone

from community.models import Community, Notification
from community.names import display_name

from .models import Campaign, Idea, IdeaMerge, StatusChange, Vote

CAMPAIGNS = [
    {
        "title": "What should we change after the Autumn Statement?",
        "description": "The Autumn Statement asks every department to save 5% on running costs next year. "
        "Before we decide anything, we want to hear from you: **what could we stop, simplify or share?**\n\n"
        "Ideas with the most votes by the closing date go to the board in January.",
        "by": "liz",
        "opened_days_ago": 9,
        "closes_in_days": 21,
    },
    {
        "title": "How should we spend the wellbeing budget?",
        "description": "We have £5,000 for staff wellbeing this year. Tell us what would make the most difference.",
        "by": "grace",
        "opened_days_ago": 90,
        "closes_in_days": -60,
    },
]

# Each idea: author, days ago, tags, votes as (username, days ago), status changes as
# (status, moderator, days ago, official response), comments, a campaign and a benefit.
IDEAS = [
    {
        "author": "tom",
        "days_ago": 150,
        "tags": ["meetings", "outlook"],
        "title": "Book meeting rooms from the Outlook calendar",
        "description": "Today we email facilities to book a room and wait for a reply. If the rooms were in the "
        "Outlook calendar we could see which are free and book them ourselves.\n\n"
        "- fewer emails for facilities\n- no double bookings\n- rooms released when a meeting is cancelled",
        "votes": [("marie", 148), ("priya", 147), ("owen", 140), ("hannah", 139), ("grace", 120), ("sam", 118)],
        "statuses": [
            ("under_review", "carl", 130, "Facilities and IT are checking whether our Exchange licence covers room "
             "mailboxes."),
            ("planned", "carl", 100, "It does. Facilities will set up the 40 rooms on floors 2 to 5 in **May**."),
            ("implemented", "carl", 45, "All 40 rooms can now be booked from Outlook: choose **Room finder** when you "
             "create a meeting. Thank you to everyone who voted."),
        ],
        "benefit": {
            "estimated_hours_per_year": 400,
            "realised_hours_per_year": 520,
            "evidence": "Facilities logged 1,300 booking emails a year at about 20 minutes each, "
            "plus 10 minutes of back and forth for the person booking. Since May they have had 60.",
        },
        "comments": [
            ("dev", "Room mailboxes are included in our licence, so this should not cost anything."),
            ("tom", "That is great news, thank you."),
        ],
    },
    {
        "author": "dev",
        "days_ago": 110,
        "tags": ["meetings"],
        "title": "Let us reserve rooms in Outlook instead of emailing facilities",
        "description": "Emailing facilities for every room takes ages. Could rooms be resources in Outlook?",
        "votes": [("owen", 109), ("liz", 105), ("marie", 104)],
        "merge_into": "Book meeting rooms from the Outlook calendar",
        "merged_by": "carl",
        "merged_days_ago": 100,
    },
    {
        "author": "marie",
        "days_ago": 200,
        "tags": ["expenses", "intranet"],
        "title": "Put the whole expenses guide on one intranet page",
        "description": "The expenses rules are spread over four PDFs. The helpdesk gets the same calls about "
        "rail fares and hospitality every week. One page, searchable, with examples, would answer most of them.",
        "votes": [("tom", 199), ("owen", 190), ("hannah", 185), ("dev", 180), ("priya", 170)],
        "statuses": [
            ("planned", "grace", 180, "Finance agree. The helpdesk will write it from the questions they get most."),
            ("implemented", "grace", 120, "The new [expenses guide] is live on the intranet.\n\n[expenses guide]: /qa/"),
        ],
        "benefit": {
            "estimated_hours_per_year": 150,
            "realised_hours_per_year": 210,
            "estimated_money_per_year": Decimal("4000.00"),
            "realised_money_per_year": Decimal("6300.00"),
            "evidence": "Helpdesk calls about expenses fell from about 35 to about 10 a month (helpdesk statistics, "
            "June to November). At £21 per call handled, that is about £6,300 a year.",
        },
    },
    {
        "author": "owen",
        "days_ago": 400,
        "tags": ["timesheets", "finance"],
        "title": "Replace paper timesheets with the HR system",
        "description": "Audit teams still fill in paper timesheets that someone types into a spreadsheet every "
        "month. The HR system already has a timesheet module we do not use.",
        "votes": [("tom", 395), ("marie", 380), ("hannah", 2), ("dev", 1), ("liz", 1), ("sam", 0), ("grace", 0)],
        "statuses": [
            ("under_review", "carl", 3, "This came back with a lot of support this week. HR are checking the cost "
             "of switching the timesheet module on."),
        ],
        "comments": [("priya", "The Strategy unit would use this too.")],
    },
    {
        "author": "priya",
        "days_ago": 80,
        "tags": ["digital buddies", "training"],
        "title": "A digital buddy in every directorate",
        "community": "Digital buddy network",
        "description": "The Strategy unit's digital buddy answers small questions before they become helpdesk calls. "
        "Every directorate should have at least one, with an hour a week set aside.",
        "votes": [("liz", 79), ("sam", 75), ("marie", 60), ("tom", 50), ("carl", 40)],
        "statuses": [
            ("planned", "carl", 60, "The digital team will recruit buddies through the ambassadors network."),
            ("in_progress", "carl", 20, "Buddies are in place in four of six directorates; Audit and Finance next."),
        ],
    },
    {
        "author": "liz",
        "days_ago": 25,
        "tags": ["blogging", "workshops"],
        "title": "Run the Boost your blog workshop every quarter",
        "description": "The last *Boost your blog* workshop was full in a day. Running it every quarter would let "
        "more colleagues start writing about their work.",
        "votes": [("marie", 24), ("owen", 20), ("priya", 10)],
        "statuses": [
            ("under_review", "grace", 15, "We are checking trainer availability for next year."),
            ("planned", "grace", 4, "Sam will run it in March, June, September and December."),
        ],
    },
    {
        "author": "tom",
        "days_ago": 70,
        "tags": ["parking"],
        "title": "Free weekend parking for staff volunteers",
        "description": "Colleagues who volunteer at weekend events pay for parking. Could it be free for them?",
        "votes": [("owen", 69), ("dev", 65)],
        "statuses": [
            ("declined", "grace", 50, "The car park belongs to the council's landlord and we cannot change its "
             "charges. Volunteers can claim the cost back as an expense."),
        ],
    },
    {
        "author": "priya",
        "days_ago": 5,
        "tags": ["rss", "listening"],
        "title": "A Monday email digest of the policy blogs we follow",
        "description": "The listening work follows about 30 blogs. A short digest every Monday would share what "
        "we find with colleagues who do not use an RSS reader.",
        "votes": [("liz", 4)],
    },
    {
        "author": "hannah",
        "days_ago": 8,
        "tags": ["printing", "sustainability"],
        "title": "Stop printing board papers",
        "description": "Every board meeting prints about 1,200 pages. Tablets with the papers on them would "
        "cost less within a year.",
        "votes": [("carl", 7), ("grace", 6), ("tom", 3), ("owen", 2), ("priya", 1), ("marie", 0)],
        "campaign": "What should we change after the Autumn Statement?",
        "comments": [("sam", "The digital team has six spare tablets we could lend for a trial.")],
    },
    {
        "author": "owen",
        "days_ago": 6,
        "tags": ["travel"],
        "title": "Share taxis to the station after late meetings",
        "description": "After evening meetings three or four of us each take a taxi to the same station. "
        "A shared booking would cut the cost by two thirds.",
        "votes": [("dev", 5), ("hannah", 2)],
        "campaign": "What should we change after the Autumn Statement?",
    },
    {
        "author": "grace",
        "days_ago": 85,
        "tags": ["wellbeing"],
        "title": "Walking meetings on Wednesdays",
        "description": "Short one-to-ones could be walks round the park once a week.",
        "votes": [("priya", 84), ("liz", 80), ("tom", 75)],
        "campaign": "How should we spend the wellbeing budget?",
        "statuses": [("implemented", "carl", 40, "Walking routes of 15 and 30 minutes are on the intranet.")],
        "benefit": {"estimated_hours_per_year": 0, "evidence": "A wellbeing benefit: no time or money saving is "
                    "claimed. 40 colleagues said in the staff survey that they use the routes."},
    },
]  # fmt: skip


def _users():
    return {user.username: user for user in get_user_model().objects.all()}


def _days_ago(now, days):
    return now - datetime.timedelta(days=days)


def _backdate_notifications(target, when):
    """Notifications about demo content read as if they came when it happened."""
    Notification.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk, created_at__gt=when
    ).update(created_at=when)


def _seed_campaign(spec, users, now):
    campaign = Campaign.objects.filter(title=spec["title"]).first()
    if campaign is not None:
        return campaign, False
    # Opened now so its ideas can be submitted; its real window is set once they are in.
    return Campaign.start(
        users[spec["by"]], spec["title"], spec["description"], _days_ago(now, spec["opened_days_ago"]),
        now + datetime.timedelta(days=max(spec["closes_in_days"], 1)),
    ), True  # fmt: skip


def seed_idea(spec, users, campaigns, now):
    created_at = _days_ago(now, spec["days_ago"])
    idea = Idea.submit(
        users[spec["author"]],
        spec["title"],
        spec["description"],
        spec["tags"],
        campaigns.get(spec.get("campaign")),
        Community.objects.filter(name=spec.get("community", "")).first(),
    )
    Idea.objects.filter(pk=idea.pk).update(created_at=created_at)
    _backdate_notifications(idea, created_at)
    for username, days in spec.get("votes", []):
        idea.vote(users[username])
        Vote.objects.filter(idea=idea, user=users[username]).update(created_at=_days_ago(now, days))
    Idea.objects.filter(pk=idea.pk).refresh_trending()  # the votes were backdated just above
    for status, moderator, days, response in spec.get("statuses", []):
        changed_at = _days_ago(now, days)
        change = Idea.objects.get(pk=idea.pk).change_status(users[moderator], status, response)
        StatusChange.objects.filter(pk=change.pk).update(created_at=changed_at)
        implemented = {"implemented_at": changed_at} if status == Idea.Status.IMPLEMENTED else {}
        Idea.objects.filter(pk=idea.pk).update(status_changed_at=changed_at, **implemented)
        Notification.objects.filter(event_type="ideas.status_changed", object_id=idea.pk, created_at__gt=changed_at,
                                    data__status=status).update(created_at=changed_at)  # fmt: skip
    if "benefit" in spec:
        Idea.objects.get(pk=idea.pk).record_benefit(users["liz"], **spec["benefit"])
    for offset, (username, text) in enumerate(spec.get("comments", []), start=1):
        _comment(idea, users[username], text, created_at + datetime.timedelta(hours=6 * offset))
    return Idea.objects.get(pk=idea.pk)


def _comment(idea, user, text, when):
    django_comments.get_model().objects.create(
        content_object=idea,
        site_id=settings.SITE_ID,
        user=user,
        user_name=display_name(user)[:50],
        user_email=user.email,
        comment=text,
        submit_date=when,
        is_public=True,
    )
    Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)


def seed(command):
    users = _users()
    now = timezone.now()
    campaigns, new_campaigns = {}, []
    for spec in CAMPAIGNS:
        campaign, created = _seed_campaign(spec, users, now)
        campaigns[spec["title"]] = campaign
        if created:
            new_campaigns.append((campaign, spec))
    created = 0
    by_title = {}
    for spec in IDEAS:
        idea = Idea.objects.filter(title=spec["title"]).first()
        if idea is None:
            idea = seed_idea(spec, users, campaigns, now)
            created += 1
            if "merge_into" in spec:
                merge = idea.merge_into(by_title[spec["merge_into"]], users[spec["merged_by"]])
                merged_at = _days_ago(now, spec["merged_days_ago"])
                IdeaMerge.objects.filter(pk=merge.pk).update(merged_at=merged_at)
                StatusChange.objects.filter(merge=merge).update(created_at=merged_at)
                Idea.objects.filter(pk=idea.pk).update(status_changed_at=merged_at)
                Notification.objects.filter(event_type="ideas.merged", created_at__gt=merged_at,
                                            data__source_title=idea.title).update(created_at=merged_at)  # fmt: skip
        by_title[spec["title"]] = idea
    for campaign, spec in new_campaigns:
        Campaign.objects.filter(pk=campaign.pk).update(
            opens_at=_days_ago(now, spec["opened_days_ago"]),
            closes_at=now + datetime.timedelta(days=spec["closes_in_days"]),
        )
    command.stdout.write(f"  ideas ({created} new)")
