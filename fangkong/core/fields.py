"""Model field that stores text encrypted and hands plaintext to Python."""

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Combinable, Expression

from . import crypto

if TYPE_CHECKING:
    # The stubs make fields generic (set type, get type); Django's classes are not subscriptable.
    _TextField = models.TextField[str | Combinable, str]
else:
    _TextField = models.TextField


class EncryptedTextField(_TextField):
    description = "Text encrypted at rest (AES-GCM)"

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str | None:
        if value is None:
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if value is None:
            return value
        return crypto.encrypt(str(value))
