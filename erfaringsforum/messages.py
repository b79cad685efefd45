"""Confirmations in the reader's language.

A message is stored when the action is done and shown on the next page, maybe after the
reader switched language. A translatable message (a lazy string) is therefore stored as its
source text and translated when it is read, in the language of that request. Text that is
already final (a formatted admin message, safe HTML) is shown as it was stored.
"""

from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.fallback import FallbackStorage
from django.utils import translation
from django.utils.functional import Promise
from django.utils.safestring import SafeData


class ReaderLanguageStorage(FallbackStorage):
    def add(self, level: int, message, extra_tags: str = "") -> None:
        if isinstance(message, Promise):
            with translation.override(None):  # no catalogue: the msgid itself
                message = str(message)
        super().add(level, message, extra_tags)

    def __iter__(self):
        for message in super().__iter__():
            text = message.message
            if text and isinstance(text, str) and not isinstance(text, SafeData):
                text = translation.gettext(text)
            yield Message(message.level, text, message.extra_tags)
