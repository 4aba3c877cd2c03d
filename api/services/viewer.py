"""Who is looking at help content: hidden posts and replies are shown in full only to their author and
to moderators, so the response schemas need to know the viewer.

The view's service call sets it for the request; schemas read it while dumping (after the view returned).
"""

from dataclasses import dataclass

from flask import g


@dataclass(frozen=True)
class Viewer:
    user_id: int | None
    can_moderate: bool


NOBODY = Viewer(user_id=None, can_moderate=False)


def set_viewer(user_id: int, can_moderate: bool) -> Viewer:
    g.help_viewer = Viewer(user_id, can_moderate)
    return g.help_viewer


def current_viewer() -> Viewer:
    return g.get("help_viewer", NOBODY)
