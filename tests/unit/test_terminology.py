"""The zh-Hant catalogs speak Taiwanese business Chinese, one word per concept (issue 7's review)."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = [ROOT / "forms/i18n/zh_Hant.po", ROOT / "webui/translations/zh_Hant/LC_MESSAGES/messages.po",
            ROOT / "engine/mail/translations/zh_Hant/LC_MESSAGES/mail.po"]
# Words the review replaced, and what replaced them.
REPLACED = {"二級企業": "子公司及分支機構", "經理的決定": "部門經理審核結果", "管理組的決定": "管理組表決結果",
            "召集人的決定": "召集人裁決結果", "審核提醒時間到": "審核到期提醒", "平手": "可否同數",
            "找出管理組成員": "確認表決成員名單", "除投票通過外": "投「退回」或「否決」時必填",
            "專案否決": "專案未獲核准", "收件匣": "待辦事項", "評選標準": "選擇標準"}


def _messages():
    for path in CATALOGS:
        with path.open("rb") as f:
            yield from ((path.name, m) for m in read_po(f) if isinstance(m.id, str) and m.id)


@pytest.mark.parametrize("old", sorted(REPLACED))
def test_no_catalog_uses_a_replaced_word(old):
    assert [(name, m.id) for name, m in _messages() if old in m.string] == []


def test_the_admins_rewind_never_shares_the_word_return_with_the_process():
    rewinds = [m.string for _name, m in _messages() if "rewind" in m.id.lower() or "rewound" in m.id.lower()
               or "went back to the chosen step" in m.id]
    assert rewinds and all("退回" not in s for s in rewinds), rewinds
    assert any("回溯" in s for s in rewinds)


def test_engagement_names_its_stage_with_the_invitation_it_means():
    stages = [m.string for _name, m in _messages() if m.id == "Engagement"]
    assert stages and all(s == "約會（邀約互動）" for s in stages)
