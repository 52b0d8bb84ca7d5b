"""The editions that ship with the platform (domain.md, "Control measures").

第八版 + 湖南春节方案 is active; the later editions ship inactive so the HQ can switch when the
province does. Test days count from day 1 = the day the stage starts.
"""

C, HQ, HM = "centralised", "home_quarantine", "home_monitoring"


def _s(kind: str, days: int, tests: list[int]) -> dict:
    return {"type": kind, "days": days, "test_days": tests}


EIGHTH = {
    "close_contact": [_s(C, 14, [1, 4, 7, 14]), _s(HM, 7, [2, 7])],
    "secondary_contact": [_s(C, 7, [1, 4, 7])],
    "inbound": [_s(C, 14, [1, 4, 7, 14]), _s(HM, 7, [2, 7])],
    "risk_area_high": [_s(C, 14, [1, 4, 7, 14]), _s(HM, 7, [2, 7])],
    "risk_area_medium": [_s(HQ, 14, [1, 4, 7, 14]), _s(HM, 7, [2, 7])],
}
NINTH = {
    "close_contact": [_s(C, 7, [1, 2, 3, 5, 7]), _s(HM, 3, [3])],
    "secondary_contact": [_s(HQ, 7, [1, 4, 7])],
    "inbound": [_s(C, 7, [1, 2, 3, 5, 7]), _s(HM, 3, [3])],
    "risk_area_high": [_s(C, 7, [1, 2, 3, 5, 7])],
    "risk_area_medium": [_s(HQ, 7, [1, 4, 7])],
}
# The 20 measures: secondary contacts are no longer traced and medium-risk measures abolished.
TWENTY = {
    "close_contact": [_s(C, 5, [1, 2, 3, 5]), _s(HQ, 3, [1, 3])],
    "inbound": [_s(C, 5, [1, 2, 3, 5]), _s(HQ, 3, [1, 3])],
    "risk_area_high": [_s(HQ, 7, [1, 3, 5, 7])],
}

EDITIONS = [
    {
        "code": "eighth-hunan-spring",
        "name": "第八版 + 湖南春节方案",
        "effective_from": "2022-01-01",
        "active": True,
        "stages": EIGHTH,
        "notes": "新型冠状病毒肺炎防控方案（第八版）及湖南省春节期间疫情防控工作方案",
    },
    {
        "code": "ninth",
        "name": "第九版",
        "effective_from": "2022-06-28",
        "active": False,
        "stages": NINTH,
        "notes": "新型冠状病毒肺炎防控方案（第九版）",
    },
    {
        "code": "twenty-measures",
        "name": "二十条",
        "effective_from": "2022-11-11",
        "active": False,
        "stages": TWENTY,
        "notes": "关于进一步优化新冠肺炎疫情防控措施 科学精准做好防控工作的通知（二十条）",
    },
]
