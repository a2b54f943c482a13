"""The library schema is declared once: it drives validation, the documentation, and the
sets of `_common.yml` that the code relies on; deferrals must name a loaded criterion."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import duediligence
from duediligence import library_schema as schema
from duediligence.cli import main
from duediligence.errors import LibraryError
from duediligence.library import COMMON_FILE, builtin_library_dir, load_common, load_criterion, load_library
from duediligence.matchers import Matchers

BUILTIN = builtin_library_dir()


def test_the_docs_key_tables_are_the_ones_generated_from_the_schema() -> None:
    doc = schema.DOC.read_text(encoding="utf-8")
    assert schema.with_generated_part(doc) == doc, "run: python -m duediligence.library_schema --write"
    for shape in schema.SHAPES:
        for key in shape.keys:
            assert f"| `{key.name}` |" in doc, (shape.path, key.name)


def _common_without(tmp_path: Path, name: str) -> Path:
    data = yaml.safe_load((BUILTIN / COMMON_FILE).read_text(encoding="utf-8"))
    data["vocabulary"][f"{name}_renamed"] = data["vocabulary"].pop(name)
    path = tmp_path / COMMON_FILE
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(schema.CODE_SETS))
def test_a_renamed_set_the_code_relies_on_is_one_load_error_naming_file_and_set(tmp_path: Path, name: str) -> None:
    path = _common_without(tmp_path, name)
    with pytest.raises(LibraryError) as info:
        load_common(path)
    message = str(info.value)
    assert message.startswith(f"{path}: vocabulary: missing set {name!r}, which the code relies on"), message
    assert "\n" not in message


def test_a_set_only_criteria_refer_to_may_be_renamed_in_common(tmp_path: Path) -> None:
    assert "chain" not in schema.CODE_SETS
    assert "chain_renamed" in load_common(_common_without(tmp_path, "chain")).vocabulary


def _looked_up_names() -> set[str]:
    """Every common-set name the package's code passes as a literal to `.common(...)` or `modality[...]`."""
    names: set[str] = set()
    for file in Path(duediligence.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "common"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                names.add(node.args[0].value)
            if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute)
                    and node.value.attr == "modality" and isinstance(node.slice, ast.Constant)):
                names.add(node.slice.value)
    return names


def test_every_common_set_the_code_looks_up_is_declared() -> None:
    looked_up = _looked_up_names()
    assert {"deleted", "tender_markers", "negation", "contractor"} <= looked_up
    assert looked_up <= set(schema.CODE_SETS)
    assert set(Matchers(load_library()).modality) <= set(schema.CODE_SETS)


def _criterion(tmp_path: Path, ident: str, **changes: Any) -> Path:
    data = yaml.safe_load((BUILTIN / "human-rights.yml").read_text(encoding="utf-8"))
    data.update(id=ident, aliases=[], **changes)
    path = tmp_path / f"{ident}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_defer_to_naming_an_unknown_criterion_is_a_load_error(tmp_path: Path) -> None:
    path = _criterion(tmp_path, "city-rights", defer_to=["trustone", "trust-one"])
    with pytest.raises(LibraryError) as info:
        load_library([tmp_path])
    assert str(info.value).startswith(f"{path}: defer_to: unknown criterion 'trust-one' (known: city-rights, ethical-banking,")


def test_a_criterion_may_not_defer_to_itself(tmp_path: Path) -> None:
    path = _criterion(tmp_path, "city-rights", defer_to=["city-rights"])
    with pytest.raises(LibraryError, match=re.escape(f"{path}: defer_to: 'city-rights' is this criterion itself")):
        load_library([tmp_path])


@pytest.mark.parametrize(("changes", "message"), [
    ({"deferred_counts_with": ["hr_instruments", "hr_instrumnets"]}, "deferred_counts_with: unknown vocabulary set 'hr_instrumnets'"),
    ({"defer_to": None}, "deferred_counts_with: needs `defer_to`"),
])
def test_deferred_counts_with_names_known_sets_and_needs_defer_to(tmp_path: Path, changes: dict[str, Any], message: str) -> None:
    data = yaml.safe_load((BUILTIN / "human-rights.yml").read_text(encoding="utf-8"))
    data.update(id="city-rights", aliases=[], **changes)
    data = {k: v for k, v in data.items() if v is not None}
    path = tmp_path / "city-rights.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(LibraryError, match=re.escape(f"{path}: {message}")):
        load_library([tmp_path])


def test_library_validate_checks_deferrals_against_builtin_and_validated_files(tmp_path: Path) -> None:
    _criterion(tmp_path, "city-rights", defer_to=["trustone", "city-stone"])
    _criterion(tmp_path, "city-stone")
    assert CliRunner().invoke(main, ["library", "validate", str(tmp_path)]).exit_code == 0
    lone = tmp_path / "alone"
    lone.mkdir()
    (tmp_path / "city-rights.yml").rename(lone / "city-rights.yml")
    result = CliRunner().invoke(main, ["library", "validate", str(lone)])
    assert result.exit_code == 2
    assert "defer_to: unknown criterion 'city-stone'" in result.output


def _mapping(data: dict[str, Any], path: str) -> dict[str, Any]:
    """The first mapping of a criterion file at a schema path such as `applicability.groups[]`."""
    node: Any = data
    for part in path.split("."):
        node = node[part[:-2]][0] if part.endswith("[]") else node[part]
    assert isinstance(node, dict)
    return node


@pytest.mark.parametrize("shape", [s for s in schema.SHAPES if s is not schema.COMMON], ids=lambda s: s.path)
def test_each_mapping_accepts_exactly_the_keys_its_schema_declares(tmp_path: Path, shape: schema.Shape) -> None:
    data = yaml.safe_load((BUILTIN / "fossil-free.yml").read_text(encoding="utf-8"))  # it has every mapping
    target = data if shape is schema.CRITERION else _mapping(data, shape.path)
    target["zz_unknown"] = 1
    path = tmp_path / "c.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    key = shape.path.replace("[]", "[0]")
    with pytest.raises(LibraryError) as info:
        load_criterion(path, load_common(BUILTIN / COMMON_FILE))
    assert str(info.value) == f"{path}: {key}: unknown key 'zz_unknown' (allowed: {', '.join(sorted(shape.allowed))})"
