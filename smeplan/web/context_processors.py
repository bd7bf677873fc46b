"""Navigation for every page: the menu entries the user's role may open."""


def navigation(request):
    from smeplan.web.navigation import menu_for

    return {"nav_menu": menu_for(request.user, request.path)}
