from django.apps import AppConfig


def _questions_for_tag(tag, request):
    from .models import Question

    return (
        Question.objects.visible_to(request.user)
        .listed()
        .filter(tags=tag)
        .with_status_flags()
        .select_related("author__profile")
        .prefetch_related("tags")
        .order_by("-created_at")[:20]
    )


def _home_questions(queryset):
    return queryset.with_status_flags().select_related("author__profile").prefetch_related("tags")[:5]


def _recent_questions(request):
    from .models import Question

    return _home_questions(Question.objects.recent())


def _unanswered_questions(request):
    from .models import Question

    # Oldest first: the ones waiting longest are the ones a colleague can rescue.
    return _home_questions(Question.objects.unanswered().order_by("created_at"))


def _questions(request):
    from .models import Question

    # Hidden questions stay out of search for everyone; duplicates stay in (they lead to the original).
    return Question.objects.filter(is_hidden=False)


def _answers(request):
    from .models import Answer

    return Answer.objects.filter(is_hidden=False, question__is_hidden=False).select_related("question")


def _snippet(post):
    from community.sitesearch import plain_text

    return plain_text(post.body_html)


def _visible_questions(user):
    from .models import Question

    return Question.objects.visible_to(user)


def _feed_questions(user, tag):
    from .models import Question

    questions = Question.objects.visible_to(user).listed().select_related("author__profile").prefetch_related("tags")
    if tag is not None:
        questions = questions.filter(tags=tag)
    return questions.order_by("-created_at")[:30]


def _author_name(post):
    profile = getattr(post.author, "profile", None)
    return profile.display_name if profile else post.author.get_username()


EVENT_TYPES = [
    # key, digest heading, order
    ("qa.new_question", "New questions", 10),
    ("qa.new_answer", "New answers", 11),
    ("qa.answer_accepted", "Accepted answers", 12),
    ("qa.answer_verified", "Answers verified by the helpdesk", 13),
    ("qa.new_comment", "New comments on questions", 14),
]


class QaConfig(AppConfig):
    name = "qa"
    verbose_name = "Questions and answers"

    def ready(self):
        from community.feeds import FeedSource, register_feed_source
        from community.follows import Followable, register_followable
        from community.notifications import EventType, register_event_type
        from community.panels import HomePanel, register_home_panel
        from community.sitesearch import SearchType, register_search_type
        from community.tags import TagSection, register_tag_section

        from . import signals  # noqa: F401  (connects the comment rules)
        from .models import Answer, Question, QuestionTag

        register_tag_section(
            TagSection(
                key="questions",
                title="Questions",
                items=_questions_for_tag,
                template="qa/includes/tag_questions.html",
                order=10,
            )
        )
        register_home_panel(
            HomePanel(key="recent-questions", title="Recent questions", items=_recent_questions,
                      template="qa/includes/home_questions.html", link="qa:ask", link_text="Ask a question", order=10)
        )  # fmt: skip
        register_home_panel(
            HomePanel(key="unanswered-questions", title="Waiting for an answer", items=_unanswered_questions,
                      template="qa/includes/home_questions.html", link="qa:index",
                      link_text="See all questions", order=20)
        )  # fmt: skip
        register_search_type(
            SearchType(key="questions", label="Questions", model=Question, queryset=_questions,
                       template="qa/includes/search_question.html", snippet=_snippet, tag_model=QuestionTag,
                       order=10)
        )  # fmt: skip
        register_search_type(
            SearchType(key="answers", label="Answers", model=Answer, queryset=_answers,
                       template="qa/includes/search_answer.html", snippet=_snippet, order=20)
        )  # fmt: skip
        register_followable(
            Followable(key="question", model=Question, label="Questions", visible=_visible_questions, order=20)
        )
        for key, label, order in EVENT_TYPES:
            name = key.split(".", 1)[1]
            register_event_type(EventType(key=key, label=label, template=f"qa/notifications/{name}.html", order=order))
        register_feed_source(
            FeedSource(key="questions", title="Questions", items=_feed_questions, item_title=lambda q: q.title,
                       item_description=lambda q: q.body_html, item_author=_author_name, model=Question, order=10)
        )  # fmt: skip
