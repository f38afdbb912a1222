"""The process's own catalog (forms/i18n/zh_Hant.po) translates every name the BPMN shows
and every instruction text; the web UI's catalog holds only the UI's strings."""
from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
BPMN_FILE = ROOT / "workflows" / "key_account_development.bpmn"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
# names of data items are variable names inside the model, never shown to anyone
NOT_SHOWN = {"inputDataItem", "outputDataItem", "dataInput", "dataOutput", "dataObject", "dataObjectReference"}


def catalog(path: Path) -> dict[str, str]:
    with path.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and isinstance(m.id, str)}


def process_texts() -> set[str]:
    root = etree.parse(str(BPMN_FILE), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    names = {el.get("name") for el in root.iter(f"{{{BPMN}}}*")
             if el.get("id") and el.get("name") and etree.QName(el).localname not in NOT_SHOWN}
    instructions = {el.text for el in root.iter(f"{{{SPIFF}}}instructionsForEndUser") if el.text}
    return names | instructions


def test_the_model_has_names_and_instructions_to_translate():
    texts = process_texts()
    assert {"Project initiated", "Manager's decision?", "Key-account committee", "Tie"} <= texts
    assert sum("{{ project_name }}" in t for t in texts) == 10


def test_every_name_and_instruction_in_the_bpmn_has_a_translation_in_the_process_catalog():
    translations = catalog(ROOT / "forms" / "i18n" / "zh_Hant.po")
    untranslated = sorted(t for t in process_texts() if not translations.get(t))
    assert untranslated == []


def test_instructions_keep_their_template_placeholders_in_translation():
    translations = catalog(ROOT / "forms" / "i18n" / "zh_Hant.po")
    for text in process_texts():
        if "{{" in text:
            assert "{{ project_name }}" in translations[text], text


def test_the_ui_catalog_holds_no_process_text_the_ui_does_not_use_itself():
    ui = catalog(ROOT / "webui" / "translations" / "zh_Hant" / "LC_MESSAGES" / "messages.po")
    also_ui_strings = {"Rep", "Department manager", "Committee chair"}     # role names and a signature line
    assert sorted((process_texts() & set(ui)) - also_ui_strings) == []
