"""Password rules of the register, with their messages in Vietnamese.

Accounts here open convicts' records, so a password must be long and mix
upper case, lower case, digits and other characters (the issue's rule; see
DESIGN.md, "Tenancy and security").
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

SPECIAL_HINT = "!@#$%^&*…"


class StrongPasswordValidator:
    """At least ``min_length`` characters, with an upper-case letter, a
    lower-case letter, a digit and a character that is none of these."""

    def __init__(self, min_length: int = 10):
        self.min_length = min_length

    def validate(self, password: str, user=None) -> None:
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    f"Mật khẩu phải dài ít nhất {self.min_length} ký tự.",
                    code="password_too_short",
                )
            )
        checks = [
            (str.isupper, "một chữ hoa", "password_no_upper"),
            (str.islower, "một chữ thường", "password_no_lower"),
            (str.isdigit, "một chữ số", "password_no_digit"),
            (
                lambda ch: not ch.isalnum(),
                f"một ký tự đặc biệt ({SPECIAL_HINT})",
                "password_no_special",
            ),
        ]
        for test, what, code in checks:
            if not any(test(ch) for ch in password):
                errors.append(
                    ValidationError(f"Mật khẩu phải có ít nhất {what}.", code=code)
                )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return (
            f"Mật khẩu dài ít nhất {self.min_length} ký tự, có chữ hoa, chữ "
            f"thường, chữ số và ký tự đặc biệt ({SPECIAL_HINT})."
        )
