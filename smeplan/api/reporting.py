"""API of the reporting app (routes are added with the app's features)."""

from ninja import Router

router = Router(tags=["reporting"])
