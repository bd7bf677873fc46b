"""Pages of public notices, objections, certifications, terminations and changes (公示、认定、终止、变更),
including the public pages that need no login."""

urlpatterns: list = []
