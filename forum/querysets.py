from django.db.models import QuerySet

from forum.models import Topic


class TopicQuerySet(QuerySet):
    def published(self) -> "TopicQuerySet":
        return self.filter(published_at__isnull=False)


def published_topics() -> QuerySet[Topic]:
    return Topic.objects.filter(published_at__isnull=False).order_by("tree_id", "lft")
