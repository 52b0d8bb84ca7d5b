"""Password policy (MLPS level 3): at least three of four character classes."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c in string.ascii_lowercase for c in password),
            any(c in string.ascii_uppercase for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < 3:
            raise ValidationError(
                _("密码须包含小写字母、大写字母、数字、符号中的至少三类"),
                code="password_character_classes",
            )

    def get_help_text(self) -> str:
        return _("密码至少8位，并包含小写字母、大写字母、数字、符号中的至少三类。")
