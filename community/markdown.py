"""The one way user-written Markdown becomes HTML in Confer.

Markdown is rendered with markdown-it-py's "js-default" preset (raw HTML off), headings one level
down so a body never adds a second <h1> to its page, typed web and email addresses made links
(linkify-it-py), ``@username`` made a link to that colleague's profile when they have an active
account (anyone else's stays plain text), and the result is
always cleaned by nh3 with a forum allowlist: measured against 223 DOMPurify attack strings, that
pair let none through (docs/traps.md). Models store the output once, at save time.

Images: only pictures uploaded to Confer (``/uploads/images/<n>/``, community/uploads.py) are shown;
any other address in ``![…](…)`` becomes a plain link, never loaded by a reader's browser.
"""

import re
from html import escape, unescape

import nh3
from django.contrib.auth import get_user_model
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_renderer = MarkdownIt("js-default", {"linkify": True}).enable("linkify")

# An uploaded picture's address, the only images a post may show (community/uploads.py).
UPLOADED_IMAGE = re.compile(r"^/uploads/images/\d+/$")
# @username: Django's username characters but "@", not straight after a letter, digit, "/" or "@"
# (an email address or a link is not a mention), and not ending in "." ("thanks @sam.").
MENTION = re.compile(r"@([\w.+-]*[\w+-])")
_NOT_BEFORE_MENTION = re.compile(r"[\w/@.]")


def _shift_headings(state) -> None:
    """The page's own title is its only <h1>: user headings start at <h2> (h1→h2 … h5 and h6→h6)."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"


_renderer.core.ruler.push("confer_shift_headings", _shift_headings)


def _image_as_link(self, tokens, idx, options, env) -> str:
    """An image becomes a link to it, never an <img>: a picture from another site is a tracking
    pixel on everyone who reads the post, and one with any other relative address makes every
    reader's browser send a GET to Confer itself (once used to mark their notifications read).
    The one exception is a picture uploaded to Confer, served as an image and nothing else."""
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = self.renderInline(token.children or [], options, env)
    if UPLOADED_IMAGE.match(src):
        return f'<img src="{escape(src)}" alt="{escape(strip_tags(alt))}" loading="lazy">'
    label = f"{alt} (image)" if alt else "Image"
    return f'<a href="{escape(src)}">{label}</a>' if src else label


_renderer.add_render_rule("image", _image_as_link)


def _mention(state, silent: bool) -> bool:
    """Inline rule: "@sam" becomes a ``mention`` token; whether it links is decided at render time."""
    if state.src[state.pos] != "@":
        return False
    if state.pos > 0 and _NOT_BEFORE_MENTION.match(state.src[state.pos - 1]):
        return False
    match = MENTION.match(state.src, state.pos)
    if match is None or len(match.group(1)) > 150:
        return False
    if not silent:
        token = state.push("mention", "", 0)
        token.meta = {"username": match.group(1)}
        token.content = match.group(0)
    state.pos = match.end()
    return True


_renderer.inline.ruler.before("emphasis", "confer_mention", _mention)


def _render_mention(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    username = env.get("confer_people", {}).get(token.meta["username"].lower())
    if username is None:  # nobody active by that name: plain text, no link
        return escape(token.content)
    return f'<a class="confer-mention" href="/people/{escape(username)}/">@{escape(username)}</a>'


_renderer.add_render_rule("mention", _render_mention)


def _mentioned_names(tokens) -> set[str]:
    names = set()
    for token in tokens:
        for child in token.children or ():
            if child.type == "mention":
                names.add(child.meta["username"])
    return names


def active_usernames(names) -> dict[str, str]:
    """{lower-cased name: username} of the active accounts among ``names``, in one query."""
    if not names:
        return {}
    # As typed, or in lower case ("@Sam" finds sam): both by the username's unique index.
    wanted = sorted({*names, *(name.lower() for name in names)})
    found = get_user_model().objects.filter(is_active=True, username__in=wanted)
    return {username.lower(): username for username in found.values_list("username", flat=True)}


def mentioned_names(text: str | None) -> set[str]:
    """The ``@names`` typed in ``text`` (outside code), as typed, whether or not anyone has them."""
    return _mentioned_names(_renderer.parse(text or "", {}))


ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "loading"},
    "code": {"class"},
    "th": {"style"},
    "td": {"style"},
    "ol": {"start"},
}
# Table alignment is the only inline style markdown-it writes; nothing else survives.
ALLOWED_STYLE_PROPERTIES = {"text-align"}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


ALLOWED_CLASSES = {"a": {"confer-mention"}}
_IMG_WITHOUT_SRC = re.compile(r'<img(?![^>]*\bsrc=")[^>]*>')


def _only_uploaded_images(tag: str, attribute: str, value: str) -> str | None:
    """An <img> keeps its address only when it is a picture uploaded to Confer."""
    if tag == "img" and attribute == "src" and not UPLOADED_IMAGE.match(value):
        return None
    return value


def sanitise_html(html: str) -> SafeString:
    """Clean HTML from any source down to the allowlist; links get rel="nofollow noopener"."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_only_uploaded_images,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        filter_style_properties=ALLOWED_STYLE_PROPERTIES,
        link_rel="nofollow noopener",
    )
    # nh3 writes attributes back double-quoted, so an <img> left without an address is found
    # exactly, and goes: nothing of a picture from elsewhere remains.
    return mark_safe(_IMG_WITHOUT_SRC.sub("", cleaned))


def render_markdown(text: str | None) -> SafeString:
    """Render user Markdown to sanitised HTML, safe to put in a template as it is. Mentions of
    active people are looked up in one query (none when nobody is mentioned)."""
    env = {}
    tokens = _renderer.parse(text or "", env)
    env["confer_people"] = active_usernames(_mentioned_names(tokens))
    return sanitise_html(_renderer.renderer.render(tokens, _renderer.options, env))


def plain_text(html: str) -> str:
    """The text of rendered (already sanitised) HTML, for snippets: tags dropped and entities
    decoded, so "Q&amp;A" reads "Q&A" once ``highlight`` escapes it again."""
    return unescape(strip_tags(html or ""))
