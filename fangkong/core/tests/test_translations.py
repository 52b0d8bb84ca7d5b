"""The English catalogue is complete and the platform really speaks English when asked.

The catalogue is fangkong/locale/en/LC_MESSAGES/django.po (see docs/decisions/0006). New
strings reach it with `make makemessages`; these tests fail until they are translated.
"""

import datetime as dt
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = ROOT / "fangkong" / "locale" / "en" / "LC_MESSAGES" / "django.po"
HOW_TO_FIX = (
    "run `make makemessages`, then translate the entries in "
    "fangkong/locale/en/LC_MESSAGES/django.po (no empty msgstr, no fuzzy flag)"
)
CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]")
# The shell's Chinese labels that must not survive a switch to English.
CHINESE_SHELL = ["首页", "工作台", "排查", "管控", "日报", "指挥", "系统", "退出", "人员查询"]


def _load_msgfmt():
    spec = importlib.util.spec_from_file_location("fangkong_msgfmt", ROOT / "scripts" / "msgfmt.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


msgfmt = _load_msgfmt()


@pytest.fixture(scope="module")
def entries():
    return [e for e in msgfmt.parse(CATALOGUE) if e.msgid]


def _describe(entry) -> str:
    return f"line {entry.line}: {entry.msgid!r}"


# --- the catalogue ------------------------------------------------------------------------------


def test_the_catalogue_sits_where_the_settings_look():
    assert ("en", "English") in [(code, str(name)) for code, name in settings.LANGUAGES]
    assert CATALOGUE.parents[2] in [Path(p) for p in settings.LOCALE_PATHS]


def test_every_entry_is_translated_and_none_is_fuzzy(entries):
    header = next(e for e in msgfmt.parse(CATALOGUE) if not e.msgid)
    problems = [f"header is fuzzy: {HOW_TO_FIX}"] if "fuzzy" in header.flags else []
    problems += [f"fuzzy {_describe(e)}" for e in entries if "fuzzy" in e.flags]
    problems += [f"untranslated {_describe(e)}" for e in entries if not e.translated]
    assert not problems, f"{len(problems)} entries need work ({HOW_TO_FIX}):\n" + "\n".join(
        problems[:50]
    )


def test_plural_entries_have_both_english_forms(entries):
    plurals = [e for e in entries if e.msgid_plural is not None]
    assert all(sorted(e.msgstr) == [0, 1] for e in plurals), [_describe(e) for e in plurals]


def test_translations_keep_the_placeholders(entries):
    problems = [f"{_describe(e)}: {p}" for e in entries for p in msgfmt.check(e)]
    assert not problems, "\n".join(problems)


def test_translations_are_english(entries):
    """Chinese left in a translation is a string copied over rather than translated.

    Only quoted Chinese may stay: the column headers of the Chinese spreadsheets people upload,
    each followed by its English, as in “证件号码” (document number).
    """
    leftovers = [
        _describe(e)
        for e in entries
        for text in e.msgstr.values()
        if CJK.search(re.sub(r"“[^”]*”", "", text))
    ]
    assert not leftovers, "\n".join(leftovers)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_msgfmt_accepts_the_catalogue(tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(CATALOGUE)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_the_fallback_compiler_builds_what_msgfmt_builds(tmp_path):
    import gettext

    subprocess.run(["msgfmt", "-o", str(tmp_path / "gnu.mo"), str(CATALOGUE)], check=True)
    (tmp_path / "ours.mo").write_bytes(msgfmt.compile_mo(msgfmt.parse(CATALOGUE)))

    def catalogue(name):
        with open(tmp_path / name, "rb") as fp:
            found = dict(gettext.GNUTranslations(fp)._catalog)
        found.pop("")  # the headers differ: msgfmt drops POT-Creation-Date
        return found

    assert catalogue("ours.mo") == catalogue("gnu.mo")


SAMPLE = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#, fuzzy, python-format
#~ msgid "旧的 %(n)s"
#~ msgstr "Old %(n)s"

#: a.py:1
msgid "你好"
msgstr ""
"Hello "
"there"

#, python-format
msgid "%(n)s 人"
msgid_plural "%(n)s 人"
msgstr[0] "%(n)s person"
msgstr[1] "%(n)s people"

#, python-format
#~ msgid ""
#~ "已删除的"
#~ msgstr "Deleted"
"""


def test_the_fallback_compiler_skips_obsolete_entries_and_their_flags(tmp_path):
    import gettext

    catalogue = tmp_path / "django.po"
    catalogue.write_text(SAMPLE, encoding="utf-8")
    entries = msgfmt.parse(catalogue)
    assert [e.msgid for e in entries] == ["", "你好", "%(n)s 人"]
    assert "fuzzy" not in entries[1].flags
    (tmp_path / "django.mo").write_bytes(msgfmt.compile_mo(entries))
    with open(tmp_path / "django.mo", "rb") as fp:
        translations = gettext.GNUTranslations(fp)
    assert translations.info()["content-type"] == "text/plain; charset=UTF-8"
    # Through variables: literal arguments would be collected into the catalogue.
    hello, people = entries[1].msgid, entries[2].msgid
    assert translations.gettext(hello) == "Hello there"
    assert translations.ngettext(people, people, 2) == "%(n)s people"


# --- strings in the code ------------------------------------------------------------------------

PY_LITERAL = re.compile(
    r"\b(?:_|gettext|gettext_lazy|gettext_noop)\(\s*(?:\"([^\"\\\n]*)\"|'([^'\\\n]*)')\s*\)"
)
TEMPLATE_LITERAL = re.compile(
    r"\{%\s*(?:translate|trans)\s+(?:\"([^\"\\]*)\"|'([^'\\]*)')(?:\s+as\s+\w+)?\s*%\}"
)


def _code_files(pattern: str):
    for base in (ROOT / "fangkong", ROOT / "config"):
        for path in base.rglob(pattern):
            parts = set(path.relative_to(ROOT).parts)
            if parts & {"tests", "migrations", "node_modules", "static"}:
                continue
            yield path


def _literals():
    """Simple literal strings marked for translation: `_("…")` in Python, `{% translate '…' %}`."""
    for path in _code_files("*.py"):
        for match in PY_LITERAL.finditer(path.read_text(encoding="utf-8")):
            yield path, match.group(1) if match.group(1) is not None else match.group(2)
    for path in _code_files("*.html"):
        for match in TEMPLATE_LITERAL.finditer(path.read_text(encoding="utf-8")):
            text = match.group(1) if match.group(1) is not None else match.group(2)
            # Template text is %-escaped on its way into the catalogue.
            yield path, text.replace("%", "%%")


def test_strings_marked_in_the_code_are_in_the_catalogue(entries):
    translated = {e.msgid for e in entries if e.translated and "fuzzy" not in e.flags}
    missing = sorted(
        {
            f"{path.relative_to(ROOT)}: {text!r}"
            for path, text in _literals()
            if text and CJK.search(text) and text not in translated
        }
    )
    assert not missing, f"{len(missing)} strings lack an English translation ({HOW_TO_FIX}):\n" + (
        "\n".join(missing[:50])
    )


# --- pages in English ---------------------------------------------------------------------------


@pytest.fixture
def english_client(client, world, settings, tmp_path):
    """A signed-in HQ commander whose browser asks for English.

    The committed catalogue is compiled afresh into a temporary locale folder, so the pages are
    checked against the .po as it stands rather than against whatever .mo was last built.
    """
    folder = tmp_path / "locale" / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.mo").write_bytes(msgfmt.compile_mo(msgfmt.parse(CATALOGUE)))
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    client.force_login(world.user("hq"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _section(html: str, start: str, end: str) -> str:
    found = re.search(re.escape(start) + r".*?" + re.escape(end), html, re.S)
    assert found, f"no {start!r} in the page"
    return found.group(0)


def _assert_english_shell(html: str):
    assert '<html lang="en">' in html
    navigation = _section(html, '<nav class="sidenav"', "</nav>")
    assert not CJK.search(re.sub(r"<[^>]+>", "", navigation)), navigation
    for label in ["Home", "Screening", "Measures", "Daily reports", "Command", "Sign out"]:
        assert label in html
    for label in CHINESE_SHELL:
        assert f">{label}<" not in html, label


def test_home_page_in_english(english_client):
    response = english_client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    _assert_english_shell(html)
    for text in ["My region", "My role", "HQ commander", "What I can do", "Division code"]:
        assert text in html
    for text in ["我的辖区", "我的角色", "我可以办理", "指挥部领导"]:
        assert text not in html


def test_a_list_page_in_english(english_client):
    response = english_client.get("/people/")
    assert response.status_code == 200
    html = response.content.decode()
    _assert_english_shell(html)
    assert "Find people" in html
    assert "人员查询" not in html


def test_chinese_is_still_the_default(client, world):
    client.force_login(world.user("hq"))
    html = client.get("/").content.decode()
    assert '<html lang="zh-CN">' in html
    assert "我的辖区" in html and "My region" not in html


def test_the_language_switch_turns_english_on(client, world, settings):
    client.force_login(world.user("hq"))
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


# --- the dashboard and the daily report in English -------------------------------------------
# Their labels are translated; data (region and unit names, free text) may stay Chinese, so the
# checks look at the labels only.


def _visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def _json_script(html: str, element_id: str):
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert found, element_id
    return json.loads(found.group(1))


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def test_the_dashboard_in_english(english_client):
    html = english_client.get("/dashboard/").content.decode()
    _assert_english_shell(html)
    figures = _visible(
        _section(html, '<div class="grid dash-figures">', '<div class="dash-charts">')
    )
    assert not CJK.search(figures), figures
    for text in ["In centralised quarantine", "Checkpoint checks today", "person-times", "people"]:
        assert text in figures
    headers = _visible(_section(html, "<thead>", "</thead>"))
    assert not CJK.search(headers) and "Four-clear rate %" in headers, headers
    titles = re.findall(r'<h2 class="card-title">(.*?)</h2>', html, re.S)
    assert titles and not [t for t in titles if CJK.search(_visible(t))], titles
    # The charts' words (dashboard.js) and the category labels come from the server.
    words = _json_script(html, "dashboard-labels")
    assert words["status"]["returned"] == "Returned" and words["trend"]["tests.sampled"]
    assert not [s for s in _strings(words) if CJK.search(s)], words
    data = _json_script(html, "dashboard-data")
    assert [c["label"] for c in data["quarantine_by_category"]][:2] == [
        "Close contact",
        "Secondary contact",
    ]
    screen = english_client.get("/dashboard/screen/").content.decode()
    assert '<html lang="en">' in screen and "Leave big screen" in screen


def test_a_daily_report_in_english(english_client, world):
    import time_machine
    from django.utils import translation
    from django.utils.translation import pgettext

    from fangkong.core.actor import Actor
    from fangkong.core.roles import Role
    from fangkong.reports.models import DailyReport
    from fangkong.reports.services import default_units, period_create

    morning = dt.datetime(2022, 1, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with time_machine.travel(morning, tick=False):
        period_create(
            actor=Actor.build(user=None, region=world.city, role=Role.COMPREHENSIVE_STAFF),
            name="2022年“两节”疫情防控特护期",
            hq=world.hq,
            starts_on=dt.date(2022, 1, 10),
            ends_on=dt.date(2022, 3, 15),
            units=default_units(world.hq),
        )
        english_client.force_login(world.user("workgroup"))
        form = english_client.get("/reports/day/2022-01-20/").content.decode()
        labels = re.findall(r'<label for="fig-[^"]+">(.*?)</label>', form)
        assert "Sampled (person-times)" in labels, labels
        assert not [label for label in labels if CJK.search(label)], labels
        titles = [_visible(t) for t in re.findall(r'<h2 class="card-title">(.*?)</h2>', form)]
        assert "Work carried out" in titles and not [t for t in titles if CJK.search(t)], titles
        assert "Daily report for 20 Jan 2022" in form
        english_client.post(
            "/reports/day/2022-01-20/", {"text-work_done": "完成排查", "fig-tests.sampled": ""}
        )
        report = DailyReport.objects.get(day=dt.date(2022, 1, 20), first_submitted_at__isnull=False)
        english_client.force_login(world.user("comprehensive"))
        detail = english_client.get(f"/reports/{report.pk}/").content.decode()
    rows = re.findall(r"<tr><td>(.*?)</td>", _section(detail, "<tbody>", "</tbody>"))
    assert "Four-clear rate (%)" in rows and not [r for r in rows if CJK.search(r)], rows
    assert "20 Jan 2022" in detail and ">Return</button>" in detail
    # 退回 is both the button (return a report) and the board's short status (returned).
    with translation.override("en"):
        assert pgettext("return a report, button", "退回") == "Return"
        assert pgettext("report status, short", "退回") == "Returned"
