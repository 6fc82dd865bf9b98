""" "Turn into a question / an idea": the ask form (qa) and the new-idea form (ideas) accept
``?from_item=<id>``; the core cannot import them, so they call these. The form is filled in with
the item's title and a quote, and a link back to where it was heard; the new post keeps the item
(``from_listening_item``), and the item is never purged."""

from django.utils.text import Truncator

from .models import ListeningItem

FIELD = "from_item"


def item_from(request) -> ListeningItem | None:
    """The item named by ``from_item`` in the address or the posted form, if there is one."""
    value = request.POST.get(FIELD) or request.GET.get(FIELD) or ""
    if not value.isdigit():
        return None
    return ListeningItem.objects.select_related("source").filter(pk=int(value)).first()


def link_back(item: ListeningItem) -> str:
    where = f"[{item.source.name}]({item.link})" if item.link else item.source.name
    return f"Heard on {where} ({item.published_at:%d %B %Y}), shared from the listening post."


def initial(item: ListeningItem, title_length: int, body_field: str) -> dict:
    quote = Truncator(item.summary_text).words(60)
    lines = [f"> {quote}", ""] if quote else []
    body = "\n".join([*lines, link_back(item), "", ""])
    tags = ", ".join(sorted(item.source.tags.values_list("name", flat=True)))
    return {"title": item.title[:title_length], body_field: body, "tags": tags}


def used_for(item: ListeningItem, post) -> None:
    """``post`` (a question or an idea) was made from ``item``: it links back, and the item is kept."""
    type(post).objects.filter(pk=post.pk).update(from_listening_item=item)
    post.from_listening_item = item
    item.keep()
