"""`lokerwatch` starts without loading the language and learning libraries: most commands (users, audit, sources,
leads, --help) never score, and every CLI call paid seconds for them when one module imported them at the top."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO_ROOT

HEAVY = ("spacy", "thinc", "torch", "sklearn", "sentence_transformers")


def test_importing_the_cli_loads_no_language_or_learning_library() -> None:
    probe = ("import json, sys; import service.cli.main; "
             f"print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, check=True,
                            timeout=300)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
