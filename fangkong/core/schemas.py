"""Resolvers shared by the API's output schemas (no fields of their own: each schema keeps
declaring its fields, in its own order)."""

from typing import Any, cast

from ninja import Schema


class RegionCodeOut(Schema):
    """`region` answered with the division code the row's region reference holds."""

    @staticmethod
    def resolve_region(obj: Any) -> str:
        return cast(str, obj.region_id)


class MaskedPersonOut(Schema):
    """`person_name` answered masked, as every list shows it."""

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return cast(str, obj.person.masked_name)
