"""The reportie pipeline as spaCy expects a pipeline to be (issue 16, point 3): described by a
config, its tokenizer registered, saved with ``nlp.to_disk`` and loaded again with
``spacy.load`` into a pipeline that gives the same Reports, its Doc payloads named and plain."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from reportie.contract import SPANS_KEY
from reportie.docspans import DocSentence, SentenceLabel, sentence_labels, sentence_spans
from reportie.extraction import doc_to_report

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
TRADITIONAL = ROOT / "annotations" / "reports" / "authored-page-am07.txt"  # traditional script
SRC = ROOT / "src" / "reportie"


@pytest.fixture(scope="module")
def nlp(reportie_home):
    import reportie

    return reportie.load()


@pytest.fixture(scope="module")
def saved(nlp, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pipeline") / "reportie-pipeline"
    nlp.to_disk(path)
    return path


@pytest.fixture(scope="module")
def reloaded(saved):
    return spacy.load(saved)


def test_saved_pipeline_gives_the_same_reports(nlp, reloaded):
    """``nlp.to_disk`` then ``spacy.load``: every seed report (and a traditional-script page,
    matched on NORM) comes out byte-identical."""
    assert reloaded.pipe_names == nlp.pipe_names == [
        "reportie_sections", "reportie_rulers", "reportie_quantities", "reportie_classifier"]
    assert reloaded.max_length == nlp.max_length == 50_000_000
    for path in [*SEEDS, TRADITIONAL]:
        text = path.read_text(encoding="utf-8")
        before = doc_to_report(nlp(text)).to_dict()
        after = doc_to_report(reloaded(text)).to_dict()
        assert before["sentences"] and before["quantities"] and before["entities"], path.name
        assert json.dumps(after, ensure_ascii=False, sort_keys=True) == \
            json.dumps(before, ensure_ascii=False, sort_keys=True), path.name


def test_what_is_saved(nlp, saved):
    """The pipeline folder holds the config, the tokenizer's settings and user words (not the
    pkuseg model, which stays in the user's cache), the ruler's patterns and the classifier's
    model reference (null: the shipped model)."""
    config = spacy.util.load_config(saved / "config.cfg")
    assert config["nlp"]["tokenizer"]["@tokenizers"] == "reportie.PkusegTokenizer.v1"
    assert config["components"]["reportie_classifier"]["factory"] == "reportie_classifier"
    assert {config["components"][name]["spans_key"]
            for name in ("reportie_rulers", "reportie_quantities", "reportie_classifier")} == {SPANS_KEY}
    assert sorted(p.name for p in (saved / "tokenizer").iterdir()) == ["cfg", "user_words"]
    size = sum(p.stat().st_size for p in saved.rglob("*") if p.is_file())
    assert size < 1_000_000, "the pipeline folder must not carry the segmentation model"
    settings = json.loads((saved / "tokenizer" / "cfg").read_text(encoding="utf-8"))
    assert settings == {"segmenter": "pkuseg", "engine": None, "pkuseg_model": None, "pkuseg_user_dict": "default"}
    user_words = json.loads((saved / "tokenizer" / "user_words").read_text(encoding="utf-8"))
    assert "人大常委会" in user_words and user_words == nlp.tokenizer.user_words
    patterns = [json.loads(line) for line in (saved / "reportie_rulers" / "patterns").read_text(encoding="utf-8").splitlines()]
    assert patterns == nlp.get_pipe("reportie_rulers").patterns and len(patterns) > 100
    assert json.loads((saved / "reportie_classifier" / "cfg").read_text(encoding="utf-8")) == \
        {"spans_key": SPANS_KEY, "model_dir": None}


def test_tokenizer_bytes_and_settings(nlp):
    """The tokenizer saves its settings through bytes too, and keeps words added to pkuseg's user
    dictionary, so a reloaded tokenizer segments as the one that was saved."""
    from reportie.tokenizer import PkusegTokenizer, create_tokenizer

    tokenizer = create_tokenizer()(nlp)
    assert isinstance(tokenizer, PkusegTokenizer) and tokenizer.pkuseg_seg is None
    with pytest.raises(ValueError):
        tokenizer("推动高质量发展")  # not initialized: spaCy's E1000
    tokenizer.initialize(user_words=["人大常委会"])
    tokenizer.pkuseg_update_user_dict(["高质量发展"])
    assert "高质量发展" in [t.text for t in tokenizer("推动高质量发展")]
    copy = create_tokenizer()(nlp).from_bytes(tokenizer.to_bytes())
    assert copy.user_words == ["人大常委会", "高质量发展"] and copy.pkuseg_user_dict == "default"
    assert [t.text for t in copy("推动高质量发展")] == [t.text for t in tokenizer("推动高质量发展")]
    text = SEEDS[0].read_text(encoding="utf-8")
    assert [t.text for t in copy(text)] == [t.text for t in tokenizer(text)]


def test_model_folders_are_saved_as_absolute_paths(tmp_path, monkeypatch, reportie_home):
    """A relative model folder (pkuseg or classifier) is saved as an absolute path, so the saved
    pipeline finds it from any working directory."""
    from reportie.components.classifier import ReportClassifier
    from reportie.modelstore import default_model_dir

    monkeypatch.chdir(default_model_dir().parent)
    classifier = ReportClassifier(None, "reportie_classifier", SPANS_KEY, "model")
    copy = ReportClassifier(None, "reportie_classifier", SPANS_KEY, None).from_bytes(classifier.to_bytes())
    assert copy.model_dir == default_model_dir() and copy.model_dir.is_absolute()


def test_old_factory_name_still_loads(nlp):
    """``report_classifier`` (the factory's name before issue 16) stays registered: a config
    that names it builds the same component."""
    from reportie.components.classifier import ReportClassifier
    from reportie.pipeline import build

    old = build(classifier=False)
    component = old.add_pipe("report_classifier", name="reportie_classifier")
    assert isinstance(component, ReportClassifier) and old.pipe_names == nlp.pipe_names
    text = SEEDS[1].read_text(encoding="utf-8")
    assert doc_to_report(old(text)).to_dict() == doc_to_report(nlp(text)).to_dict()
    reloaded = spacy.util.load_model_from_config(old.config, auto_fill=False)
    assert reloaded.get_pipe_meta("reportie_classifier").factory == "report_classifier"


def test_doc_payloads_are_named_and_survive_bytes(nlp):
    """``doc._.reportie_sentences`` and ``reportie_labels`` hold named tuples; after
    ``Doc.to_bytes``/``from_bytes`` (what ``DocBin`` and ``nlp.pipe(n_process=...)`` do) they
    are plain tuples, and the accessors name them again: the Report is unchanged."""
    doc = nlp(SEEDS[2].read_text(encoding="utf-8"))
    sentences, labels = doc._.reportie_sentences, doc._.reportie_labels
    assert sentences and all(type(s) is DocSentence for s in sentences)
    assert len(labels) == len(sentences) and all(type(lab) is SentenceLabel for lab in labels)
    assert labels[0].label == max(labels[0].scores, key=labels[0].scores.get)
    assert all(isinstance(q, dict) and {"start", "end", "value", "sentence"} <= q.keys()
               for q in doc._.reportie_quantities)
    copy = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert type(copy._.reportie_sentences[0]) is not DocSentence  # msgpack gives plain arrays back
    assert sentence_spans(copy) == sentences and type(sentence_spans(copy)[0]) is DocSentence
    assert sentence_labels(copy) == labels
    assert doc_to_report(copy).to_dict() == doc_to_report(doc).to_dict()


def test_lower_modules_do_not_import_components():
    """Layers (docspans < features < components < pipeline < extraction): the Doc payload
    module, the features and the tokenizer import neither a component nor the pipeline; the
    Doc → Report step reads the payloads through docspans, not through a component."""
    for name in ("docspans", "features", "context", "tokenizer", "extraction"):
        tree = ast.parse((SRC / f"{name}.py").read_text(encoding="utf-8"))
        imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        upward = ("components",) if name == "extraction" else ("components", "pipeline")  # extract() loads the pipeline
        assert not [m for m in imported if any(part in m.split(".") for part in upward)], (name, imported)


def test_saved_pipeline_loads_without_importing_reportie(saved, reportie_home):
    """The factories, tokenizer and callback are entry points: a fresh process loads the folder
    with ``spacy.load`` alone."""
    script = ("import spacy, sys; nlp = spacy.load(sys.argv[1]); "
              "doc = nlp('全国人大常委会开展执法检查5次。'); "
              "print(nlp.pipe_names, len(doc._.reportie_quantities))")
    env = dict(os.environ, REPORTIE_HOME=str(reportie_home))
    out = subprocess.run([sys.executable, "-c", script, str(saved)], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "'reportie_classifier']" in out.stdout and out.stdout.strip().endswith("1")
