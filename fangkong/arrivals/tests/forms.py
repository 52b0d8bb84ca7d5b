"""Values of the public self-report form, shared by the tests that submit it."""

from fangkong.people.tests.factories import resident_id


def self_report_values(world, **changes) -> dict:
    """A complete report: green code, a valid certificate, from 武昌区 to the home village."""
    values = {
        "name": "向红梅", "document_type": "resident_id", "document_number": resident_id("420106"),
        "phone": "13907435678", "origin_province": "42", "origin_city": "4201",
        "origin_county": "420106", "travel_mode": "high_speed_rail", "travel_number": "G6117",
        "arrival_at": "2022-01-10T09:30", "township": world.home_township.code,
        "village": world.home_village.code, "address": "德夯村3组", "health_code": "green",
        "nat_sampled_at": "2022-01-09T08:00", "nat_result": "negative", "vaccine_doses": "3",
    }  # fmt: skip
    values.update(changes)
    return values
