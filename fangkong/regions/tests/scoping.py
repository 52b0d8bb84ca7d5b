"""How the scoping matrix reaches the region pages: a region is its own object."""

URL_CASES = {
    "regions:detail": lambda world, village: {"code": village.code},
}

API_CASES = {
    "/regions/{code}": lambda world, village: {"code": village.code},
}
