"""Pages of the reporting app."""

urlpatterns: list = []
