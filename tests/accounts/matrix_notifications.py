"""Scoping-matrix rows for 通知设置 (``/notifications/settings/``): every signed-in user, for their
own account only (no object in the URL), read by ``test_scoping_matrix.py``."""

from tests.accounts.matrix_common import signed_in

NONE = ("none",)


def make_world(world):
    return {}


ROUTES = [
    {
        "method": "GET",
        "url": "/notifications/settings/",
        "allowed": signed_in,
        "targets": NONE,
        "keys": ["notifications/settings/"],
    },
    {
        "method": "POST",
        "url": "/notifications/settings/",
        "allowed": signed_in,
        "body": {"email_notifications": "1"},
        "targets": NONE,
    },
]
