"""Regenerates duediligence/data/eforms.yml from the eForms SDK (run by hand, never at run time).

The report's "in the notice" section names eForms fields and codes with their official labels
in Dutch, French and English. They come from the SDK published by the EU Publications Office
(https://github.com/OP-TED/eForms-SDK): the genericode code lists (`codelists/*.gc`) for the
codes and their labels, `translations/business-term_{nl,fr,en}.xml` for the field names, and
`fields/fields.json` for which code list each field uses.

    git clone https://github.com/OP-TED/eForms-SDK /tmp/eForms-SDK
    python tools/extract_eforms_codes.py /tmp/eForms-SDK --ref 1.15.1

`SDK` may be a clone (read at `--ref` with `git show`, whatever is checked out) or an unpacked
release folder (no `--ref`).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import yaml

OUT = Path(__file__).resolve().parent.parent / "duediligence" / "data" / "eforms.yml"
# The strategic-procurement fields of a lot that the report fills in, in notice order.
FIELDS = ("BT-06", "BT-774", "BT-775", "BT-805", "BT-777")
LANGS = {"nl": ("nld", "nl"), "fr": ("fra", "fr"), "en": ("eng", "en")}  # ours: (genericode column, translation file)


class Sdk:
    """Files of one SDK version, from a git clone at a ref or from a plain folder."""

    def __init__(self, root: Path, ref: str | None) -> None:
        self.root, self.ref = root, ref

    def read(self, name: str) -> bytes:
        if self.ref is None:
            return (self.root / name).read_bytes()
        return subprocess.run(["git", "-C", str(self.root), "show", f"{self.ref}:{name}"],
                              check=True, capture_output=True).stdout

    def commit(self) -> str | None:
        if self.ref is None:
            return None
        done = subprocess.run(["git", "-C", str(self.root), "rev-parse", f"{self.ref}^{{commit}}"],
                              check=True, capture_output=True, text=True)
        return done.stdout.strip()


def codelist(sdk: Sdk, name: str) -> dict[str, Any]:
    """Version and codes with their nl/fr/en labels from `codelists/NAME.gc`."""
    root = ET.fromstring(sdk.read(f"codelists/{name}.gc"))
    ident = root.find("Identification")
    assert ident is not None, name
    codes: dict[str, dict[str, str]] = {}
    for row in root.iter("Row"):
        values = {v.get("ColumnRef"): v.findtext("SimpleValue") or "" for v in row.findall("Value")}
        codes[values["code"]] = {ours: values[f"{column}_label"] for ours, (column, _) in LANGS.items()}
    return {"file": f"codelists/{name}.gc", "version": ident.findtext("Version"), "codes": dict(sorted(codes.items()))}


def field_names(sdk: Sdk) -> dict[str, dict[str, str]]:
    """BT-xx -> {nl, fr, en} business-term names from the SDK translations."""
    names: dict[str, dict[str, str]] = {bt: {} for bt in FIELDS}
    for ours, (_, suffix) in LANGS.items():
        root = ET.fromstring(sdk.read(f"translations/business-term_{suffix}.xml"))
        for entry in root.iter("entry"):
            key = entry.get("key", "")
            bt = key.rpartition("|")[2]
            if key.startswith("business-term|name|") and bt in names:
                names[bt][ours] = entry.text or ""
    return names


def extract(sdk: Sdk) -> dict[str, Any]:
    fields = {f["id"]: f for f in json.loads(sdk.read("fields/fields.json"))["fields"]}
    names = field_names(sdk)
    out_fields: dict[str, Any] = {}
    for bt in FIELDS:
        field = fields[f"{bt}-Lot"]
        entry: dict[str, Any] = {"sdk_field": field["id"], "type": field["type"], "name": names[bt]}
        listed = (field.get("codeList") or {}).get("value", {}).get("id")
        if listed:
            entry.update({"codelist": listed, **codelist(sdk, listed)})
        out_fields[bt] = entry
    version = json.loads(sdk.read("fields/fields.json"))["sdkVersion"].removeprefix("eforms-sdk-")
    return {
        "sdk": {"repository": "https://github.com/OP-TED/eForms-SDK", "version": version, "commit": sdk.commit(),
                "files": ["fields/fields.json", *(f"translations/business-term_{s}.xml" for _, s in LANGS.values()),
                          *(e["file"] for e in out_fields.values() if "file" in e)]},
        "fields": out_fields,
    }


HEADER = """\
# eForms fields and codes named by the report's "in the notice" section, with their official
# labels in Dutch, French and English. Extracted from the eForms SDK (see `sdk` below for the
# version, commit and files) by tools/extract_eforms_codes.py; do not edit by hand, re-run it.
# Every `eforms` code in clause_library/*.yml must be one of the codes below (checked at load).
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sdk", type=Path, help="eForms-SDK clone or release folder")
    parser.add_argument("--ref", help="git tag or commit to read (for a clone), e.g. 1.15.1")
    parser.add_argument("--output", "-o", type=Path, default=OUT)
    args = parser.parse_args(argv)
    data = extract(Sdk(args.sdk, args.ref))
    args.output.write_text(HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120),
                           encoding="utf-8")
    print(f"{args.output}: eForms SDK {data['sdk']['version']}, {len(data['fields'])} fields", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
