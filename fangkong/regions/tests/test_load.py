import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from fangkong.regions.models import CodeSystem, Level, Region
from fangkong.regions.services import UnknownDeepRegion, regions_load
from fangkong.regions.sources import DivisionDataError, DivisionDataMissing, division_rows

from .conftest import SYNTHETIC_FILES, write_division_dir

pytestmark = pytest.mark.django_db


def synthetic_regions():
    return Region.objects.filter(code__startswith="91")


def test_load_creates_the_tree_with_paths_short_names_and_code_system(division_dir):
    counts = regions_load(data_dir=division_dir, deep_city_codes=["9101"])

    assert {level: c["created"] for level, c in counts.items()} == {
        "province": 1, "city": 2, "county": 3, "township": 2, "village": 4,
    }  # fmt: skip
    village = Region.objects.get(code="910101100201")
    assert village.name == "东门村村民委员会"
    assert village.short_name == "东门村"
    assert village.level == Level.VILLAGE
    assert village.parent_id == "910101100"
    assert village.path == "91/9101/910101/910101100/910101100201"
    assert village.code_system == CodeSystem.NBS_2023
    assert Region.objects.get(code="910101001").short_name == "保康街道"
    assert Region.objects.get(code="9102").short_name == ""


def test_only_the_deep_city_gets_townships_and_villages(division_dir):
    regions_load(data_dir=division_dir, deep_city_codes=["9101"])

    assert Region.objects.filter(code="910201").exists()
    assert not Region.objects.filter(code__startswith="9102", level__gt=Level.COUNTY).exists()


def test_loading_twice_changes_nothing(division_dir):
    regions_load(data_dir=division_dir, deep_city_codes=["9101"])
    before = list(synthetic_regions().values_list("code", "name", "short_name", "path"))

    counts = regions_load(data_dir=division_dir, deep_city_codes=["9101"])

    assert all(c["created"] == 0 and c["updated"] == 0 for c in counts.values())
    assert list(synthetic_regions().values_list("code", "name", "short_name", "path")) == before


def test_a_second_load_updates_renamed_rows_and_adds_new_ones(tmp_path):
    regions_load(data_dir=write_division_dir(tmp_path / "v1"), deep_city_codes=["9101"])
    files = dict(SYNTHETIC_FILES)
    files["areas.csv"] = [line.replace("二县", "二区") for line in files["areas.csv"]]
    files["villages.csv"] = [
        *files["villages.csv"],
        '910101100203,"新村委会",910101100,91,9101,910101',
    ]

    counts = regions_load(
        data_dir=write_division_dir(tmp_path / "v2", files), deep_city_codes=["9101"]
    )

    assert counts["county"]["updated"] == 1
    assert counts["village"]["created"] == 1
    assert Region.objects.get(code="910102").name == "二区"
    assert Region.objects.get(code="910101100203").short_name == "新村"
    assert synthetic_regions().count() == 13


def test_a_malformed_row_stops_the_load_and_writes_nothing(tmp_path):
    files = dict(SYNTHETIC_FILES)
    files["villages.csv"] = [
        *files["villages.csv"],
        '910101100203,"错村委会",910101001,91,9101,910101',
    ]
    data_dir = write_division_dir(tmp_path / "bad", files)

    with pytest.raises(DivisionDataError, match="villages.csv line 7"):
        regions_load(data_dir=data_dir, deep_city_codes=["9101"])
    assert not synthetic_regions().exists()


def test_unknown_deep_code_is_refused(division_dir):
    with pytest.raises(UnknownDeepRegion):
        regions_load(data_dir=division_dir, deep_city_codes=["9199"])
    with pytest.raises(UnknownDeepRegion):
        regions_load(data_dir=division_dir, deep_city_codes=["910101100"])


def test_missing_data_folder_is_reported(tmp_path):
    with pytest.raises(DivisionDataMissing):
        regions_load(data_dir=tmp_path / "absent", deep_city_codes=["9101"])


def test_command_prints_counts_as_json(division_dir):
    out = io.StringIO()
    call_command("regions-load", data_dir=division_dir, cities=["9101"], as_json=True, stdout=out)

    payload = json.loads(out.getvalue())
    assert payload["levels"]["village"]["rows"] == 4
    assert payload["deep"] == ["9101"]


def test_command_without_data_tells_to_install_the_package(tmp_path):
    with pytest.raises(CommandError, match="npm ci"):
        call_command("regions-load", data_dir=tmp_path / "absent", stdout=io.StringIO())


def test_rows_are_streamed_parents_first(division_dir):
    rows = list(division_rows(division_dir, ["9101"]))

    assert [r.level for r in rows] == sorted(r.level for r in rows)
    assert [r.code for r in rows if r.level == Level.VILLAGE] == [
        "910101001001", "910101001002", "910101100201", "910101100202",
    ]  # fmt: skip


REAL_DATA = Path(settings.DIVISION_DATA_DIR)


@pytest.mark.skipif(not (REAL_DATA / "villages.csv").exists(), reason="npm packages not installed")
def test_real_data_has_the_whole_country_and_all_of_xiangxi():
    rows = list(division_rows(REAL_DATA, [settings.HOME_CITY_CODE]))
    by_level = {level: [r for r in rows if r.level == level] for level in Level}

    assert len(by_level[Level.PROVINCE]) == 31
    assert [r.name for r in by_level[Level.COUNTY] if r.parent_code == "4331"] == [
        "吉首市", "泸溪县", "凤凰县", "花垣县", "保靖县", "古丈县", "永顺县", "龙山县",
    ]  # fmt: skip
    assert len(by_level[Level.TOWNSHIP]) == 116
    assert len(by_level[Level.VILLAGE]) == 1797
