"""The one way user-written Markdown becomes HTML in Confer.

Markdown is rendered with markdown-it-py's "js-default" preset (raw HTML off), headings one level
down so a body never adds a second <h1> to its page, and the result is
always cleaned by nh3 with a forum allowlist: measured against 223 DOMPurify attack strings, that
pair let none through (docs/traps.md). Models store the output once, at save time.
"""

from html import escape, unescape

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_renderer = MarkdownIt("js-default")


def _shift_headings(state) -> None:
    """The page's own title is its only <h1>: user headings start at <h2> (h1→h2 … h5 and h6→h6)."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"


_renderer.core.ruler.push("confer_shift_headings", _shift_headings)


def _image_as_link(self, tokens, idx, options, env) -> str:
    """An image becomes a link to it, never an <img>: a picture from another site is a tracking
    pixel on everyone who reads the post, and one with a relative address makes every reader's
    browser send a GET to Confer itself (once used to mark their notifications read)."""
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = self.renderInline(token.children or [], options, env)
    label = f"{alt} (image)" if alt else "Image"
    return f'<a href="{escape(src)}">{label}</a>' if src else label


_renderer.add_render_rule("image", _image_as_link)

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "code": {"class"},
    "th": {"style"},
    "td": {"style"},
    "ol": {"start"},
}
# Table alignment is the only inline style markdown-it writes; nothing else survives.
ALLOWED_STYLE_PROPERTIES = {"text-align"}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitise_html(html: str) -> SafeString:
    """Clean HTML from any source down to the allowlist; links get rel="nofollow noopener"."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        filter_style_properties=ALLOWED_STYLE_PROPERTIES,
        link_rel="nofollow noopener",
    )
    return mark_safe(cleaned)


def render_markdown(text: str | None) -> SafeString:
    """Render user Markdown to sanitised HTML, safe to put in a template as it is."""
    return sanitise_html(_renderer.render(text or ""))


def plain_text(html: str) -> str:
    """The text of rendered (already sanitised) HTML, for snippets: tags dropped and entities
    decoded, so "Q&amp;A" reads "Q&A" once ``highlight`` escapes it again."""
    return unescape(strip_tags(html or ""))
