"""Write services of accounts. Each is atomic and records one audit event."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction

from smeplan.accounts.models import ApiToken, User
from smeplan.accounts.scoping import is_provincial_admin, require
from smeplan.audit.services import audit_record

KEY_LEAD = "smp_"  # marks a smeplan API key in logs and secret scanners (not a secret)


def _may_manage_tokens_of(actor, user: User) -> bool:
    """The system (``actor`` None: management commands), the user itself, or a provincial admin."""
    if actor is None:
        return True
    return actor.pk == user.pk or is_provincial_admin(actor)


@transaction.atomic
def api_token_issue(*, actor, user: User, name: str = "") -> tuple[ApiToken, str]:
    """签发 API 令牌. Returns the token row and the raw key, which is shown once and never stored
    (only its SHA-256 is kept)."""
    require(_may_manage_tokens_of(actor, user), "无权为该用户签发 API 令牌")
    name = " ".join(str(name or "").split())
    errors = {}
    if not user.is_active:
        errors["user"] = [f"用户“{user.username}”已停用，不能签发令牌"]
    if len(name) > 60:
        errors["name"] = [f"用途不能超过60个字（现有{len(name)}个）"]
    if errors:
        raise ValidationError(errors)
    raw_key = KEY_LEAD + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=ApiToken.hash_key(raw_key), prefix=raw_key[:8]
    )
    audit_record(
        actor=actor,
        event_type="api_token.issued",
        subject=user,
        payload={"token_id": token.pk, "prefix": token.prefix, "name": name},
    )
    return token, raw_key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """吊销 API 令牌: it stops working at once; the row stays for the record."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    require(_may_manage_tokens_of(actor, token.user), "无权吊销该用户的 API 令牌")
    if token.revoked:
        raise ValidationError({"token": [f"令牌 {token.prefix}… 已吊销"]})
    token.revoked = True
    token.save(update_fields=["revoked"])
    audit_record(
        actor=actor,
        event_type="api_token.revoked",
        subject=token.user,
        payload={"token_id": token.pk, "prefix": token.prefix, "name": token.name},
    )
    return token
