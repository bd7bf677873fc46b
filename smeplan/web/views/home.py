"""首页: who the user is and what they can do."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from smeplan.accounts.models import Role
from smeplan.accounts.scoping import scope_for
from smeplan.regions.models import RegionLevel
from smeplan.regions.selectors import counties
from smeplan.registry.selectors import organisation_get, organisations_visible_to
from smeplan.web import navigation


@login_required
def home(request):
    user = request.user
    scope = scope_for(user)
    context = {
        "is_bureau": user.is_bureau or user.is_superuser,
        "is_viewer": user.role == Role.VIEWER,
        "is_expert": user.role == Role.EXPERT,
        "can_browse": navigation.can_browse_registry(user),
        "can_create": navigation.can_create_organisation(user),
        "can_regions": navigation.can_view_regions(user),
        "can_audit": navigation.can_view_audit(user),
        "can_admin": navigation.can_use_admin(user),
        "api_docs_url": navigation.api_docs_url(),
        "region": user.region if user.region_id else None,
        "organisation": None,
        "county_count": None,
        "organisation_count": None,
    }
    if context["region"] is not None and not scope.nothing:
        # Counties covered: from the scope (no query) or the 107 counties for the province.
        context["county_count"] = len(scope.county_codes) if scope.county_codes else counties().count()
        # Counting organisations is cheap only for one county; the province and cities skip it.
        if (
            context["region"].level == RegionLevel.COUNTY
            and scope.county_codes
            and len(scope.county_codes) == 1
        ):
            context["organisation_count"] = organisations_visible_to(user).count()
    if navigation.is_organisation_user(user):
        try:
            context["organisation"] = organisation_get(user, user.organisation_id)
        except Http404:
            context["organisation"] = None
    context.update(_recognition_context(user))
    return render(request, "web/home.html", context)


def _recognition_context(user) -> dict:
    """认定工作 on the home page: what waits for the user's bureau (per state), an enterprise's own
    applications, an expert's open assignments — small indexed queries."""
    from smeplan.recognition import selectors
    from smeplan.recognition.models import State

    out: dict = {"queue": [], "own_applications": [], "expert_open": None}
    if navigation.can_review(user):
        counts = selectors.queue_counts(user)
        out["queue"] = [(s, State(s).label, counts[s]) for s in State.values if counts.get(s)]
    if user.role == Role.ENTERPRISE_USER and user.organisation_id:
        out["own_applications"] = list(selectors.own_applications(user).order_by("-updated_at")[:5])
    if user.role == Role.EXPERT:
        out["expert_open"] = selectors.expert_assignments_of(user).filter(submitted_at__isnull=True).count()
    return out
