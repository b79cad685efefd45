"""Following what matters (issue 15): watches, notifications, e-mail and the digest.

A nested Django app of the forum (label ``notifications``): models, reads, services, rules
and views of its own. The apps above the forum (moderation) register their kinds of
notification here (kinds.register) and notify through services.notify; the forum's write
services enqueue the fan-out of a new post (tasks.fan_out_post) after their commit.
"""
