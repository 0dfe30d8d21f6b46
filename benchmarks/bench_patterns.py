"""Frame matching speed: English with and without regex terms (which run with a time
budget), and the China-Russia codebook on Chinese and Russian text.

Run from the project root::

    python -m benchmarks.bench_patterns ../shared/corpus/seeds --copies 40

Matches the built-in codebooks, then the same plus three ordinary regex terms, over the
articles of a folder repeated ``--copies`` times; then the built-in codebooks over as many
Chinese and as many Russian articles made of sentences written for this benchmark (texts
segmented and jieba and pymorphy3 warmed up first, as in a whole analysis). Prints the median of five runs.
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

from benchmarks._common import median_time, print_table

REGEX_TERMS = r"""id: rx
frames:
- id: f
  terms:
  - {regex: '\bsanction\w*'}
  - {regex: '\b(?:Xi|Putin)\b'}
  - {regex: '\d+(?:\.\d+)? (?:billion|million)'}
"""

# Sentences written for this benchmark: some carry frame terms, most do not.
ZH_SENTENCES = [
    "两国领导人在会谈中表示，中俄全面战略协作伙伴关系不断深化。",
    "双方同意扩大能源合作，推动天然气管道项目按期完工。",
    "评论员认为，世界多极化趋势不可阻挡。",
    "发言人强调，两国关系不结盟、不对抗、不针对第三方。",
    "上午的会议讨论了农业和基础设施领域的合作。",
    "记者在现场看到，展台前排起了长队。",
    "专家指出，西方制裁给双边贸易结算带来一定困难。",
    "两国海军举行了联合演习，持续数日。",
    "当地居民对新开通的铁路线路表示欢迎。",
    "文章说，任何外部压力都无法动摇两国的战略互信。",
]
RU_SENTENCES = [
    "Лидеры двух стран подтвердили курс на всеобъемлющее партнёрство и стратегическое "
    "взаимодействие.",
    "Стороны договорились расширить поставки природного газа по новому газопроводу.",
    "Эксперты говорят о становлении многополярного мира.",
    "Представитель министерства подчеркнул, что сотрудничество не направлено против третьих "
    "стран.",
    "На встрече обсуждались вопросы сельского хозяйства и транспортной инфраструктуры.",
    "Корреспондент отметил, что зал был заполнен до отказа.",
    "Аналитики считают, что западные санкции осложнили расчёты между банками.",
    "Военные моряки двух стран провели совместные учения в Японском море.",
    "Жители города с интересом встретили открытие новой железной дороги.",
    "По словам автора, безграничное партнёрство выдержало давление Запада.",
]


def _articles(sentences: list[str], n: int, per_article: int = 40, seed: int = 3,
              joiner: str = " ") -> list[str]:
    rng = random.Random(seed)
    return ["\n".join(joiner.join(rng.choices(sentences, k=5))
                      for _ in range(per_article // 5)) for _ in range(n)]


def main(argv: list[str] | None = None) -> int:
    from analysis.codebook import load_codebook, parse_codebook
    from analysis.corpus import Corpus, Document
    from analysis.frame_plan import compiled_plan
    from analysis.frames import FrameAnalyzer
    from analysis.ingest import import_paths
    from analysis.lang import document_language
    from analysis.text import segment

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="a folder of articles (with manifest.csv, if any)")
    parser.add_argument("--copies", type=int, default=40)
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    manifest = folder / "manifest.csv"
    imported = import_paths([folder], manifest=manifest if manifest.is_file() else None)
    corpus = Corpus(Document(f"{d.doc_id}-{k}", d.text) for k in range(args.copies)
                    for d in imported.corpus)
    n = len(corpus)
    zh = Corpus(Document(f"zh{i}", t, {"language": "zh"})
                for i, t in enumerate(_articles(ZH_SENTENCES, n, joiner="")))
    ru = Corpus(Document(f"ru{i}", t, {"language": "ru"})
                for i, t in enumerate(_articles(RU_SENTENCES, n)))
    books = [load_codebook(name) for name in ("generic", "policy", "china_russia")]
    rows = []
    for label, codebooks, docs in (
            ("built-in codebooks, English", books, corpus),
            ("built-in + 3 regex terms, English", [*books, parse_codebook(REGEX_TERMS)],
             corpus),
            ("built-in codebooks, Chinese", books, zh),
            ("built-in codebooks, Russian", books, ru)):
        for doc in docs:
            # Sentences and Chinese words are segmented once for every analyzer.
            segment(doc.text, document_language(doc))
        result = FrameAnalyzer(codebooks).transform(docs)  # also warms jieba/pymorphy3
        wall, cpu = median_time(lambda cbs=codebooks, d=docs: FrameAnalyzer(cbs).transform(d),
                                repeat=5, setup=compiled_plan.cache_clear)
        rows.append([label, len(docs), len(result.matches), wall, cpu,
                     f"{1000 * cpu / len(docs):.2f}"])
    print_table(["codebooks, text", "documents", "matches", "wall s", "CPU s", "CPU ms/doc"],
                rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
