"""Template filters for showing personal data masked."""

from django import template

from fangkong.people.display import age_on, mask_address

register = template.Library()


@register.filter
def masked_address(address: str) -> str:
    return mask_address(address)


@register.filter
def age(birth_date):
    return age_on(birth_date)
