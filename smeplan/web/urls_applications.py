"""Pages of the recognition workflow's applications (申报、审核待办、专家评审、通知)."""

urlpatterns: list = []
