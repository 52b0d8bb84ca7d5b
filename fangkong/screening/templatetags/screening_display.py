"""Template filters for a screening record's personal data on screen."""

from django import template

from fangkong.core.identity import mask_identifiers_in

register = template.Library()


@register.filter
def masked_error(message: str) -> str:
    """A row error with the identifier it quotes masked (the sheet of rows to correct, which is
    logged, has them whole)."""
    return mask_identifiers_in(message)
