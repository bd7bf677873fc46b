"""密码规则 (password policy): at least 10 characters, at least 3 of the 4 classes (upper-case,
lower-case, digit, symbol), not similar to the user's name, login name or e-mail, not a common
password. Stated in Chinese on the registration, invitation, reset and change-password pages
(:data:`POLICY_TEXT`); enforced by ``AUTH_PASSWORD_VALIDATORS`` (settings) wherever a form sets a
password (Django's ``validate_password``). Passwords set directly with ``set_password`` (demo
logins, tests) are not checked."""

from django.contrib.auth import password_validation as pv
from django.core.exceptions import ValidationError

MIN_LENGTH = 10
MIN_CLASSES = 3

POLICY_TEXT = (
    f"密码至少 {MIN_LENGTH} 位，须包含大写字母、小写字母、数字、符号四类中的至少 {MIN_CLASSES} 类；"
    "不得与用户名、姓名或电子邮箱相近，不得使用常见密码。"
)


class MinimumLengthValidator(pv.MinimumLengthValidator):
    def __init__(self, min_length=MIN_LENGTH):
        super().__init__(min_length)

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码太短：至少 {self.min_length} 位，当前 {len(password)} 位", code="password_too_short"
            )

    def get_help_text(self):
        return f"密码至少 {self.min_length} 位"


class CharacterClassesValidator:
    """At least ``min_classes`` of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes=MIN_CLASSES):
        self.min_classes = min_classes

    @staticmethod
    def classes_of(password: str) -> int:
        checks = (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() and not c.isspace() for c in password),
        )
        return sum(checks)

    def validate(self, password, user=None):
        found = self.classes_of(password)
        if found < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号四类中的至少 {self.min_classes} 类，当前只有 {found} 类",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"须包含大写字母、小写字母、数字、符号四类中的至少 {self.min_classes} 类"


class UserAttributeSimilarityValidator(pv.UserAttributeSimilarityValidator):
    DEFAULT_USER_ATTRIBUTES = ("username", "display_name", "email", "first_name", "last_name")

    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                "密码与用户名、姓名或电子邮箱太相近，请换一个", code="password_too_similar"
            ) from None

    def get_help_text(self):
        return "不得与用户名、姓名或电子邮箱相近"


class CommonPasswordValidator(pv.CommonPasswordValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError("这是常见密码，容易被猜中，请换一个", code="password_too_common") from None

    def get_help_text(self):
        return "不得使用常见密码"


def password_problems(password: str, user=None) -> list[str]:
    """Every Chinese message the configured validators give for ``password`` (empty: acceptable)."""
    try:
        pv.validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []
