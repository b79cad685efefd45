"""Markdown to safe HTML: the only producer of HTML that templates mark safe.

CommonMark (with tables and strikethrough) through markdown-it-py with raw HTML switched
off, then an allow-list sanitizer (nh3) over the result, so even a renderer bug cannot let
a script, an event handler or a javascript:/vbscript:/data: URL through. Images
become links: the CSP only allows our own images.
"""

import re
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

# Bump when the output of render_markdown changes; `manage.py rerender_posts` re-renders
# every post stored with an older version.
RENDERER_VERSION = 2  # 2: @mentions of existing employees become links to their profiles

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])


def _image_as_link(self, tokens, idx, options, env) -> str:
    """An image becomes a link to it, labelled with its alt text (no <img> in posts)."""
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env) or token.attrGet("src")
    src = token.attrGet("src") or ""
    return f'<a href="{escapeHtml(src)}">{escapeHtml(alt or "")}</a>'


_markdown.add_render_rule("image", _image_as_link)

# A mention: @ and a handle (an e-mail's local part), not inside a word or an e-mail address
# (ola@nav.no), not in code and not inside a link.
MENTION = re.compile(r"(?<![\w@.+-])@([a-z0-9](?:[a-z0-9._-]*[a-z0-9])?)", re.IGNORECASE)


def _split_mentions(state) -> None:
    """A core rule: text tokens outside links are split into text and `mention` tokens
    (whose content is the lower-cased handle), as markdown-it's linkify splits URLs."""
    for block in state.tokens:
        if block.type != "inline" or not block.children or "@" not in block.content:
            continue
        children, in_link = [], 0
        for token in block.children:
            if token.type == "link_open":
                in_link += 1
            elif token.type == "link_close":
                in_link -= 1
            if token.type != "text" or in_link or "@" not in token.content:
                children.append(token)
                continue
            text, start = token.content, 0
            for match in MENTION.finditer(text):
                if match.start() > start:
                    children.append(_text_token(text[start : match.start()], token.level))
                mention = Token("mention", "", 0, content=match.group(1).lower())
                mention.markup = match.group(0)
                mention.level = token.level
                children.append(mention)
                start = match.end()
            if start < len(text):
                children.append(_text_token(text[start:], token.level))
        block.children = children


def _text_token(content: str, level: int) -> Token:
    token = Token("text", "", 0, content=content)
    token.level = level
    return token


def _mention(self, tokens, idx, options, env) -> str:
    """A mention of a known employee (env["people"]: handle -> profile URL) is a link to
    their profile; any other @word stays the text it was."""
    token = tokens[idx]
    url = (env or {}).get("people", {}).get(token.content)
    if url is None:
        return escapeHtml(token.markup)
    return f'<a href="{escapeHtml(url)}" class="mention">{escapeHtml(token.markup)}</a>'


_markdown.core.ruler.push("mentions", _split_mentions)
_markdown.add_render_rule("mention", _mention)

ALLOWED_TAGS = {
    "p", "br", "hr", "a", "em", "strong", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
    "code": {"class"},
    "a": {"href", "title", "class"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


def _allowed_attribute_value(tag: str, attribute: str, value: str) -> str | None:
    if tag == "code" and attribute == "class":
        # Only markdown-it's "language-xyz" hint survives, for future highlighting.
        return value if value.startswith("language-") and value[9:].isalnum() else None
    if tag == "a" and attribute == "class":
        return value if value == "mention" else None
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


@dataclass
class ParsedPost:
    """A post's Markdown parsed once: `handles` are the people it names (@handle, lower
    case, in order of first mention), for the caller to look up before rendering."""

    tokens: list[Token]
    handles: list[str]


def parse_markdown(text: str) -> ParsedPost:
    tokens = _markdown.parse(text, {})
    handles: dict[str, None] = {}
    for block in tokens:
        for token in block.children or ():
            if token.type == "mention":
                handles.setdefault(token.content)
    return ParsedPost(tokens, list(handles))


def render_parsed(parsed: ParsedPost, people: dict[str, str] | None = None) -> str:
    """Sanitized HTML of a parsed post; `people` maps the handles of existing active
    employees to their profile URLs (the other @words stay text)."""
    env = {"people": people or {}}
    return sanitize_html(_markdown.renderer.render(parsed.tokens, _markdown.options, env))


def render_markdown(text: str, people: dict[str, str] | None = None) -> str:
    """Render Markdown source to sanitized HTML (safe to mark safe in templates). Mentions
    become links only for the handles in `people` (handle -> profile URL)."""
    return render_parsed(parse_markdown(text), people)
