"""reportie's own pkuseg inference (reportie.segmenter.fast) against spacy-pkuseg, the reference.

Both segmenters are built by ``load_segmenter`` on the same cached model with the pipeline's user
words; the words must be identical, text by text, on the seeds, the dev corpus and a generated
5 MB corpus of report text mixed with Latin, digits, punctuation and odd whitespace (``-m slow``).
Run with ``-s`` to see the agreement figures.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from reportie.pipeline import phrase_words
from reportie.segmenter import ModelError, fast_text, load_segmenter
from reportie.segmenter import fast as fastseg

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
DEV = sorted((ROOT / "dev-corpus").glob("*.jsonl"))


@pytest.fixture(scope="module")
def pair(reportie_home):
    """(reportie's segmenter, spacy-pkuseg's), as the pipeline builds them."""
    words = phrase_words()
    return load_segmenter(words, engine="fast"), load_segmenter(words, engine="pkuseg")


def seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in SEEDS]


def dev_texts() -> list[str]:
    out = []
    for path in DEV:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                doc = json.loads(line)
                out.append("".join(s["text"] + ("\n" if s.get("para_end") else "") for s in doc["sentences"]))
    return out


def agreement(fast, ref, texts: list[str], name: str) -> tuple[int, int, int]:
    """Compare text by text; print and return (texts identical, tokens identical, tokens)."""
    same_texts = same_tokens = n_tokens = 0
    first_diff = None
    for text in texts:
        a, b = fast.cut(text), ref.cut(text)
        same_texts += a == b
        n_tokens += len(b)
        if a == b:
            same_tokens += len(b)
        else:
            spans = lambda ws: {(sum(map(len, ws[:i])), len(w)) for i, w in enumerate(ws)}  # noqa: E731
            same_tokens += len(spans(a) & spans(b))
            if first_diff is None:
                i = next(i for i, (x, y) in enumerate(zip(a, b)) if x != y)
                first_diff = (b[max(0, i - 3): i + 4], a[max(0, i - 3): i + 4])
    chars = sum(map(len, texts))
    print(f"\n{name}: {len(texts)} texts, {chars:,} characters: {same_texts}/{len(texts)} texts and "
          f"{same_tokens:,}/{n_tokens:,} tokens identical ({same_tokens / max(n_tokens, 1):.4%} agreement)")
    if first_diff:
        print(f"  first difference: spacy-pkuseg {first_diff[0]} / reportie {first_diff[1]}")
    return same_texts, same_tokens, n_tokens


def test_same_words_as_spacy_pkuseg_on_the_seeds(pair):
    fast, ref = pair
    texts = seed_texts()
    lines = [ln for t in texts for ln in t.splitlines() if ln.strip()]
    for name, corpus in (("seeds (whole files)", texts), ("seeds (line by line)", lines)):
        same, same_tok, n_tok = agreement(fast, ref, corpus, name)
        assert same == len(corpus) and same_tok == n_tok


def test_same_words_as_spacy_pkuseg_on_the_dev_corpus(pair):
    fast, ref = pair
    texts = dev_texts()
    assert len(texts) >= 40
    same, same_tok, n_tok = agreement(fast, ref, texts, "dev corpus")
    assert same == len(texts) and same_tok == n_tok


LATIN = ["GDP", "PM2.5", "http://www.npc.gov.cn/npc/c30834", "e-mail", "COVID-19", "iPhone", "a.b.c",
         "x*y", "C919", "5G", "No.3", "ISO9001", "Ｗｉ－Ｆｉ", "ＡＢＣ", "ｊｋ", "3/4", "1,234.56", "|", ":"]
PUNCT = list("，。、；：？！“”‘’（）《》【】—…·-._,|/*:%％") + ["——", "……"]
SPACES = [" ", "  ", "\n", "\n\n", "\t", "\u3000", "\xa0", "\r\n", " \u2003 "]
NUMBERS = ["2023", "１２３", "12.5", "3.14%", "二〇二三", "十四", "1万", "七千三百", "0.5亿", "１２３４５６７８９０"]


def mixed_corpus(target_bytes: int, seed: int = 15) -> list[str]:
    """Documents of 1–20,000 characters mixing seed/dev sentences, user words, Latin, numbers,
    punctuation and whitespace; about ``target_bytes`` of UTF-8 in all."""
    rng = random.Random(seed)
    source = "".join(seed_texts() + dev_texts())
    chars = sorted(set(c for c in source if not c.isspace()))
    words = phrase_words()[:300]
    docs, size = [], 0
    while size < target_bytes:
        n = rng.choice([rng.randint(1, 40), rng.randint(40, 2000), rng.randint(2000, 20000)])
        parts, length = [], 0
        while length < n:
            r = rng.random()
            if r < 0.45:
                a = rng.randrange(len(source))
                part = source[a: a + rng.randint(1, 120)]
            elif r < 0.55:
                part = rng.choice(words)
            elif r < 0.65:
                part = rng.choice(LATIN)
            elif r < 0.75:
                part = rng.choice(NUMBERS)
            elif r < 0.85:
                part = rng.choice(PUNCT)
            elif r < 0.93:
                part = rng.choice(SPACES)
            else:
                part = "".join(rng.choice(chars) for _ in range(rng.randint(1, 8)))
            parts.append(part)
            length += len(part)
        doc = "".join(parts)
        docs.append(doc)
        size += len(doc.encode("utf-8"))
    return docs


def test_same_words_on_a_small_mixed_corpus(pair):
    fast, ref = pair
    docs = mixed_corpus(200_000, seed=7)
    same, same_tok, n_tok = agreement(fast, ref, docs, "mixed corpus, 200 kB")
    assert same == len(docs) and same_tok == n_tok


@pytest.mark.slow
def test_same_words_on_a_generated_5_mb_corpus(pair):
    fast, ref = pair
    docs = mixed_corpus(5_000_000)
    assert sum(len(d.encode("utf-8")) for d in docs) >= 5_000_000
    same, same_tok, n_tok = agreement(fast, ref, docs, "generated mixed corpus, 5 MB")
    assert same == len(docs) and same_tok == n_tok


def test_user_dictionary_and_its_quirks_match_spacy_pkuseg(reportie_home):
    """Preprocesser.solve: longest match from the left, and a match that stops on a character
    leaving the trie ends there (``人大`` + ``人大常委会`` on ``人大常委了``: ``人大常委``; at the
    end of the text it falls back to the longest word: ``人大常委`` gives ``人大``, ``常委``)."""
    words = ["人大", "人大常委会", "常委", "会议", "委会", "代表", "代表大会", "表大", "a b", "x"]
    fast, ref = (load_segmenter(words, domain_dict=False, engine=e) for e in ("fast", "pkuseg"))
    rng = random.Random(3)
    alphabet = list("人大常委会议代表ab x\n")
    texts = ["人大常委", "人大常委了", "人大常委会议", "代表大会代表", "人大常", "人大常委会"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    for text in texts:
        assert fast.cut(text) == ref.cut(text), text
    assert fast.cut("人大常委了")[0] == "人大常委"
    assert fast.cut("人大常委") == ["人大", "常委"]


def test_spacys_user_dictionary_update_reaches_the_fast_segmenter(reportie_home):
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
    nlp.tokenizer.pkuseg_seg = load_segmenter(engine="fast")
    assert "高质量发展" not in [t.text for t in nlp("推动高质量发展")]
    nlp.tokenizer.pkuseg_update_user_dict(["高质量发展"])
    assert "高质量发展" in [t.text for t in nlp("推动高质量发展")]
    nlp.tokenizer.pkuseg_update_user_dict(["推动"], reset=True)
    assert [t.text for t in nlp("推动高质量发展")][0] == "推动"
    assert "高质量发展" not in [t.text for t in nlp("推动高质量发展")]


def test_the_engine_setting(reportie_home, monkeypatch):
    import spacy_pkuseg

    monkeypatch.delenv("REPORTIE_SEGMENTER", raising=False)
    assert isinstance(load_segmenter(), fastseg.FastSegmenter), "reportie's segmenter is the default"
    monkeypatch.setenv("REPORTIE_SEGMENTER", "pkuseg")
    assert isinstance(load_segmenter(), spacy_pkuseg.pkuseg)
    assert isinstance(load_segmenter(engine="fast"), fastseg.FastSegmenter), "the argument wins"
    monkeypatch.setenv("REPORTIE_SEGMENTER", "jieba")
    with pytest.raises(ModelError, match="REPORTIE_SEGMENTER"):
        load_segmenter()


def test_viterbi_matches_spacy_pkusegs_on_ties():
    """Scores on a coarse grid make exact ties common; tie-breaking must be spacy_pkuseg's."""
    from spacy_pkuseg.inference import run_viterbi

    rng = np.random.default_rng(0)
    lens = rng.integers(1, 40, size=200)
    node = rng.integers(-3, 4, size=(int(lens.sum()), 5)).astype(np.float64) * 0.5
    edge = rng.integers(-2, 3, size=(5, 5)).astype(np.float64) * 0.5
    piece = np.repeat(np.arange(len(lens)), lens)
    starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
    off = np.arange(len(piece)) - starts[piece]
    got = fastseg.viterbi(node, edge, lens, piece, off)
    want = np.concatenate([run_viterbi(node[s: s + n], edge)[1] for s, n in zip(starts, lens)])
    assert got.tolist() == want.tolist()


def test_constants_are_spacy_pkusegs():
    from spacy_pkuseg.config import config
    from spacy_pkuseg.feature_extractor import FeatureExtractor

    assert set(fastseg.NUM_CHARS) == FeatureExtractor.num
    assert set(fastseg.LETTER_CHARS) == FeatureExtractor.letter
    assert fastseg.KEYWORDS == FeatureExtractor.keywords
    assert (config.wordMin, config.wordMax, config.nLabel) == (fastseg.WORD_MIN, fastseg.WORD_MAX, 5)
    assert config.numLetterNorm and config.wordFeature
    spaces = {c for c in range(0x110000) if chr(c).isspace()}
    assert spaces == {ord(c) for c in fast_text.WHITESPACE}
    assert all(chr(c).split() == [] for c in spaces)


def test_hash_table_lookups_are_exact():
    """IntTable (the lookups behind every feature): keys of any sign, clusters that need more
    than two probes (then the sorted-array fallback), misses; stored and restored alike."""
    rng = np.random.default_rng(1)
    keys = rng.integers(0, 2**64 - 1, size=200_000, dtype=np.uint64)
    keys[:1000] = np.arange(1000, dtype=np.uint64) << np.uint64(40)  # low-entropy keys too
    values = rng.integers(0, 2**31 - 1, size=len(keys)).astype(np.int32)
    truth = dict(zip(keys.tolist(), values.tolist()))
    arrays: dict = {}
    built = fast_text.IntTable.cached(arrays, "t", keys, values)
    restored = fast_text.IntTable.cached(arrays, "t", keys[:0], values[:0])
    queries = np.concatenate([keys, rng.integers(0, 2**64 - 1, size=200_000, dtype=np.uint64)])
    want = [truth.get(q, -1) for q in queries.tolist()]
    assert built.get(queries).tolist() == want
    assert restored.get(queries).tolist() == want
    assert fast_text.HashSet(keys).contains(queries).tolist() == [w >= 0 for w in want]


@pytest.mark.parametrize("model", ["lean", "full"])
def test_node_scores_are_spacy_pkusegs_bit_for_bit(reportie_home, model):
    """The features, their weight rows and the order of the additions: getLogYY's own numbers."""
    from spacy_pkuseg.inference import getLogYY

    from reportie.segmenter import model_root

    path = model_root() / model
    ref = load_segmenter(model_path=path, domain_dict=False, engine="pkuseg")
    tables, _post = fastseg.load_tables(path)
    fe, crf = ref.feature_extractor, ref.model
    texts = [ln for t in seed_texts() for ln in t.split() if ln][:120]
    texts += ["GDP增长6.5%，ＡＢＣ公司-2023/12:30", "十四五规划纲要", "a", "一二三四五六七八九十百千万亿"]
    for text in texts:
        nodes = list(fe.normalize_text(text))
        feats = [fe.get_node_features_idx(i, nodes) for i in range(len(nodes))]
        want, edge = getLogYY(feats, crf.n_tag, crf.n_feature * crf.n_tag, crf.w, 1.0)
        x = fastseg.node_ids(fast_text.codepoints(text))
        off = np.arange(len(text))
        got = fastseg.node_scores(tables, x, off, len(text) - off)
        assert got.tobytes() == want.tobytes(), text
        assert tables.edge.tobytes() == edge.tobytes()
