"""Who reacts when a test result is recorded.

`nat_result_record` calls each handler, in order, inside its transaction, as
`handler(test=NatTest, actor=Actor)`. Modules add their dotted path here (measures matches the
result to a scheduled test; arrivals will match its arrival test); keep the list explicit
rather than hidden in signals, so the order and the set are visible in one place.
"""

RESULT_HANDLERS: list[str] = [
    "fangkong.measures.schedule.on_result_recorded",
    "fangkong.arrivals.services.on_result_recorded",
]

# Where else a person may be looked after than where they live: each provider is called as
# `provider(person_ids=[...]) -> {person_id: [region codes]}` (e.g. the county of the
# quarantine site holding them), so a site's lab can record results for its residents.
PERSON_REGION_PROVIDERS: list[str] = [
    "fangkong.measures.schedule.regions_of_people",
]
