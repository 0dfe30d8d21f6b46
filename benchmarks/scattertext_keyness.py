"""Time Scattertext's keyness on a corpus folder; prints one JSON line.

Run with the Python of a separate environment that has scattertext installed (it pulls
heavy dependencies, so it is kept out of the project's environment)::

    /path/to/other-venv/bin/python benchmarks/scattertext_keyness.py CORPUS_DIR

The timed work is what a Scattertext user does for distinctive terms: build a corpus
from a pandas DataFrame (whitespace tokeniser with sentences, unigrams and bigrams,
Scattertext's default), then the scaled F-score and the log-odds ratio with an
informative Dirichlet prior (Monroe et al. 2008) of one category against the other.
"""
from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path


def main(folder: str) -> int:
    import pandas as pd
    import scattertext as st

    root = Path(folder)
    with (root / "manifest.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    frame = pd.DataFrame({
        "group": [r["group"] for r in rows],
        "text": [(root / r["file"]).read_text(encoding="utf-8") for r in rows],
    })
    t0, c0 = time.perf_counter(), time.process_time()
    corpus = st.CorpusFromPandas(frame, category_col="group", text_col="text",
                                 nlp=st.whitespace_nlp_with_sentences).build()
    t1, c1 = time.perf_counter(), time.process_time()
    scores = corpus.get_scaled_f_scores("chinese")
    prior = st.LogOddsRatioInformativeDirichletPrior(
        st.PriorFactory(corpus).use_all_categories().get_priors(), 500, "word")
    term_scores = prior.get_scores(*corpus.get_term_freq_df().values.T[:2])
    t2, c2 = time.perf_counter(), time.process_time()
    print(json.dumps({
        "documents": len(frame), "terms": int(len(scores)),
        "build_wall": t1 - t0, "build_cpu": c1 - c0,
        "score_wall": t2 - t1, "score_cpu": c2 - c1,
        "total_wall": t2 - t0, "total_cpu": c2 - c0,
        "n_scored": int(len(term_scores)),
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
