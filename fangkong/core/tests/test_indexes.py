"""A phone is looked up through its index: a hash index on PostgreSQL, a plain one elsewhere."""

import pytest
from django.db import connection

from fangkong.people.models import Person

pytestmark = pytest.mark.django_db


def test_a_phone_is_looked_up_through_its_index():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'person_phone_index'")
            (definition,) = cursor.fetchone()
            assert "USING hash" in definition and "WHERE (NOT" in definition
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Person.objects.filter(phone_index="0f" * 16).explain()
    assert "person_phone_index" in plan
