"""Risk areas are national reference data: every official may read them."""

URL_EXEMPT = {
    "riskareas:history": "national reference data, not scoped by region",
    "riskareas:lift": "national reference data; lifting needs riskareas.manage (city HQ)",
}
