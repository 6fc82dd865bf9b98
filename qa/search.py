"""Questions and answers in the ranked search list: what a hit stands for, and how a question's
state (answered, accepted, verified) labels it and lifts it. The weights are explained in
docs/search.md; every function here costs the same few queries however many hits it is given."""

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from community.hooks import Found, ResultState
from community.markdown import plain_text

from .models import Answer, Question

# How much a hit in an answer counts for its question, against a hit in the question itself (1.0).
ANSWER_WEIGHTS = {"verified": 1.0, "accepted": 0.9, "other": 0.6}
DUPLICATE_WEIGHT = 0.8  # a duplicate's words count for the question it duplicates, a little less
# The state prior: a question whose answer was accepted or verified is what a colleague is after.
PRIORS = {"verified": 1.6, "accepted": 1.45, "answered": 1.25, "unanswered": 1.0, "closed": 0.85}


def question_text(question) -> str:
    """What a question's embedding is made from: its title, then its words."""
    return f"{question.title}. {plain_text(question.body_html)}"


def answer_text(answer) -> str:
    # The question's title too: an answer alone ("Restart it") means little.
    return f"{answer.question.title}. {plain_text(answer.body_html)}"


def _off_topic(question) -> bool:
    return question.close_reason == Question.CloseReason.OFF_TOPIC


def _duplicate_targets(questions) -> dict:
    """{duplicate pk: the visible question it duplicates}, in one query."""
    wanted = {q.duplicate_of_id for q in questions if q.status == Question.Status.DUPLICATE and q.duplicate_of_id}
    if not wanted:
        return {}
    targets = Question.objects.filter(pk__in=wanted, is_hidden=False).exclude(
        close_reason=Question.CloseReason.OFF_TOPIC
    )
    by_pk = {target.pk: target for target in targets}
    return {q.pk: by_pk[q.duplicate_of_id] for q in questions if q.duplicate_of_id in by_pk}


def resolve_questions(questions, request) -> list:
    """A question stands for itself; a duplicate for the question it duplicates ("also asked as");
    an off-topic one for nothing."""
    targets = _duplicate_targets(questions)
    found = []
    for question in questions:
        if _off_topic(question):
            found.append(None)
        elif question.pk in targets:
            found.append(Found("questions", targets[question.pk], weight=DUPLICATE_WEIGHT, also_asked_as=question))
        else:
            found.append(Found("questions", question))
    return found


def resolve_answers(answers, request) -> list:
    """An answer stands for its question (or the question that one duplicates), weighted by whether
    it was verified or accepted, with its own text as the snippet."""
    targets = _duplicate_targets([answer.question for answer in answers])
    found = []
    for answer in answers:
        question = answer.question
        if _off_topic(question):
            found.append(None)
            continue
        state = "verified" if answer.verified_at else "accepted" if answer.is_accepted else "other"
        target = targets.get(question.pk, question)
        found.append(
            Found(
                "questions",
                target,
                weight=ANSWER_WEIGHTS[state] * (DUPLICATE_WEIGHT if target is not question else 1.0),
                snippet=plain_text(answer.body_html),
                also_asked_as=question if target is not question else None,
            )
        )
    return found


def describe_questions(questions, request) -> dict:
    """{pk: ResultState}: answer count, "Accepted", "Verified by the helpdesk", the best answer's
    text, and the prior for that state. Two queries for any number of questions."""
    pks = [question.pk for question in questions]
    best = {
        answer.question_id: answer
        for answer in Answer.objects.filter(question_id__in=pks, is_hidden=False, withdrawn_at__isnull=True)
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("question_id")],
                order_by=[F("verified_at").desc(nulls_last=True), F("is_accepted").desc(), F("score").desc(), F("pk")],
            )
        )
        .filter(place=1)
        .only("question_id", "body_html", "verified_at", "is_accepted")
    }
    accepted = set(
        Answer.objects.filter(
            question_id__in=pks, is_hidden=False, withdrawn_at__isnull=True, is_accepted=True
        ).values_list("question_id", flat=True)
    )
    states = {}
    for question in questions:
        answer = best.get(question.pk)
        verified = bool(answer and answer.verified_at)
        is_accepted = question.pk in accepted
        labels = []
        count = question.answer_count
        labels.append(f"{count} answer{'' if count == 1 else 's'}")
        if is_accepted:
            labels.append("Accepted")
        if verified:
            # One verification state for colleagues, as on the question page (never "Verified" and
            # "Due for review" side by side).
            labels.append("Verified — being reviewed" if question.review_due else "Verified by the helpdesk")
        if question.status == Question.Status.CLOSED:
            labels.append("Closed")
        key = (
            "verified"
            if verified
            else "accepted"
            if is_accepted
            else "answered"
            if answer
            else "closed"
            if question.status == Question.Status.CLOSED
            else "unanswered"
        )
        states[question.pk] = ResultState(
            prior=PRIORS[key], labels=tuple(labels), answer=plain_text(answer.body_html) if answer else ""
        )
    return states
