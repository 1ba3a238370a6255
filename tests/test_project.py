"""The project's own promises: dependencies agree, seeds unchanged, quick start true, imports light."""

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
SEED_COPIES = {
    "000_bbd6e86a60f97d4e.txt": "iclr_publications.txt",
    "001_eeb5ffc53004a4af.txt": "arxiv_abstracts.txt",
    "002_8551b998f625906b.txt": "arxiv_roundup_2023-05-28.txt",
    "004_4479a7f7f6306d7b.txt": "llm_digest.txt",
}


def _requirement(spec: str) -> tuple[str, str]:
    name, _, bound = re.match(r"([A-Za-z0-9_.\-\[\],]+?)\s*(>=\s*(.+))?$", spec.strip()).groups()
    return name.split("[")[0].lower().replace("_", "-"), (bound or "").strip()


def test_environment_yml_agrees_with_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(_requirement(s) for s in project["dependencies"])
    for extra in ("notebooks", "test", "dask"):
        wanted.update(_requirement(s) for s in project["optional-dependencies"][extra])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(_requirement(s) for s in env["dependencies"] if isinstance(s, str) and s not in ("pip",))
    conda.pop("python")
    assert conda == wanted
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section == ["-e ."]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout")
@pytest.mark.parametrize("seed, copy", sorted(SEED_COPIES.items()))
def test_seed_copies_are_unchanged(seed, copy):
    assert (ROOT / "data" / "raw" / copy).read_bytes() == (SEEDS / seed).read_bytes()


def test_readme_quick_start_has_the_two_commands_ci_runs():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"## Quick start.*?```(?:bash|sh)?\n(.*?)```", readme, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert commands == ["make report", "make test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)


def test_import_is_light():
    heavy = "('pandas', 'sklearn', 'matplotlib', 'yaml')"
    code = f"import sys, litreview; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_notebooks_are_parameterized_and_portable(path):
    notebook = json.loads(path.read_text())
    code_cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    tags = [c.get("metadata", {}).get("tags", []) for c in code_cells]
    assert ["parameters"] in tags[:1], "the first code cell is the papermill parameters cell"
    text = path.read_text()
    assert not re.search(r"/work/|/tmp/|/root/|/home/[a-z]", text)
    assert not re.search(r"0x[0-9a-f]{8,}", text)
    assert all(c.get("outputs") for c in notebook["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()
               and "parameters" not in c.get("metadata", {}).get("tags", []))
    # (installed versions change with every release in the registry: nbval must not compare them)
    assert all("nbval-ignore-output" in t for c, t in zip(code_cells, tags) if "versions_table" in "".join(c["source"]))


def test_public_names_are_functions_not_shadowing_modules():
    import importlib
    import types

    import litreview as lr

    for module in set(lr._API.values()):
        importlib.import_module(f"litreview.{module}")  # importing a submodule must not replace a function
    for name in lr.__all__:
        assert not isinstance(getattr(lr, name), types.ModuleType), name


def test_hypothesis_is_derandomized_in_ci():
    from hypothesis import settings

    if not os.environ.get("CI"):
        pytest.skip("CI is not set: Hypothesis explores new examples locally")
    assert settings.default.derandomize and settings.default.database is None
