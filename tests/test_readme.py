"""README's code runs: the "In your own notebook" block, on the default corpus."""

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_api_block_runs(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"In your own notebook:\s*```python\n(.*?)```", readme, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "data" / "examples" / "screening_example.csv", tmp_path / "decisions.csv")
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)  # the README's own code, not corpus text
    assert len(namespace["papers"]) == 74
    assert (tmp_path / "map.txt").read_text(encoding="utf-8").startswith("id\tlabel\tweight<Occurrences>\n")
    assert list(namespace["themes"].columns) == ["topic", "terms", "papers"]
