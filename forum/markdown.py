"""Markdown to safe HTML: the only producer of HTML that templates mark safe.

CommonMark (with tables and strikethrough) through markdown-it-py with raw HTML switched
off, then an allow-list sanitizer (nh3) over the result, so even a renderer bug cannot let
a script, an event handler or a javascript:/vbscript:/data: URL through. Images
become links: the CSP only allows our own images.
"""

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

# Bump when the output of render_markdown changes; `manage.py rerender_posts` re-renders
# every post stored with an older version.
RENDERER_VERSION = 1

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])


def _image_as_link(self, tokens, idx, options, env) -> str:
    """An image becomes a link to it, labelled with its alt text (no <img> in posts)."""
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env) or token.attrGet("src")
    src = token.attrGet("src") or ""
    return f'<a href="{escapeHtml(src)}">{escapeHtml(alt or "")}</a>'


_markdown.add_render_rule("image", _image_as_link)

ALLOWED_TAGS = {
    "p", "br", "hr", "a", "em", "strong", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


def _allowed_attribute_value(tag: str, attribute: str, value: str) -> str | None:
    if tag == "code" and attribute == "class":
        # Only markdown-it's "language-xyz" hint survives, for future highlighting.
        return value if value.startswith("language-") and value[9:].isalnum() else None
    if attribute == "href":
        # nh3 already keeps only http(s)/mailto and relative URLs; also drop relative URLs
        # that start with a dangerous scheme behind quotes or spaces.
        squashed = "".join(ch for ch in value.lower() if ch.isalnum() or ch == ":")
        return None if squashed.startswith(_BAD_SCHEMES) else value
    if attribute == "align":
        return value if value in {"left", "right", "center"} else None
    return value


def sanitize_html(html: str) -> str:
    """Allow-list HTML cleaning; every link gets rel="nofollow noopener"."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_allowed_attribute_value,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Render Markdown source to sanitized HTML (safe to mark safe in templates)."""
    return sanitize_html(_markdown.render(text))
