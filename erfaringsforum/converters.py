"""Path converters every app's URLs use. Importing this module registers `<id:...>`."""

from django.urls import register_converter


class IdConverter:
    """A primary key that fits in a bigint: longer numbers are a 404, not a database error."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
