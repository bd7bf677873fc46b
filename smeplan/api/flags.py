"""API of the flags app (routes are added with the app's features)."""

from ninja import Router

router = Router(tags=["flags"])
