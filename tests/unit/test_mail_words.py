"""Every notification kind in each language: subject and body, from the real templates and
catalogs. Step names and answer labels come from the process catalog, as on the web pages."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from engine.mail import KINDS, Decision, MailFacts, NextStep, Renderer

ROOT = Path(__file__).resolve().parents[2]
RENDER = Renderer(ROOT / "forms")
BASE = "https://kam.example.com"
PROJECT = "台北捷運票務"
AMY, BOB, CAT, COL, DAN, KEN = ("林雅美 Amy Lin", "王大明 Bob Wang", "黃美玲 Cathy Huang", "蔡文雄 Colin Tsai",
                                "張國強 Dan Chang", "吳建宏 Ken Wu")
RETURN = Decision(BOB, "Return for rework", "Information is incomplete", "請補充預算\n核准流程", "Project proposal")

with (ROOT / "forms" / "i18n" / "zh_Hant.po").open("rb") as f:
    PROCESS = {m.id: m.string for m in read_po(f) if m.id and isinstance(m.id, str)}


def say(text: str, locale: str) -> str:
    """A process name or label as the recipient reads it."""
    return PROCESS[text] if locale == "zh_Hant" else text


def mail(locale: str, name: str, message: str, link: str) -> str:
    if locale == "en":
        return (f"Hello {name},\n\n{message}\n\nOpen it in KAM Flow: {BASE}{link}\n\n-- \n"
                "KAM Flow sent this message automatically; please do not reply. To stop these e-mails, "
                f"change your settings: {BASE}/settings/\n")
    return (f"{name} 您好：\n\n{message}\n\n請至 KAM Flow 查看：{BASE}{link}\n\n-- \n"
            f"此為 KAM Flow 系統自動發送的通知信，請勿直接回覆。如不需接收通知信，請至個人設定關閉：{BASE}/settings/\n")


def letter(facts: MailFacts, locale: str):
    return RENDER.letter(facts, locale, BASE)


@pytest.mark.parametrize("locale", ["en", "zh_Hant"])
def test_a_new_task_names_the_step_and_who_passed_it_on(locale):
    step = say("Department manager review", locale)
    got = letter(MailFacts("task_assigned", BOB, PROJECT, ("Department manager review",), AMY,
                           link_path="/tasks/t1"), locale)
    if locale == "en":
        assert got.subject == f"New task: {step} – {PROJECT}"
        message = f"{AMY} has passed the project “{PROJECT}” on to you. Your next step: {step}."
    else:
        assert got.subject == f"新待辦事項：{PROJECT}－{step}"
        message = f"{AMY} 已將專案「{PROJECT}」送交給您，請進行：{step}。"
    assert got.body == mail(locale, BOB, message, "/tasks/t1")


@pytest.mark.parametrize("locale", ["en", "zh_Hant"])
def test_a_return_says_returned_to_you_with_the_reason(locale):
    step, decision = say("Project proposal", locale), say("Return for rework", locale)
    got = letter(MailFacts("returned", AMY, PROJECT, ("Project proposal",), BOB, (RETURN,), link_path="/tasks/t2"),
                 locale)
    if locale == "en":
        assert got.subject == f"Returned to you: {step} – {PROJECT}"
        message = (f"{BOB} has returned the project “{PROJECT}” to you for revision: {step}.\n\nWhy it came back:\n"
                   f"- {BOB}: {decision} (back to {step})\n    Reason: Information is incomplete\n"
                   "    Comment: 請補充預算\n    核准流程\n\nPlease revise it and submit it again.")
    else:
        assert got.subject == f"已退回給您：{PROJECT}－{step}"
        message = (f"{BOB} 已將專案「{PROJECT}」退回給您修改（{step}）。\n\n退回說明：\n"
                   f"- {BOB}：{decision}（退回至「{step}」）\n    原因：{say('Information is incomplete', locale)}\n"
                   "    說明：請補充預算\n    核准流程\n\n請修改後重新送出。")
    assert got.body == mail(locale, AMY, message, "/tasks/t2")


@pytest.mark.parametrize("locale", ["en", "zh_Hant"])
def test_a_resubmission_says_revised_and_resubmitted_never_returned(locale):
    step = say("Department manager review", locale)
    got = letter(MailFacts("resubmitted", BOB, PROJECT, ("Department manager review",), AMY, link_path="/tasks/t3"),
                 locale)
    if locale == "en":
        assert got.subject == f"Revised and resubmitted: {step} – {PROJECT}"
        message = (f"The project “{PROJECT}” has been revised and resubmitted for your review: {step}.\n"
                   f"Sent on by {AMY}.\nThe review page shows what changed since it was returned.")
    else:
        assert got.subject == f"已修改並重新送審：{PROJECT}－{step}"
        message = (f"專案「{PROJECT}」已修改完成並重新送審，請您再次審核（{step}）。\n送出人：{AMY}。\n"
                   "審核頁面會標示自上次退回後修改的內容。")
    assert "return" not in got.subject.lower() and "退回給您" not in got.body
    assert got.body == mail(locale, BOB, message, "/tasks/t3")


@pytest.mark.parametrize("locale", ["en", "zh_Hant"])
def test_the_owner_is_told_the_committees_result_and_the_next_step(locale):
    vote, approve, back = (say(t, locale) for t in ("Committee vote", "Approve", "Return for rework"))
    answers = (Decision(CAT, "Approve"), Decision(KEN, "Approve"),
               Decision(COL, "Return for rework", "Information is incomplete", "請補充預算"))
    got = letter(MailFacts("decision", AMY, PROJECT, ("Committee vote",), KEN, answers,
                           (NextStep("Authorise the project", (COL,)),), link_path="/projects/p1"), locale)
    authorise, reason = say("Authorise the project", locale), say("Information is incomplete", locale)
    if locale == "en":
        assert got.subject == f"{vote} is complete – {PROJECT}"
        message = (f"Everyone has answered on your project “{PROJECT}” ({vote}):\n- {approve}: 2 people\n"
                   f"- {back}: 1 person\n\nThe answers:\n- {CAT}: {approve}\n- {KEN}: {approve}\n- {COL}: {back}\n"
                   f"    Reason: {reason}\n    Comment: 請補充預算\n\nNext step: {authorise} ({COL}).")
    else:
        assert got.subject == f"{vote}已完成－{PROJECT}"
        message = (f"您的專案「{PROJECT}」已完成{vote}，結果如下：\n- {approve}：2 人\n- {back}：1 人\n\n審核意見：\n"
                   f"- {CAT}：{approve}\n- {KEN}：{approve}\n- {COL}：{back}\n    原因：{reason}\n    說明：請補充預算\n\n"
                   f"下一步：{authorise}（{COL}）。")
    assert got.body == mail(locale, AMY, message, "/projects/p1")


@pytest.mark.parametrize("locale", ["en", "zh_Hant"])
def test_the_owner_is_told_a_single_reviewers_decision(locale):
    review, approve, vote = (say(t, locale) for t in ("Department manager review", "Approve", "Committee vote"))
    got = letter(MailFacts("decision", AMY, PROJECT, ("Department manager review",), BOB, (Decision(BOB, "Approve"),),
                           (NextStep("Committee vote", (CAT, KEN)),), link_path="/projects/p1"), locale)
    if locale == "en":
        assert got.subject == f"{review}: {approve} – {PROJECT}"
        message = (f"{BOB} has decided on your project “{PROJECT}” ({review}): {approve}.\n\n"
                   f"Next step: {vote} ({CAT}, {KEN}).")
    else:
        assert got.subject == f"{review}結果：{approve}－{PROJECT}"
        message = f"{BOB} 已完成您專案「{PROJECT}」的{review}，結果為：{approve}。\n\n下一步：{vote}（{CAT}、{KEN}）。"
    assert got.body == mail(locale, AMY, message, "/projects/p1")


@pytest.mark.parametrize("locale", ["en", "zh_Hant"])
def test_the_owner_is_told_the_project_was_established(locale):
    step = say("Authorise the project", locale)
    got = letter(MailFacts("project_ended", AMY, PROJECT, ("Authorise the project",), COL, outcome="established",
                           link_path="/projects/p1"), locale)
    if locale == "en":
        assert got.subject == f"Project established: {PROJECT}"
        message = (f"Your project “{PROJECT}” has been established.\n"
                   f"The last step, {step}, was completed by {COL}.")
    else:
        assert got.subject == f"專案已成立：{PROJECT}"
        message = f"恭喜！您的專案「{PROJECT}」已正式成立。\n最後一個步驟「{step}」由 {COL} 完成。"
    assert got.body == mail(locale, AMY, message, "/projects/p1")


@pytest.mark.parametrize("locale", ["en", "zh_Hant"])
def test_the_owner_is_told_the_project_was_declined_with_the_answers(locale):
    decline = say("Decline", locale)
    got = letter(MailFacts("project_ended", AMY, PROJECT, ("Committee vote",), KEN,
                           (Decision(CAT, "Decline", None, "預算不足"), Decision(KEN, "Decline")), outcome="declined",
                           link_path="/projects/p1"), locale)
    if locale == "en":
        assert got.subject == f"Project declined: {PROJECT}"
        message = (f"Your project “{PROJECT}” has been declined.\n\nThe answers:\n- {CAT}: {decline}\n"
                   f"    Comment: 預算不足\n- {KEN}: {decline}")
    else:
        assert got.subject == f"專案未獲核准：{PROJECT}"
        message = f"您的專案「{PROJECT}」未獲核准。\n\n審核意見：\n- {CAT}：{decline}\n    說明：預算不足\n- {KEN}：{decline}"
    assert got.body == mail(locale, AMY, message, "/projects/p1")


@pytest.mark.parametrize("locale", ["en", "zh_Hant"])
def test_a_reminder_names_the_waiting_step(locale):
    step = say("Department manager review", locale)
    got = letter(MailFacts("reminder", BOB, PROJECT, ("Department manager review",), link_path="/tasks/t1"), locale)
    if locale == "en":
        assert got.subject == f"Reminder: {step} – {PROJECT}"
        message = f"The project “{PROJECT}” is still waiting for you: {step}.\nPlease take care of it soon."
    else:
        assert got.subject == f"到期提醒：{PROJECT}－{step}"
        message = f"專案「{PROJECT}」的「{step}」仍待您處理。\n請儘速處理，謝謝。"
    assert got.body == mail(locale, BOB, message, "/tasks/t1")


@pytest.mark.parametrize("locale", ["en", "zh_Hant"])
def test_an_escalation_names_whom_the_overdue_step_waits_for(locale):
    step = say("Department manager review", locale)
    got = letter(MailFacts("escalation", DAN, PROJECT, ("Department manager review",), waiting_for=(BOB,),
                           link_path="/projects/p1"), locale)
    if locale == "en":
        assert got.subject == f"Overdue: {step} – {PROJECT}"
        message = (f"The project “{PROJECT}” is overdue at the step {step}, which is waiting for {BOB}.\n"
                   "Please follow it up.")
    else:
        assert got.subject == f"逾期通知：{PROJECT}－{step}"
        message = f"專案「{PROJECT}」的「{step}」已逾期，目前仍待 {BOB} 處理。\n請協助追蹤處理進度。"
    assert got.body == mail(locale, DAN, message, "/projects/p1")


def test_every_kind_the_engine_queues_has_its_own_template():
    templates = {p.stem for p in (ROOT / "engine" / "mail" / "templates").glob("[!_]*.txt")}
    assert templates == set(KINDS)


def test_an_unknown_language_falls_back_to_traditional_chinese():
    facts = MailFacts("reminder", BOB, PROJECT, ("Department manager review",))
    assert RENDER.subject(facts, "fr") == RENDER.subject(facts, "zh_Hant")
