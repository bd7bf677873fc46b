"""Navigation and the signed-in user's badge (name, role, region or organisation) for every page."""


def navigation(request):
    from smeplan.web.navigation import menu_for

    user = getattr(request, "user", None)
    return {"nav_menu": menu_for(user, request.path), "user_badge": _badge(user)}


def _badge(user) -> dict | None:
    if user is None or not user.is_authenticated:
        return None
    place = ""
    if user.region_id:
        place = user.region.name
    elif user.organisation_id:
        place = user.organisation.name
    return {"name": str(user), "role": user.get_role_display(), "place": place}
