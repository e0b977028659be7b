"""Reading and writing the trained sentence classifier: skops with a checksum, never pickle."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from importlib import resources
from itertools import chain, repeat
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional

# Types allowed beyond skops' own safe list. Empty: the model is plain scikit-learn
# (ColumnTransformer, TfidfVectorizer, LogisticRegression), which skops trusts by default.
TRUSTED_TYPES: List[str] = []
MODEL_NAME = "classifier.skops"
CARD_NAME = "classifier.json"


class ModelError(RuntimeError):
    """A model file is missing, tampered with, truncated or of the wrong kind."""


def default_model_dir() -> Path:
    return Path(str(resources.files("reportie").joinpath("data/model")))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=str(path.parent))
    try:
        # mkstemp creates the file 0600; keep the mode the file had, or make it world-readable.
        os.chmod(tmp, (path.stat().st_mode & 0o777) if path.exists() else 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def save_classifier(model: Any, card: Dict[str, Any], model_dir: Optional[Path] = None) -> Path:
    """Persist ``model`` with skops (and its lean export) and a card carrying their checksums; each written atomically."""
    import skops.io as sio

    model_dir = Path(model_dir) if model_dir else default_model_dir()
    data = sio.dumps(model, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    card = dict(card, sha256=hashlib.sha256(data).hexdigest(), format="skops")
    atomic_write_bytes(model_dir / MODEL_NAME, data)
    _write_lean_and_card(model, card, model_dir)  # the same predictions without scikit-learn
    return model_dir / MODEL_NAME


def load_card(model_dir: Optional[Path] = None) -> Dict[str, Any]:
    model_dir = Path(model_dir) if model_dir else default_model_dir()
    try:
        return json.loads((model_dir / CARD_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"no classifier in {model_dir}: run `reportie train`") from None
    except ValueError as err:
        raise ModelError(f"{model_dir / CARD_NAME} is not valid JSON ({err})") from None


def load_classifier(model_dir: Optional[Path] = None) -> Any:
    """Load the classifier after checking its checksum and that it holds only trusted types."""
    import skops.io as sio

    model_dir = Path(model_dir) if model_dir else default_model_dir()
    card = load_card(model_dir)
    path = model_dir / MODEL_NAME
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ModelError(f"{path} is missing: run `reportie train`") from None
    if hashlib.sha256(data).hexdigest() != card.get("sha256"):
        raise ModelError(f"{path} failed its checksum (tampered or truncated): run `reportie train` to rebuild it")
    try:
        untrusted = sio.get_untrusted_types(data=data)
    except Exception as err:  # skops raises several kinds on a corrupt archive
        raise ModelError(f"{path} is not a readable skops file ({err})") from None
    unexpected = sorted(set(untrusted) - set(TRUSTED_TYPES))
    if unexpected:
        raise ModelError(f"{path} holds types reportie does not trust: {', '.join(unexpected)}")
    try:
        return sio.loads(data, trusted=TRUSTED_TYPES or None)
    except Exception as err:
        raise ModelError(f"{path} could not be loaded ({err})") from None


# --------------------------------------------------------------------------
# The lean classifier: the same predictions without importing scikit-learn.
#
# Importing scikit-learn imports pandas (and pyarrow when installed), and skops.io imports
# every scikit-learn estimator: ~200 MB of memory and seconds of start-up in every process
# (and every ``n_process`` worker) that classifies a sentence. Prediction itself only needs
# the fitted vocabularies, idf weights and coefficients, so ``save_classifier`` also writes
# them as plain arrays (``classifier.lean``, listed with its checksum in the card), after
# checking on probe rows that ``LeanClassifier.predict_proba`` returns bit for bit what the
# scikit-learn model returns. The pipeline predicts with it when the card lists it, and with
# the skops model otherwise; ``load_classifier`` still returns the scikit-learn model.

LEAN_NAME = "classifier.lean"
LEAN_FORMAT = "reportie-tfidf-logreg/1"
_LEAN_MAGIC = b"RPTLEAN1"
_LEAN_CHUNK = 256  # sentences per block of the matrix product: bounds memory on huge reports


def _lean_export(model: Any) -> Optional[Dict[str, Any]]:
    """The fitted parameters of ``model`` if it is the shape ``training.make_estimator`` builds
    (Pipeline: ColumnTransformer of TfidfVectorizers on scalar columns, sparse output →
    multinomial LogisticRegression) with no option the lean predictor does not reproduce;
    else None."""
    import re

    import numpy as np

    def kind(obj: Any) -> str:
        return f"{type(obj).__module__.split('.')[0]}.{type(obj).__name__}"

    steps = getattr(model, "steps", None)
    if kind(model) != "sklearn.Pipeline" or not steps or len(steps) != 2:
        return None
    features, clf = steps[0][1], steps[1][1]
    if kind(features) != "sklearn.ColumnTransformer" or kind(clf) != "sklearn.LogisticRegression":
        return None
    if not getattr(features, "sparse_output_", False) or features.transformer_weights is not None:
        return None
    blocks, idfs, offset = [], [], 0
    for name, vec, column in features.transformers_:
        if isinstance(vec, str):
            if vec == "drop" and name == "remainder":
                continue
            return None
        params = vec.get_params()
        if (
            kind(vec) != "sklearn.TfidfVectorizer" or type(column) is not int or params["input"] != "content"
            or params["preprocessor"] is not None or params["tokenizer"] is not None
            or params["strip_accents"] is not None or params["stop_words"] is not None or params["binary"]
            or params["dtype"] is not np.float64 or params["norm"] not in ("l2", None)
            or params["analyzer"] not in ("char", "word") or not hasattr(vec, "vocabulary_")
        ):
            return None
        min_n, max_n = params["ngram_range"]
        if params["analyzer"] == "word" and (min_n, max_n) != (1, 1):
            return None
        if params["analyzer"] == "word" and re.compile(params["token_pattern"]).groups > 1:
            return None
        if not 1 <= min_n <= max_n:
            return None
        vocabulary = [None] * len(vec.vocabulary_)
        for term, index in vec.vocabulary_.items():
            vocabulary[index] = term
        if any(term is None or type(term) is not str for term in vocabulary):
            return None
        use_idf = bool(params["use_idf"])
        if use_idf:
            idf = np.asarray(vec.idf_)
            if idf.dtype != np.float64 or idf.shape != (len(vocabulary),):
                return None
            idfs.append(idf)
        blocks.append({
            "column": column, "analyzer": params["analyzer"], "lowercase": bool(params["lowercase"]),
            "ngram_range": [int(min_n), int(max_n)], "token_pattern": params["token_pattern"],
            "sublinear_tf": bool(params["sublinear_tf"]), "norm": params["norm"], "use_idf": use_idf,
            "offset": offset, "vocabulary": vocabulary,
        })
        offset += len(vocabulary)
    coef, intercept, classes = np.asarray(clf.coef_), np.asarray(clf.intercept_), np.asarray(clf.classes_)
    if len(classes) <= 2 or coef.dtype != np.float64 or coef.shape != (len(classes), offset):
        return None  # binary models predict through a different formula (expit)
    if intercept.dtype != np.float64 or intercept.shape != (len(classes),):
        return None
    if not all(type(c) is np.str_ or type(c) is str for c in classes.tolist()):
        return None
    return {
        "meta": {"format": LEAN_FORMAT, "classes": [str(c) for c in classes], "blocks": blocks},
        "arrays": {"coef_t": np.ascontiguousarray(coef.T), "intercept": intercept, **{f"idf{i}": a for i, a in enumerate(idfs)}},
    }


def _lean_dumps(export: Dict[str, Any]) -> bytes:
    """A deterministic container: magic, header length, JSON header, little-endian float64 arrays."""
    import numpy as np

    layout, chunks, at = {}, [], 0
    for name, array in export["arrays"].items():
        raw = np.ascontiguousarray(array, dtype="<f8").tobytes()
        layout[name] = {"shape": list(array.shape), "offset": at}
        chunks.append(raw)
        at += len(raw)
    header = json.dumps(dict(export["meta"], arrays=layout), ensure_ascii=False, sort_keys=True).encode("utf-8")
    return _LEAN_MAGIC + len(header).to_bytes(8, "little") + header + b"".join(chunks)


class LeanClassifier:
    """``classes_`` and ``predict_proba(rows)`` of a saved classifier, computed with numpy alone.

    Reproduces scikit-learn's arithmetic step by step (counts of sorted feature indices,
    ``log(tf) + 1``, × idf, row-wise l2 norm summed in index order, sparse · coef summed in
    index order, + intercept, softmax), so the probabilities are the same floats.
    """

    def __init__(self, data: bytes) -> None:
        import re

        import numpy as np

        if not data.startswith(_LEAN_MAGIC):
            raise ValueError("not a reportie lean classifier")
        size = int.from_bytes(data[8:16], "little")
        meta = json.loads(data[16 : 16 + size].decode("utf-8"))
        if meta.get("format") != LEAN_FORMAT:
            raise ValueError(f"unknown lean classifier format {meta.get('format')!r}")
        body = memoryview(data)[16 + size :]
        arrays = {}
        for name, spec in meta["arrays"].items():
            count = int(np.prod(spec["shape"])) if spec["shape"] else 1
            arrays[name] = np.frombuffer(body, dtype="<f8", count=count, offset=spec["offset"]).reshape(spec["shape"]).astype(np.float64)
        self.classes_ = np.array(meta["classes"])
        self._coef_t = arrays["coef_t"]
        self._intercept = arrays["intercept"]
        self._white_spaces = re.compile(r"\s\s+")
        self._blocks = []
        idf_index = 0
        for block in meta["blocks"]:
            idf = None
            if block["use_idf"]:
                idf = arrays[f"idf{idf_index}"]
                idf_index += 1
            vocabulary = {term: i for i, term in enumerate(block["vocabulary"])}
            tokenize = re.compile(block["token_pattern"]).findall if block["analyzer"] == "word" else None
            codes = _CharCodes(block["vocabulary"], block["ngram_range"]) if tokenize is None else None
            self._blocks.append((block, vocabulary, idf, tokenize, codes if codes and codes.usable else None))
        n_features = sum(len(b[0]["vocabulary"]) for b in self._blocks)
        if self._coef_t.shape != (n_features, len(self.classes_)) or self._intercept.shape != (len(self.classes_),):
            raise ValueError("lean classifier arrays do not match its vocabularies")

    def _char_ngrams(self, text: str, min_n: int, max_n: int) -> Iterator[str]:
        """The n-grams of sklearn's ``CountVectorizer._char_ngrams`` (as a lazy iterator: only
        their counts matter, not their order)."""
        text = self._white_spaces.sub(" ", text)
        text_len = len(text)
        parts: List[Iterable[str]] = []
        if min_n == 1:
            parts.append(text)
            min_n += 1
        for n in range(min_n, min(max_n + 1, text_len + 1)):
            parts.append(map(text.__getitem__, map(slice, range(text_len - n + 1), range(n, text_len + 1))))
        return chain.from_iterable(parts)

    def _block_rows(self, block: dict, vocabulary: Dict[str, int], idf: Any, tokenize: Any, codes: Any, docs: List[Any]):
        """One TfidfVectorizer.transform: (data, global indices, row lengths) in CSR order."""
        import numpy as np

        texts = [doc.decode("utf-8") if isinstance(doc, bytes) else doc for doc in docs]
        if block["lowercase"]:
            texts = [text.lower() for text in texts]
        if tokenize is not None:  # words: every token looked up, then counted per row
            tokens = [tokenize(text) for text in texts]
            found = np.fromiter(map(vocabulary.get, chain.from_iterable(tokens), repeat(-1)), dtype=np.int64)
            row_of = np.repeat(np.arange(len(texts)), [len(t) for t in tokens])
        elif codes is not None:  # characters: all n-grams of all rows at once, as integers
            row_of, found = codes.lookup([self._white_spaces.sub(" ", text) for text in texts])
        else:
            min_n, max_n = block["ngram_range"]
            grams = [list(self._char_ngrams(text, min_n, max_n)) for text in texts]
            found = np.fromiter(map(vocabulary.get, chain.from_iterable(grams), repeat(-1)), dtype=np.int64)
            row_of = np.repeat(np.arange(len(texts)), [len(g) for g in grams])
        keep = found >= 0
        n_vocab = len(vocabulary)
        # count (row, feature) pairs; np.unique sorts them: rows in order, indices sorted within a row
        pairs, counts = np.unique(row_of[keep] * n_vocab + found[keep], return_counts=True)
        local = pairs % n_vocab
        lengths = np.bincount(pairs // n_vocab, minlength=len(texts)).astype(np.int64)
        data = counts.astype(np.float64)
        if block["sublinear_tf"]:
            np.log(data, data)
            data += 1.0
        if idf is not None:
            data *= idf[local]
        if block["norm"] == "l2" and len(data):
            squares = _padded(data * data, lengths)
            norms = np.sqrt(np.cumsum(squares, axis=1)[:, -1])  # summed in index order, as sklearn does
            norms[norms == 0.0] = 1.0
            data /= np.repeat(norms, lengths)
        return data, local + block["offset"], lengths

    def predict_proba(self, rows: Any) -> Any:
        import numpy as np

        rows = np.asarray(rows, dtype=object)
        if rows.ndim != 2:
            raise ValueError("expected a 2-D array of [sentence, tokens] rows")
        n_classes = len(self.classes_)
        out = np.empty((len(rows), n_classes), dtype=np.float64)
        for start in range(0, len(rows), _LEAN_CHUNK):
            chunk = rows[start : start + _LEAN_CHUNK]
            parts = [self._block_rows(b, v, i, t, c, list(chunk[:, b["column"]])) for b, v, i, t, c in self._blocks]
            # concatenate the blocks row by row (ColumnTransformer's hstack): block order = index order
            lengths = np.sum([p[2] for p in parts], axis=0)
            data = np.concatenate([p[0] for p in parts]) if parts else np.empty(0)
            index = np.concatenate([p[1] for p in parts]) if parts else np.empty(0, dtype=np.int64)
            row_of = np.concatenate([np.repeat(np.arange(len(chunk)), p[2]) for p in parts]) if parts else np.empty(0, dtype=np.int64)
            order = np.argsort(row_of, kind="stable")
            data, index = data[order], index[order]
            products = data[:, None] * self._coef_t[index]
            scores = np.cumsum(_padded(products, lengths), axis=1)[:, -1, :] if len(data) else np.zeros((len(chunk), n_classes))
            scores = scores + self._intercept
            # sklearn.utils.extmath.softmax
            scores -= np.max(scores, axis=1).reshape((-1, 1))
            np.exp(scores, out=scores)
            scores /= np.sum(scores, axis=1).reshape((-1, 1))
            out[start : start + len(chunk)] = scores
        return out


class _CharCodes:
    """Character n-grams as integers, to find a char vocabulary's n-grams with numpy.

    Each character of the vocabulary gets a code 1..A-1 (0: any other character, and the gap
    between rows); an n-gram is the base-A number of its codes, so an n-gram's number equals a
    vocabulary term's number exactly when the n-gram is that term (a 0 digit never matches).
    Used only while A ** max_n fits in 63 bits.
    """

    def __init__(self, vocabulary: List[str], ngram_range: List[int]) -> None:
        import numpy as np

        self.min_n, self.max_n = int(ngram_range[0]), int(ngram_range[1])
        alphabet = sorted({ord(c) for term in vocabulary for c in term})
        self.base = len(alphabet) + 1
        self.usable = bool(alphabet) and self.base ** self.max_n < 2**63
        if not self.usable:
            return
        self.alphabet = np.array(alphabet, dtype=np.uint32)
        self.tables: Dict[int, Any] = {}
        for n in range(self.min_n, self.max_n + 1):
            terms = [(i, t) for i, t in enumerate(vocabulary) if len(t) == n]
            if not terms:
                continue
            keys = self._keys(self._codes("".join(t for _i, t in terms)), n)[::n]
            order = np.argsort(keys)
            self.tables[n] = (keys[order], np.array([i for i, _t in terms], dtype=np.int64)[order])

    def _codes(self, text: str) -> Any:
        import numpy as np

        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        where = np.minimum(np.searchsorted(self.alphabet, points), len(self.alphabet) - 1)
        return np.where(self.alphabet[where] == points, where + 1, 0).astype(np.uint64)

    def _keys(self, codes: Any, n: int) -> Any:
        """The number of the n-gram starting at each position (positions 0 .. len - n)."""
        size = len(codes) - n + 1
        keys = codes[:size].copy()
        for j in range(1, n):
            keys *= self.base
            keys += codes[j : j + size]
        return keys

    def lookup(self, texts: List[str]) -> Any:
        """(row, feature index) of every vocabulary n-gram of every text, as sklearn counts them."""
        import numpy as np

        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        codes = self._codes("\x00".join(texts))
        ends = np.cumsum(lengths + 1)[:-1] - 1
        codes[ends] = 0  # the gap between two rows: no n-gram crosses it
        row_at = np.repeat(np.arange(len(texts)), lengths + 1)[: len(codes)]
        rows, found = [], []
        for n, (keys_n, index_n) in self.tables.items():
            if len(codes) < n:
                continue
            keys = self._keys(codes, n)
            at = np.minimum(np.searchsorted(keys_n, keys), len(keys_n) - 1)
            hit = keys_n[at] == keys
            rows.append(row_at[: len(keys)][hit])
            found.append(index_n[at[hit]])
        if not rows:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        return np.concatenate(rows), np.concatenate(found)


def _padded(values: Any, lengths: Any) -> Any:
    """``values`` (row after row, ``lengths[i]`` each) as a zero-padded (rows, max length, ...) array."""
    import numpy as np

    n, width = len(lengths), int(lengths.max(initial=0)) or 1
    out = np.zeros((n, width) + values.shape[1:], dtype=values.dtype)
    rows = np.repeat(np.arange(n), lengths)
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    out[rows, np.arange(len(values)) - starts] = values
    return out


def _probe_rows(export: Dict[str, Any]) -> Any:
    """Rows made from the model's own vocabularies (and some unknown text) to compare predictions."""
    import numpy as np

    rng = np.random.default_rng(0)
    columns = max(b["column"] for b in export["meta"]["blocks"]) + 1
    extra = ["", " ", "\n\n  \t", "ABC Def ＧＤＰ İ", "未知的词 12.5万 《法》", "x"]
    rows = []
    for i in range(96):
        row = []
        for c in range(columns):
            terms = [t for b in export["meta"]["blocks"] if b["column"] == c for t in b["vocabulary"]] or ["a"]
            k = int(rng.integers(0, 60))
            picked = [terms[j] for j in rng.integers(0, len(terms), size=k)] + [extra[i % len(extra)]]
            row.append(("" if c and i % 7 else " ").join(picked) if i % 11 else extra[i % len(extra)])
        rows.append(row)
    return np.array(rows, dtype=object)


def lean_classifier_bytes(model: Any) -> Optional[bytes]:
    """The lean export of ``model``, or None if it is unsupported or does not predict the same floats."""
    import numpy as np

    export = _lean_export(model)
    if export is None:
        return None
    data = _lean_dumps(export)
    probe = _probe_rows(export)
    expected = np.asarray(model.predict_proba(probe), dtype=np.float64)
    got = LeanClassifier(data).predict_proba(probe)
    if expected.shape != got.shape or expected.tobytes() != got.tobytes():
        return None
    return data


def load_predictor(model_dir: Optional[Path] = None) -> Any:
    """What the pipeline classifies with: the lean classifier when the card lists it (after
    checking its checksum and the skops model's), else ``load_classifier``'s scikit-learn model."""
    model_dir = Path(model_dir) if model_dir else default_model_dir()
    card = load_card(model_dir)
    lean = card.get("lean")
    if (not isinstance(lean, dict) or lean.get("file") != LEAN_NAME or lean.get("format") != LEAN_FORMAT
            or lean.get("source_sha256") != card.get("sha256")):
        return load_classifier(model_dir)
    path = model_dir / LEAN_NAME
    try:
        model_ok = sha256_file(model_dir / MODEL_NAME) == card.get("sha256")
        data = path.read_bytes()
    except OSError:
        model_ok = False
    if not model_ok:
        return load_classifier(model_dir)  # raises the usual error for a missing or altered model
    if hashlib.sha256(data).hexdigest() != lean.get("sha256"):
        raise ModelError(f"{path} failed its checksum (tampered or truncated): run `reportie train` to rebuild it")
    try:
        return LeanClassifier(data)
    except (ValueError, KeyError, TypeError) as err:
        raise ModelError(f"{path} could not be loaded ({err})") from None


def _write_lean_and_card(model: Any, card: Dict[str, Any], model_dir: Path) -> bool:
    """Write ``model``'s lean export (if it has one) and then the card, listing it."""
    card = dict(card)
    card.pop("lean", None)
    lean = lean_classifier_bytes(model)
    if lean is not None:
        atomic_write_bytes(model_dir / LEAN_NAME, lean)
        card["lean"] = {"file": LEAN_NAME, "format": LEAN_FORMAT, "sha256": hashlib.sha256(lean).hexdigest(),
                        "source_sha256": card["sha256"]}
    atomic_write_bytes(model_dir / CARD_NAME, (json.dumps(card, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return lean is not None


def add_lean_export(model_dir: Optional[Path] = None) -> bool:
    """Write the lean export of an already saved model and list it in its card (for models
    saved before ``save_classifier`` wrote it). Returns whether the model could be exported."""
    model_dir = Path(model_dir) if model_dir else default_model_dir()
    return _write_lean_and_card(load_classifier(model_dir), load_card(model_dir), model_dir)
