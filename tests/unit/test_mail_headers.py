"""Header values are built safely whatever people typed, and the mail catalog is complete."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from engine.mail import MailFacts, Renderer
from engine.mail.headers import SUBJECT_LIMIT, compose

ROOT = Path(__file__).resolve().parents[2]
MAIL = ROOT / "engine" / "mail"
WHEN = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)


def sent(subject: str, to_name: str = "王大明", to_address: str = "bob@example.com", body: str = "內文"):
    msg = compose(subject, body, sender="kamflow@example.com", to_name=to_name, to_address=to_address,
                  message_id="<1.2@example.com>", when=WHEN)
    raw = msg.as_bytes()
    return raw, message_from_bytes(raw, policy=policy.default)


def test_a_line_break_in_a_name_cannot_add_a_header():
    subject = Renderer(ROOT / "forms").subject(
        MailFacts("task_assigned", "Bob", "Metro\r\nBcc: victim@example.com", ("Committee vote",)), "en")
    raw, parsed = sent(subject, to_name="Bob\r\nCc: x@example.com")
    assert parsed["Bcc"] is None and parsed["Cc"] is None
    assert parsed["Subject"] == "New task: Committee vote – Metro Bcc: victim@example.com"
    assert parsed["To"].addresses[0].addr_spec == "bob@example.com"
    assert all(line.startswith((b" ", b"\t")) or b":" in line for line in raw.split(b"\r\n\r\n")[0].split(b"\r\n"))


def test_a_long_subject_is_cut_to_fit_and_folded():
    raw, parsed = sent("專案" * 300)
    assert len(parsed["Subject"]) == SUBJECT_LIMIT and parsed["Subject"].endswith("…")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78


def test_chinese_headers_are_encoded_and_decode_back():
    raw, parsed = sent("新待辦事項：台北捷運票務", body="王大明 您好：\n請至 KAM Flow 查看。")
    head = raw.split(b"\r\n\r\n")[0]
    assert head.isascii() and b"=?utf-8?" in head
    assert parsed["Subject"] == "新待辦事項：台北捷運票務"
    assert str(parsed["To"]) == "王大明 <bob@example.com>"
    assert parsed.get_content().splitlines() == ["王大明 您好：", "請至 KAM Flow 查看。"]
    assert (parsed["Message-ID"], parsed["Auto-Submitted"]) == ("<1.2@example.com>", "auto-generated")


@pytest.mark.parametrize("address", ["bob@example.com\r\nBcc: x@example.com", "not an address", ""])
def test_an_address_that_is_not_one_fails_the_message(address):
    with pytest.raises(ValueError):
        sent("Subject", to_address=address)


def test_every_mail_text_has_a_traditional_chinese_translation_with_the_same_placeholders():
    found = {msg[2] for msg in extract_from_dir(str(MAIL), method_map=[("**/templates/**.txt", "jinja2")])}
    with (MAIL / "translations" / "zh_Hant" / "LC_MESSAGES" / "mail.po").open("rb") as f:
        catalog = {m.id: m.string for m in read_po(f) if m.id}
    assert found and found == set(catalog)
    for msgid, translation in catalog.items():
        for source, target in zip(msgid if isinstance(msgid, tuple) else (msgid,),
                                  translation if isinstance(translation, tuple) else (translation,)):
            assert target and sorted(re.findall(r"%\(\w+\)\w", source)) == sorted(re.findall(r"%\(\w+\)\w", target))
