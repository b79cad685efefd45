"""The signed-in viewer's row: topic grants plus what forum.extensions' VIEWER
contributors read with them."""

import functools

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from guardian.models import GroupObjectPermission, UserObjectPermission

from accounts.models import Employee
from erfaringsforum.db import prepared_cursor
from forum import extensions
from forum.models import Topic


# A viewer's topic grants, user and group grants together, as "pk codename" strings. The
# tables are django-guardian's; tests/moderation/test_staffing.py checks that the answers
# are guardian's ObjectPermissionChecker's for every role and permission, without its two
# ORM queries per topic. Read with what VIEWER contributors add (the header's counts) in
# one row: every page that checks a topic right shows the header too (F26, F29).
def _grants_sql() -> str:
    def col(model: type, name: str) -> str:
        return model._meta.get_field(name).column

    uop, gop, perm = UserObjectPermission, GroupObjectPermission, Permission
    member = Employee._meta.get_field("groups")
    by_user = f"""
        SELECT g.{col(uop, "object_pk")} || ' ' || p.{col(perm, "codename")} AS grant_
          FROM {uop._meta.db_table} g
          JOIN {perm._meta.db_table} p ON p.id = g.{col(uop, "permission")}
         WHERE g.{col(uop, "user")} = %(user)s AND g.{col(uop, "content_type")} = %(ct)s
           AND p.{col(perm, "content_type")} = %(ct)s"""  # noqa: S608
    by_group = f"""
        SELECT g.{col(gop, "object_pk")} || ' ' || p.{col(perm, "codename")}
          FROM {gop._meta.db_table} g
          JOIN {perm._meta.db_table} p ON p.id = g.{col(gop, "permission")}
          JOIN {member.m2m_db_table()} m ON m.{member.m2m_reverse_name()} = g.{col(gop, "group")}
         WHERE m.{member.m2m_column_name()} = %(user)s AND g.{col(gop, "content_type")} = %(ct)s
           AND p.{col(perm, "content_type")} = %(ct)s"""  # noqa: S608
    return f"""(SELECT coalesce(array_agg(gr.grant_), '{{}}')
                  FROM ({by_user} UNION {by_group}) gr)"""  # noqa: S608


def viewer_parts() -> tuple[str, str]:
    """The viewer's select list (grants, then every VIEWER contribution) and joins."""
    contributions = extensions.columns(extensions.VIEWER)
    selects = [_grants_sql(), *(c.select for c in contributions)]
    return ", ".join(selects), " ".join(c.join for c in contributions)


def viewer_params(viewer: Employee) -> dict:
    params = {"user": viewer.pk, "ct": ContentType.objects.get_for_model(Topic).pk}
    for contribution in extensions.columns(extensions.VIEWER):
        if contribution.params is not None:
            params.update(contribution.params(viewer))
    return params


def keep_viewer(viewer: Employee, values: tuple) -> set[tuple[str, str]]:
    """Keep what the viewer columns read: the grants on the viewer (`_topic_perms`, for
    forum.permissions), the rest through each contribution's keep()."""
    grants, rest = values[0], values[1:]
    viewer._topic_perms = {tuple(grant.split(" ", 1)) for grant in grants}
    for contribution in extensions.columns(extensions.VIEWER):
        contribution.keep(viewer, rest[: contribution.width])
        rest = rest[contribution.width :]
    return viewer._topic_perms


@functools.cache
def _viewer_sql() -> str:
    select, joins = viewer_parts()
    return f"SELECT {select} FROM (SELECT 1) AS one {joins}"  # noqa: S608


def read_viewer(viewer: Employee) -> set[tuple[str, str]]:
    """The viewer's (topic pk, codename) grants, with what VIEWER contributors read in the
    same row (kept on the viewer object). One query."""
    with prepared_cursor() as cursor:
        cursor.execute(_viewer_sql(), viewer_params(viewer))
        return keep_viewer(viewer, cursor.fetchone())
