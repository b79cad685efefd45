"""Moderation pages, one module per concern (see base.py for the shape every view has).

Refusals (see moderation.permissions): acting in a topic one does not moderate is a 403;
a thread or post in a topic the user cannot see, and any consultation outside its staff,
is a 404.
"""
