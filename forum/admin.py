"""The admin for threads and posts, read-only: moderators act on them in the product,
where every action is logged and the author is told. Topics (staffing and the publishing
gate) are moderation's admin (moderation/topic_admin.py).
"""

from django.contrib import admin

from erfaringsforum.admin_helpers import ReadOnlyAdmin
from forum.models import Post, Thread


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    list_display = ["title", "topic", "author", "kind", "created_at", "reply_count", "pinned"]
    list_filter = ["kind", "pinned", "locked", "topic"]
    list_select_related = ["topic", "author"]
    search_fields = ["title"]
    date_hierarchy = "created_at"


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "thread", "author", "kind", "created_at", "hidden_at"]
    list_filter = ["kind", ("hidden_at", admin.EmptyFieldListFilter)]
    list_select_related = ["thread", "author"]
    search_fields = ["thread__title", "author__name"]
    raw_id_fields = ["thread"]
