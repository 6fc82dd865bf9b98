"""Workshops and the workshop index, pages the digital team runs; with the sign-ups, waiting list
and calendar feeds that let a workshop run end to end inside Confer.

Sign-up, cancellation and promotion are model methods that lock the workshop first (``_lock``):
on PostgreSQL the row lock makes sign-ups for one workshop take turns, and on SQLite the IMMEDIATE
transactions in settings already make every writer take turns. Counting the places taken and then
taking one therefore never overbooks (docs/traps.md); the unique constraint keeps one sign-up per
person whatever happens.
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from ..blocks import BodyBlock
from ..hooks import ActivityItem
from ..names import display_name
from .chooser import host_chooser_viewset

__all__ = [  # the models; community.models gathers them under the app label
    "CalendarFeed",
    "WorkshopIndexPage",
    "WorkshopPage",
    "WorkshopPageTag",
    "WorkshopSchedule",
    "WorkshopSignup",
]

MANAGE_PERMISSION = "community.manage_workshops"
PAST_PER_PAGE = 10


# --- how times read -------------------------------------------------------------------------------


def format_time(value: datetime.datetime) -> str:
    """GOV.UK style: 10am, 2:30pm, midday, midnight (in the site's time zone)."""
    local = timezone.localtime(value)
    if (local.hour, local.minute) == (12, 0):
        return "midday"
    if (local.hour, local.minute) == (0, 0):
        return "midnight"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def format_date(value: datetime.datetime) -> str:
    return date_format(timezone.localtime(value), "l j F Y")


def format_span(start: datetime.datetime, end: datetime.datetime) -> str:
    """ "Tuesday 3 March 2026, 10am to 12:30pm", or both dates when it runs over midnight."""
    if timezone.localdate(start) == timezone.localdate(end):
        return f"{format_date(start)}, {format_time(start)} to {format_time(end)}"
    return f"{format_date(start)} at {format_time(start)} to {format_date(end)} at {format_time(end)}"


def format_moment(value: datetime.datetime) -> str:
    return f"{date_format(timezone.localtime(value), 'j F Y')} at {format_time(value)}"


# --- who may manage workshops ---------------------------------------------------------------------


def can_manage_workshops(user) -> bool:
    """The digital team (and superusers) see every workshop's attendees; hosts see their own."""
    return bool(getattr(user, "is_active", False)) and user.has_perm(MANAGE_PERMISSION)


def mark_my_status(workshops, user):
    """Set ``my_status`` on each workshop: this person's sign-up status there, or "" (one query);
    and ``my_attended``: whether the host recorded them as attending (None until recorded)."""
    places = WorkshopSignup.objects.places_for(user, workshops)
    for workshop in workshops:
        workshop.my_status, workshop.my_attended = places.get(workshop.pk, ("", None))
    return workshops


class PageRoutes(RoutablePageMixin):
    """Wagtail's routes below a page's address (``@path`` methods), served like the page itself."""

    def route_url(self, name: str, *args, request=None) -> str:
        """The address of the route called ``name``: the page's own, then the route's path."""
        return self.get_url(request) + self.reverse_subpage(name, args=args)


# --- the workshop index ---------------------------------------------------------------------------


ALLOW_UNICODE_SLUGS = getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)


class UniqueSlugPageForm(WagtailAdminPageForm):
    """An admin page form where a new page's slug made from its title never collides.

    The admin fills the slug in from the title, on the "Promote" tab an editor rarely opens. An
    abandoned draft with the same title holds that slug, so saving the new page used to fail with
    "slug already in use" on a tab nobody looked at. A new page whose slug is still the one made from
    its title takes the next free one ("-2", "-3"), as Wagtail does for pages made in code; a slug
    the editor typed themselves is kept, and a clash is still an error they can see and fix.
    """

    def clean(self):
        slug = self.cleaned_data.get("slug")
        title = self.cleaned_data.get("title") or ""
        from_title = slug == slugify(title, allow_unicode=ALLOW_UNICODE_SLUGS)
        if slug and from_title and self.instance.pk is None and self.parent_page is not None:
            if not Page._slug_is_available(slug, self.parent_page):
                number = 2
                while not Page._slug_is_available(f"{slug}-{number}", self.parent_page):
                    number += 1
                self.cleaned_data["slug"] = f"{slug}-{number}"
        return super().clean()


class WorkshopIndexPage(PageRoutes, Page):
    """Lists the workshops below it: upcoming first, then past ones, filterable by tag; and each
    person's calendar address, at routes of its own (``calendar/subscribe/``, ``calendar/new-address/``).

    No slug is reserved for these routes, and none needs to be. Wagtail serves only addresses
    whose parts are letters, digits, "_" and "-", exactly what a slug may be, so any route's first
    part could also be a workshop's slug; and RoutablePageMixin tries the page's routes before its
    children. So every route here is two parts deep, and its second part is not an address a
    workshop answers (``WorkshopPage`` routes; a workshop has no child pages): a workshop with
    the slug "calendar" is served at ``calendar/``, its own routes at ``calendar/sign-up/`` and so
    on, and these routes still answer beside it. tests/workshops/test_addresses.py checks the two
    sets never meet.
    """

    summary = models.CharField(max_length=250, blank=True, help_text="One or two sentences for lists and search.")
    intro = StreamField(BodyBlock(), blank=True)

    base_form_class = UniqueSlugPageForm
    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("summary", boost=2), index.SearchField("intro")]
    parent_page_types = ["community.HomePage"]
    subpage_types = ["community.WorkshopPage"]

    class Meta:
        verbose_name = "workshop index page"

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        workshops = WorkshopPage.objects.live().public().descendant_of(self)
        tag_slug = request.GET.get("tag", "")[:100]
        tag = Tag.objects.filter(slug=tag_slug).first() if tag_slug else None
        if tag_slug:
            workshops = workshops.filter(tags=tag) if tag else workshops.none()
        now = timezone.now()
        upcoming = list(workshops.upcoming(now).with_place_counts())
        past = Paginator(workshops.past(now).with_place_counts(), PAST_PER_PAGE).get_page(request.GET.get("page"))
        mark_my_status([*upcoming, *past], request.user)
        context.update(
            {
                "add_workshop_url": self.add_workshop_url(request.user),
                "upcoming": upcoming,
                "past": past,
                "tag": tag,
                "tag_slug": tag_slug,
                "tag_options": Tag.objects.filter(
                    community_workshoppagetag_items__content_object__in=WorkshopPage.objects.live()
                    .public()
                    .descendant_of(self)
                )
                .distinct()
                .order_by("name"),
            }
        )
        return context

    def add_workshop_url(self, user) -> str:
        """The Wagtail admin's "add a workshop here" address, for people whose page permissions
        let them add one below this index (the digital team); "" for everyone else."""
        if not (user.is_authenticated and user.has_perm("wagtailadmin.access_admin")):
            return ""
        if not self.permissions_for_user(user).can_add_subpage():
            return ""
        return reverse("wagtailadmin_pages:add", args=("community", "workshoppage", self.pk))

    @path("calendar/subscribe/", name="calendar")
    def calendar_route(self, request):
        from . import views

        return views.calendar(request, self)

    @path("calendar/new-address/", name="calendar_revoke")
    def calendar_revoke_route(self, request):
        from . import views

        return views.calendar_revoke(request, self)


# --- workshops ------------------------------------------------------------------------------------


class WorkshopPageTag(TaggedItemBase):
    content_object = ParentalKey("community.WorkshopPage", on_delete=models.CASCADE, related_name="tagged_items")


class WorkshopQuerySet(PageQuerySet):
    def upcoming(self, now=None):
        """Not yet over (including one that is running now), soonest first."""
        return self.filter(end_at__gt=now or timezone.now()).order_by("start_at", "pk")

    def past(self, now=None):
        return self.filter(end_at__lte=now or timezone.now()).order_by("-start_at", "-pk")

    def for_notifications(self):
        """What ``notification_title`` needs, in the one query that loads notifications' targets:
        whether the workshop is still published without a view restriction."""
        from django.db.models import Exists, OuterRef

        shown = WorkshopPage.objects.live().public().filter(pk=OuterRef("pk"))
        return self.annotate(shown_to_all=Exists(shown))

    def with_place_counts(self):
        return self.annotate(
            confirmed_count=Count("signups", filter=Q(signups__status=WorkshopSignup.Status.CONFIRMED)),
            waitlist_count=Count("signups", filter=Q(signups__status=WorkshopSignup.Status.WAITLISTED)),
        )


class WorkshopPageForm(UniqueSlugPageForm):
    """The admin form, with messages an editor can act on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "capacity" in self.fields:
            self.fields["capacity"].error_messages.update(
                {
                    "min_value": "A workshop needs at least 1 place.",
                    "invalid": "Enter the number of places as a whole number, like 20.",
                }
            )


class WorkshopPage(PageRoutes, Page):
    """One workshop: when and where, who hosts it, how many places, and when sign-up is open.

    Staff sign up and cancel on the page; when it is full they join a waiting list, and a
    cancellation gives the place to the first person waiting, who is emailed. What the page's
    buttons and links ask is done at its routes (below), which Wagtail serves like the page itself,
    with the same view restrictions and ``before_serve_page`` hooks.
    """

    summary = models.CharField(
        max_length=250, help_text="One or two sentences: what people will be able to do afterwards."
    )
    start_at = models.DateTimeField("starts")
    end_at = models.DateTimeField("ends")
    place = models.CharField(
        max_length=200, blank=True, help_text="Room and building, for example “Room 4.12, 1 Victoria Street”."
    )
    online_link = models.URLField(
        "online link", max_length=500, blank=True, help_text="The Teams, Zoom or other joining link."
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="hosted_workshops",
        limit_choices_to={"is_active": True},
        help_text="Hosts see the attendee list and record attendance.",
    )
    capacity = models.PositiveIntegerField(
        "places",
        default=20,
        validators=[MinValueValidator(1, "A workshop needs at least 1 place.")],
        help_text="How many people can take part. When it is full, people join a waiting list.",
    )
    signup_opens_at = models.DateTimeField(
        "sign-up opens", null=True, blank=True, help_text="Leave empty to open sign-up when the page is published."
    )
    signup_closes_at = models.DateTimeField(
        "sign-up closes", null=True, blank=True, help_text="Leave empty to close sign-up when the workshop starts."
    )
    body = StreamField(BodyBlock(), blank=True)
    tags = ClusterTaggableManager(through=WorkshopPageTag, blank=True)
    # The community it is run for, if any. In an invite-only one, publishing restricts the page to
    # the community's members (``restrict_to_community``), so every workshop list leaves it out.
    community = models.ForeignKey(
        "community.Community",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown in that community’s feed. In an invite-only community only its members can see it.",
    )

    objects = PageManager.from_queryset(WorkshopQuerySet)()

    base_form_class = WorkshopPageForm
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel([FieldRowPanel([FieldPanel("start_at"), FieldPanel("end_at")])], heading="When"),
        MultiFieldPanel([FieldPanel("place"), FieldPanel("online_link")], heading="Where"),
        FieldPanel("host", widget=host_chooser_viewset.widget_class),
        MultiFieldPanel(
            [FieldPanel("capacity"), FieldRowPanel([FieldPanel("signup_opens_at"), FieldPanel("signup_closes_at")])],
            heading="Places and sign-up",
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
        FieldPanel("community"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.SearchField("place"),
        index.RelatedFields("tags", [index.SearchField("name", boost=2)]),
        index.FilterField("start_at"),
        index.FilterField("end_at"),
    ]
    parent_page_types = ["community.WorkshopIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "workshop"
        # The workshops a person hosts, by date, on their profile (``host_activity``).
        indexes = [models.Index(fields=["host", "start_at"], name="community_workshop_by_host")]
        constraints = [
            models.CheckConstraint(condition=Q(end_at__gt=F("start_at")), name="community_workshop_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="community_workshop_has_places"),
            models.CheckConstraint(
                condition=Q(signup_opens_at__isnull=True)
                | Q(signup_closes_at__isnull=True)
                | Q(signup_closes_at__gt=F("signup_opens_at")),
                name="community_workshop_signup_opens_before_close",
            ),
        ]

    def clean(self):
        super().clean()
        errors = {}
        if self.start_at and self.end_at and self.end_at <= self.start_at:
            errors["end_at"] = "The workshop must end after it starts."
        if not self.place.strip() and not self.online_link.strip():
            errors["place"] = "Give a place, an online link, or both."
        if self.signup_opens_at and self.signup_closes_at and self.signup_closes_at <= self.signup_opens_at:
            errors["signup_closes_at"] = "Sign-up must close after it opens."
        elif self.signup_closes_at and self.end_at and self.signup_closes_at > self.end_at:
            errors["signup_closes_at"] = "Sign-up must close before the workshop ends."
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return self.get_url()

    def notification_title(self, user) -> str | None:
        """The title notifications show, or None once the workshop is unpublished or restricted to
        some groups: lists of notifications (and the home page) must not name it then."""
        shown = getattr(self, "shown_to_all", None)
        if shown is None:
            shown = visible_workshops().filter(pk=self.pk).exists()
        return self.title if shown else None

    # --- what the page shows -----------------------------------------------------------------

    @property
    def when(self) -> str:
        return format_span(self.start_at, self.end_at)

    @property
    def signup_closes(self) -> datetime.datetime:
        return self.signup_closes_at or self.start_at

    def has_started(self, now=None) -> bool:
        return self.start_at <= (now or timezone.now())

    def is_over(self, now=None) -> bool:
        return self.end_at <= (now or timezone.now())

    def signup_problem(self, now=None) -> str | None:
        """Why nobody can sign up right now, or None when sign-up is open."""
        now = now or timezone.now()
        if not self.live:
            return "This workshop is not published."
        if self.is_over(now):
            return "This workshop has already taken place."
        if self.has_started(now):
            return "This workshop has already started, so sign-up has closed."
        if self.signup_opens_at and now < self.signup_opens_at:
            return f"Sign-up opens on {format_moment(self.signup_opens_at)}."
        if now >= self.signup_closes:
            return f"Sign-up closed on {format_moment(self.signup_closes)}."
        return None

    def place_counts(self) -> dict:
        """Places taken and people waiting: from ``with_place_counts``, or one query, kept for the
        life of this object."""
        if hasattr(self, "confirmed_count"):
            return {"confirmed": self.confirmed_count, "waiting": self.waitlist_count}
        if "_place_counts" not in self.__dict__:
            self._place_counts = self.signups.aggregate(
                confirmed=Count("pk", filter=Q(status=WorkshopSignup.Status.CONFIRMED)),
                waiting=Count("pk", filter=Q(status=WorkshopSignup.Status.WAITLISTED)),
            )
        return self._place_counts

    def places_left(self) -> int:
        return max(self.capacity - self.place_counts()["confirmed"], 0)

    def places_summary(self) -> str:
        """ "12 of 20 places left", or how full it is."""
        counts = self.place_counts()
        plural = "s" if self.capacity != 1 else ""
        if self.is_over():
            return f"{counts['confirmed']} of {self.capacity} place{plural} taken"
        left = self.places_left()
        if left:
            return f"{left} of {self.capacity} place{plural} left"
        waiting = counts["waiting"]
        if waiting:
            return f"Full – {waiting} {'person' if waiting == 1 else 'people'} on the waiting list"
        return "Full – no places left"

    def can_manage(self, user) -> bool:
        """Hosts and the digital team see the attendee list and record attendance."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        return user.pk == self.host_id or can_manage_workshops(user)

    def signup_of(self, user) -> "WorkshopSignup | None":
        """This person's current place or waiting-list entry (not a cancelled one)."""
        if not getattr(user, "is_authenticated", False):
            return None
        return self.signups.active().filter(user=user).first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        signup = self.signup_of(request.user)
        can_manage = self.can_manage(request.user)
        context.update(
            {
                "signup": signup,
                "position": signup.waitlist_position() if signup and signup.is_waitlisted else None,
                "places_left": self.places_left(),
                "signup_problem": self.signup_problem(),
                "can_manage": can_manage,
                "is_host": request.user.pk == self.host_id,
                # The joining link is for people taking part, not for forwarding around.
                "show_online_link": bool(self.online_link) and (can_manage or bool(signup and signup.is_confirmed)),
                # Serving the page has just fetched its parent, the workshop index.
                "workshop_index": self.get_parent().specific,
            }
        )
        return context

    # --- its routes -----------------------------------------------------------------------------
    # Below the page's address; the views are in views.py. Sign-up, cancel and "new address"
    # answer POST only (with Django's CSRF check, as every Wagtail page has).

    @path("sign-up/", name="sign_up")
    def sign_up_route(self, request):
        from . import views

        return views.sign_up(request, self)

    @path("places/<int:pk>/cancel/", name="cancel")
    def cancel_route(self, request, pk):
        from . import views

        return views.cancel(request, self, pk)

    @path("attendees/", name="attendees")
    def attendees_route(self, request):
        from . import views

        return views.attendees(request, self)

    @path("attendees/csv/", name="attendees_csv")
    def attendees_csv_route(self, request):
        from . import views

        return views.attendees_csv(request, self)

    @path("calendar/", name="ics")
    def ics_route(self, request):
        from . import views

        return views.workshop_ics(request, self)

    # --- the rules ------------------------------------------------------------------------------

    def _lock(self) -> "WorkshopPage":
        """This workshop as it is now, locked until the transaction ends (call inside one).

        PostgreSQL holds the row lock; SQLite ignores FOR UPDATE, but its IMMEDIATE transactions
        already hold the database's write lock from the first statement.
        """
        return WorkshopPage.objects.select_for_update(of=("self",)).get(pk=self.pk)

    def sign_up(self, user) -> "WorkshopSignup":
        """Give ``user`` a place, or a place on the waiting list when the workshop is full."""
        from ..listening.follows import follow

        with transaction.atomic():
            workshop = self._lock()
            now = timezone.now()
            problem = workshop.signup_problem(now)
            if problem:
                raise ValidationError(problem)
            if user.pk == workshop.host_id:
                raise ValidationError("You are hosting this workshop, so you do not need a place.")
            signup = WorkshopSignup.objects.filter(workshop=workshop, user=user).first()
            if signup is not None and signup.is_confirmed:
                raise ValidationError("You already have a place at this workshop.")
            if signup is not None and signup.is_waitlisted:
                raise ValidationError("You are already on the waiting list for this workshop.")
            # Anyone already waiting goes first, should places have appeared (a larger capacity).
            workshop._fill_places(now)
            has_room = workshop.signups.confirmed().count() < workshop.capacity
            if signup is None:
                signup = WorkshopSignup(workshop=workshop, user=user, created_at=now)
            signup.status = WorkshopSignup.Status.CONFIRMED if has_room else WorkshopSignup.Status.WAITLISTED
            signup.queued_at = now
            signup.confirmed_at = now if has_room else None
            signup.promoted_at = signup.cancelled_at = signup.reminder_sent_at = None
            signup.attended = None
            try:
                with transaction.atomic():
                    signup.save()
            except IntegrityError:
                raise ValidationError("You have already signed up for this workshop.") from None
            follow(user, workshop, auto=True)
        return signup

    def _fill_places(self, now) -> list:
        """Give free places to the people waiting longest; email them once the transaction commits.
        Call on a locked workshop."""
        if self.has_started(now):
            return []
        free = self.capacity - self.signups.confirmed().count()
        if free <= 0:
            return []
        promoted = list(self.signups.waitlisted().order_by("queued_at", "pk").values_list("pk", flat=True)[:free])
        if not promoted:
            return []
        WorkshopSignup.objects.filter(pk__in=promoted, status=WorkshopSignup.Status.WAITLISTED).update(
            status=WorkshopSignup.Status.CONFIRMED, confirmed_at=now, promoted_at=now
        )
        from .announcements import send_promotion_emails, tell_promoted

        tell_promoted(self, promoted)
        transaction.on_commit(lambda: send_promotion_emails.enqueue(promoted))
        return promoted

    def record_attendance(self, by, attended_ids) -> int:
        """Mark who came (``attended_ids``, sign-up ids) and, by elimination, who did not."""
        if not self.can_manage(by):
            raise PermissionDenied("Only the host and the digital team can record attendance.")
        with transaction.atomic():
            workshop = self._lock()
            now = timezone.now()
            if not workshop.has_started(now):
                raise ValidationError("You can record attendance once the workshop has started.")
            confirmed = set(workshop.signups.confirmed().values_list("pk", flat=True))
            attended = set(attended_ids)
            if not attended <= confirmed:
                raise ValidationError("Some of the people you ticked do not have a place at this workshop.")
            workshop.signups.filter(pk__in=attended).update(attended=True, attendance_recorded_at=now)
            workshop.signups.confirmed().exclude(pk__in=attended).update(attended=False, attendance_recorded_at=now)
        return len(attended)

    def record_publication(self, by=None) -> None:
        """After each publish: the first announces the workshop to followers of its tags; a later
        one that moves it tells attendees and followers, and bumps the calendar SEQUENCE so calendar
        apps replace the old times."""
        from .announcements import announce, tell_time_changed

        with transaction.atomic():
            workshop = self._lock()
            now = timezone.now()
            schedule = WorkshopSchedule.objects.filter(workshop=workshop).first()
            if schedule is None:
                WorkshopSchedule.objects.create(workshop=workshop, start_at=workshop.start_at, end_at=workshop.end_at)
                if not workshop.is_over(now):
                    announce(workshop, by)
            elif (schedule.start_at, schedule.end_at) != (workshop.start_at, workshop.end_at):
                was = format_span(schedule.start_at, schedule.end_at)
                WorkshopSchedule.objects.filter(pk=schedule.pk).update(
                    start_at=workshop.start_at, end_at=workshop.end_at, sequence=F("sequence") + 1, changed_at=now
                )
                # The reminder belongs to the new date.
                workshop.signups.active().update(reminder_sent_at=None)
                tell_time_changed(workshop, by, was)
            # A larger capacity makes room for people waiting.
            workshop._fill_places(now)


class WorkshopSchedule(models.Model):
    """What calendars were last told about a workshop: its published times and the iCalendar
    SEQUENCE. Kept off the page because publishing a revision writes the revision's copy of every
    page field back, which would wind a counter on the page back too."""

    workshop = models.OneToOneField(WorkshopPage, on_delete=models.CASCADE, primary_key=True, related_name="schedule")
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    sequence = models.PositiveIntegerField(default=0)
    announced_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Schedule of {self.workshop_id} (sequence {self.sequence})"


class WorkshopSignupQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=WorkshopSignup.Status.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=WorkshopSignup.Status.WAITLISTED)

    def active(self):
        return self.exclude(status=WorkshopSignup.Status.CANCELLED)

    def places_for(self, user, workshops) -> dict:
        """{workshop id: (status, attended)} of this person's current sign-ups among ``workshops``,
        in one query."""
        if not getattr(user, "is_authenticated", False) or not workshops:
            return {}
        rows = self.active().filter(user=user, workshop__in=[w.pk for w in workshops])
        return {
            workshop_id: (status, attended)
            for workshop_id, status, attended in rows.values_list("workshop_id", "status", "attended")
        }


class WorkshopSignup(models.Model):
    """One person's place (or place in the queue) at one workshop. Cancelling keeps the row."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Has a place"
        WAITLISTED = "waitlisted", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    workshop = models.ForeignKey(WorkshopPage, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_signups")
    status = models.CharField(max_length=20, choices=Status)
    created_at = models.DateTimeField(default=timezone.now)
    # When they last joined: the waiting list is served in this order.
    queued_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)

    objects = WorkshopSignupQuerySet.as_manager()

    class Meta:
        ordering = ["queued_at", "pk"]
        permissions = [("manage_workshops", "Can see the attendees of every workshop and record attendance")]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "user"], name="community_workshopsignup_one_per_person"),
            models.CheckConstraint(
                condition=Q(attended__isnull=True) | Q(status="confirmed"),
                name="community_workshopsignup_attended_needs_place",
            ),
        ]
        indexes = [models.Index(fields=["workshop", "status", "queued_at"], name="community_signup_queue")]

    def __str__(self):
        return f"{self.user} – {self.get_status_display()} – {self.workshop_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == self.Status.WAITLISTED

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED

    def waitlist_position(self) -> int | None:
        """1 for the next person to get a place."""
        if not self.is_waitlisted:
            return None
        ahead = WorkshopSignup.objects.waitlisted().filter(
            Q(queued_at__lt=self.queued_at) | Q(queued_at=self.queued_at, pk__lt=self.pk), workshop_id=self.workshop_id
        )
        return ahead.count() + 1

    def cancel(self, by) -> list:
        """Give up this place (or leave the waiting list). A freed place goes to the first person
        waiting. Returns the ids of the sign-ups promoted."""
        if by is None or by.pk != self.user_id:
            raise PermissionDenied("You can only cancel your own place.")
        with transaction.atomic():
            workshop = self.workshop._lock()
            signup = WorkshopSignup.objects.get(pk=self.pk)
            now = timezone.now()
            if not signup.is_active:
                raise ValidationError("You have already cancelled this place.")
            if workshop.has_started(now):
                raise ValidationError("This workshop has already started, so you can no longer cancel.")
            was_confirmed = signup.is_confirmed
            WorkshopSignup.objects.filter(pk=self.pk).update(status=self.Status.CANCELLED, cancelled_at=now)
            promoted = workshop._fill_places(now) if was_confirmed else []
        self.refresh_from_db()
        return promoted


# --- personal calendar feeds ----------------------------------------------------------------------


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret in one person's calendar-feed address. A new token revokes the old address."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_calendar")
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Workshop calendar of {self.user}"

    @classmethod
    def for_user(cls, user) -> "CalendarFeed":
        feed, _ = cls.objects.get_or_create(user=user)
        return feed

    def revoke(self) -> None:
        self.token = new_calendar_token()
        self.created_at = timezone.now()
        self.save(update_fields=["token", "created_at"])


def visible_workshops(user=None):
    """Published workshops without a view restriction: what lists, search, feeds and follows offer."""
    return WorkshopPage.objects.live().public()


def host_activity(person, viewer, before, limit):
    """The workshops ``person`` hosts, latest start first (upcoming ones on top), for their
    profile's "Recent activity": published and open to every colleague only, whoever looks (a
    restricted workshop is listed nowhere but its own pages)."""
    rows = visible_workshops().filter(host=person)
    if before is not None:
        rows = rows.filter(start_at__lt=before)
    now = timezone.now()
    return [
        ActivityItem(
            date=workshop.start_at,
            kind="Hosts a workshop" if workshop.start_at > now else "Hosted a workshop",
            title=workshop.title,
            url=workshop.url,
            snippet=workshop.summary,
        )
        for workshop in rows.order_by("-start_at")[:limit]
    ]


def host_name(workshop) -> str:
    return display_name(workshop.host) if workshop.host is not None else ""
