"""Pages of the flags app."""

urlpatterns: list = []
