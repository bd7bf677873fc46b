"""What the recognition matrix modules (pages, public pages, API) share: the role sets, the
predicates every one of them uses, and lazily made objects."""

from smeplan.recognition.models import Application

PROVINCIAL = {"provincial_admin", "provincial_officer"}
BUREAU = PROVINCIAL | {"city_officer", "county_officer"}
REGION_BOUND = BUREAU | {"viewer"}
WITH_SCOPE = REGION_BOUND | {"enterprise_user", "agency_user"}
SIGNED_IN = {
    "provincial_admin", "provincial_officer", "city_officer", "county_officer", "viewer", "expert",
    "enterprise_user", "agency_user",
}  # fmt: skip


def everyone(role, target):
    return True


def signed_in(role, target):
    return role in SIGNED_IN


def sees(role, target):
    """Applications, certifications and change reports follow the organisation's scope."""
    if role in PROVINCIAL:
        return True
    return role in {"city_officer", "county_officer", "viewer", "enterprise_user"} and target == "mine"


def sees_notice(role, target):
    """Notices (bureaus and viewers) follow the publishing bureau's region (mine: 雁塔)."""
    return role in PROVINCIAL or (role in {"city_officer", "county_officer", "viewer"} and target == "mine")


def _only(role_name):
    """Only that role, and only on ``mine`` (the bureau the object waits for, or its owner)."""
    return lambda role, target: role == role_name and target == "mine"


def _lazy(fn):
    """A zero-arg callable making ``fn()`` once, on first use."""
    box = []

    def get():
        if not box:
            box.append(fn())
        return box[0]

    return get


def _version(pk) -> int:
    return Application.objects.get(pk=pk).lock_version
