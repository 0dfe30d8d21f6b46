"""`sinoru analyze` does not pay for libraries and data it does not use."""
from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_the_command_line_parser_loads_no_plotting_or_machine_learning_library():
    code = ("import sys; from analysis.cli import build_parser; build_parser(); "
            "import analysis.pipeline, analysis.sentiment, analysis.targets, analysis.markers, "
            "analysis.readability, analysis.keyness, analysis.topics; "
            "print(sorted(m for m in ('matplotlib', 'sklearn', 'onnxruntime', 'textstat', "
            "'vaderSentiment') if m in sys.modules))")
    assert _run(code) == "[]"


def test_readability_never_loads_the_cmu_dictionary():
    code = ("from analysis.corpus import Corpus, Document; "
            "from analysis.readability import ReadabilityAnalyzer; "
            "text = 'The delegation discussed unprecedented cooperation at length. ' * 5; "
            "r = ReadabilityAnalyzer().fit_transform(Corpus([Document('a', text)])); "
            "from textstat.backend.utils._get_cmudict import get_cmudict; "
            "print(r.documents.iloc[0, 0] == r.documents.iloc[0, 0], "
            "get_cmudict.cache_info().currsize)")
    assert _run(code) == "True 0"
