"""API of the evaluation app (routes are added with the app's features)."""

from ninja import Router

router = Router(tags=["evaluation"])
