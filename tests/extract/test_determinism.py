"""Actor resolution does not depend on the order of a set (the hash seed)."""

import json
import os
import subprocess
import sys

from tests.conftest import PROJECT_ROOT

# Lone surnames the model proposed, as a set; 'the Marlowes' is the family of the
# Marlowe the article names, never a person of its own.
_SNIPPET = """
import json
from dagster_project.lib.extract.actors import _ArticleActors
body = "The Marlowes arrived in Vienna on Monday. Marlowe said the talks went well."
art = _ArticleActors(body, None, len(body))
art._lone = {"Marlowes", "Marlowe"}
art._propose_lone_surnames()
print(json.dumps(sorted(art.dynamic)))
"""


def test_the_family_rule_holds_under_every_hash_seed():
    outputs = set()
    for seed in range(8):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        run = subprocess.run([sys.executable, "-c", _SNIPPET], cwd=PROJECT_ROOT, env=env,
                             capture_output=True, text=True, check=True)
        outputs.add(run.stdout.strip())
    assert [json.loads(o) for o in outputs] == [["Marlowe"]]
