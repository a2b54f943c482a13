"""What Word's "Accept all changes" and "Reject all changes" do to a document's body, for tests.

Accepting keeps inserted content (unwraps `w:ins`) and drops deleted content (`w:del`);
rejecting does the opposite, and also removes paragraphs whose paragraph mark was inserted.
Only word/document.xml is rewritten; every other part of the package is copied as it is.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _unwrap(element: Any) -> None:
    parent = element.getparent()
    at = parent.index(element)
    for child in list(element):
        parent.insert(at, child)
        at += 1
    parent.remove(element)


def _accept(root: Any) -> None:
    for deleted in list(root.iter(f"{W}del")):
        deleted.getparent().remove(deleted)
    for inserted in list(root.iter(f"{W}ins")):
        if inserted.getparent().tag == f"{W}rPr":  # the mark on a paragraph mark: the paragraph stays
            inserted.getparent().remove(inserted)
        else:
            _unwrap(inserted)


def _reject(root: Any) -> None:
    for paragraph in list(root.iter(f"{W}p")):
        if paragraph.find(f"{W}pPr/{W}rPr/{W}ins") is not None:
            paragraph.getparent().remove(paragraph)
    for inserted in list(root.iter(f"{W}ins")):
        inserted.getparent().remove(inserted)
    for deleted in list(root.iter(f"{W}del")):
        if deleted.getparent().tag == f"{W}rPr":
            deleted.getparent().remove(deleted)
        else:
            _unwrap(deleted)
    for text in list(root.iter(f"{W}delText")):
        text.tag = f"{W}t"


def _rewrite(source: Path, target: Path, change: Any) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(data)
                change(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            zout.writestr(item, data)
    return target


def accept_all(source: Path, target: Path) -> Path:
    return _rewrite(source, target, _accept)


def reject_all(source: Path, target: Path) -> Path:
    return _rewrite(source, target, _reject)
