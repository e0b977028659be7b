"""The lean classifier: the saved classifier's predictions without importing scikit-learn.

Importing scikit-learn imports pandas (and pyarrow when installed), and skops.io imports every
scikit-learn estimator: ~200 MB of memory and seconds of start-up in every process (and every
``n_process`` worker) that classifies a sentence. Prediction itself only needs the fitted
vocabularies, idf weights and coefficients, so ``modelstore.save_classifier`` also writes them
as plain arrays (``lean_classifier_bytes``: ``classifier.lean``, listed with its checksum in the
card), after checking on probe rows that ``LeanClassifier`` returns bit for bit what the
scikit-learn model returns. The pipeline predicts with it when the card lists it
(``modelstore.load_predictor``), and with the skops model otherwise.
"""

from __future__ import annotations

import json
import re
from itertools import chain, repeat
from operator import itemgetter
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import numpy as np

from .leantables import _CharCodes, _PrefixedWords

LEAN_FORMAT = "reportie-tfidf-logreg/2"  # /2: one or more readers, their probabilities averaged
LEAN_FORMATS = (LEAN_FORMAT, "reportie-tfidf-logreg/1")  # /1: one reader, its blocks at the top
_LEAN_MAGIC = b"RPTLEAN1"
_LEAN_CHUNK = 256  # sentences per block of the matrix product: bounds memory on huge reports
_WHITE_SPACES = re.compile(r"\s\s+")  # CountVectorizer._white_spaces: squeezed before char n-grams
_HAS_SPACE = re.compile(r"\s").search  # the characters a \S+ token (and str.split) stops at


def _kind(obj: Any) -> str:
    return f"{type(obj).__module__.split('.')[0]}.{type(obj).__name__}"


def _lean_export(model: Any) -> Optional[Dict[str, Any]]:
    """The fitted parameters of ``model`` if it is the shape ``training.make_estimator`` builds
    (a soft VotingClassifier of readers, or one reader alone; a reader is a Pipeline:
    ColumnTransformer of TfidfVectorizers on scalar columns, sparse output → multinomial
    LogisticRegression) with no option the lean predictor does not reproduce; else None."""
    if _kind(model) == "sklearn.VotingClassifier":
        members = getattr(model, "estimators_", None)
        if (model.voting != "soft" or model.weights is not None or not members
                or len(members) != len(model.estimators)):
            return None
        classes = np.asarray(model.classes_)
        readers = [_reader_export(member) for member in members]
        # the readers are fitted on the labels encoded as 0..k-1 (VotingClassifier.le_)
        if any(r is None or r[2].tolist() != list(range(len(classes))) for r in readers):
            return None
    else:
        reader = _reader_export(model)
        if reader is None:
            return None
        readers, classes = [reader], reader[2]
    if len(classes) <= 2 or not all(type(c) is np.str_ or type(c) is str for c in classes.tolist()):
        return None  # binary models predict through a different formula (expit)
    arrays = {f"r{i}_{name}": array for i, (_meta, named, _c) in enumerate(readers) for name, array in named.items()}
    return {"meta": {"format": LEAN_FORMAT, "classes": [str(c) for c in classes],
                     "readers": [meta for meta, _named, _c in readers]},
            "arrays": arrays}


def _reader_export(model: Any) -> Optional[Tuple[Dict[str, Any], Dict[str, np.ndarray], np.ndarray]]:
    """(blocks, arrays, classes) of one reader (see ``_lean_export``), or None."""
    steps = getattr(model, "steps", None)
    if _kind(model) != "sklearn.Pipeline" or not steps or len(steps) != 2:
        return None
    features, clf = steps[0][1], steps[1][1]
    if _kind(features) != "sklearn.ColumnTransformer" or _kind(clf) != "sklearn.LogisticRegression":
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
            _kind(vec) != "sklearn.TfidfVectorizer" or type(column) is not int or params["input"] != "content"
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
        return None
    if intercept.dtype != np.float64 or intercept.shape != (len(classes),):
        return None
    return ({"blocks": blocks, "columns": int(getattr(features, "n_features_in_", 0))},
            {"coef_t": np.ascontiguousarray(coef.T), "intercept": intercept, **{f"idf{i}": a for i, a in enumerate(idfs)}},
            classes)


def _lean_dumps(export: Dict[str, Any]) -> bytes:
    """A deterministic container: magic, header length, JSON header, little-endian float64 arrays."""
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
    index order, + intercept, softmax; the mean of the readers' probabilities, as
    VotingClassifier's ``np.average``), so the probabilities are the same floats. A vectorizer
    two readers share (the same column, settings, vocabulary and idf) is read once.
    """

    def __init__(self, data: bytes) -> None:
        if not data.startswith(_LEAN_MAGIC):
            raise ValueError("not a reportie lean classifier")
        size = int.from_bytes(data[8:16], "little")
        meta = json.loads(data[16 : 16 + size].decode("utf-8"))
        if meta.get("format") not in LEAN_FORMATS:
            raise ValueError(f"unknown lean classifier format {meta.get('format')!r}")
        body = memoryview(data)[16 + size :]
        arrays = {}
        for name, spec in meta["arrays"].items():
            count = int(np.prod(spec["shape"])) if spec["shape"] else 1
            arrays[name] = np.frombuffer(body, dtype="<f8", count=count, offset=spec["offset"]).reshape(spec["shape"]).astype(np.float64)
        self.classes_ = np.array(meta["classes"])
        if "readers" in meta:
            readers = [(reader, f"r{i}_") for i, reader in enumerate(meta["readers"])]
        else:
            readers = [(meta, "")]  # format /1
        if not readers:
            raise ValueError("lean classifier has no reader")
        shared: Dict[Tuple[Any, ...], _TfidfBlock] = {}
        # per reader: its blocks with their offsets, its (features, classes) coefficients, its intercept
        self._readers: List[Tuple[List[Tuple[_TfidfBlock, int]], np.ndarray, np.ndarray]] = []
        for reader, prefix in readers:
            blocks, idf_index = [], 0
            for block in reader["blocks"]:
                idf = None
                if block["use_idf"]:
                    idf = arrays[f"{prefix}idf{idf_index}"]
                    idf_index += 1
                key = (json.dumps({k: v for k, v in block.items() if k != "offset"}, sort_keys=True),
                       None if idf is None else idf.tobytes())
                if key not in shared:
                    shared[key] = _TfidfBlock(block, idf)
                blocks.append((shared[key], int(block["offset"])))
            coef_t, intercept = arrays[f"{prefix}coef_t"], arrays[f"{prefix}intercept"]
            n_features = sum(len(b.vocabulary) for b, _offset in blocks)
            if coef_t.shape != (n_features, len(self.classes_)) or intercept.shape != (len(self.classes_),):
                raise ValueError("lean classifier arrays do not match its vocabularies")
            # (features, classes): a feature's coefficients share a cache line
            self._readers.append((blocks, coef_t, intercept))

    def predict_proba(self, rows: Any) -> np.ndarray:
        """The probabilities of the scikit-learn model for ``rows``, a 2-D array of column values."""
        rows = np.asarray(rows, dtype=object)
        if rows.ndim != 2:
            raise ValueError("expected a 2-D array of [sentence, tokens, own tokens] rows")
        return self._predict(rows.tolist())

    def predict_proba_grouped(self, rows: Sequence[Sequence[Any]]) -> np.ndarray:
        """``predict_proba`` of rows whose word-analyzer cells may hold, instead of a string, the
        token groups it joins: ``(prefix, words)`` pairs standing for the string
        ``" ".join(prefix + word for prefix, words in groups for word in words)``.

        Each word is looked up among the vocabulary terms that start with its prefix, so no
        token string is built, joined or split: the same probabilities, with less work.
        """
        return self._predict(rows)

    def _predict(self, rows: Sequence[Sequence[Any]]) -> np.ndarray:
        out = np.empty((len(rows), len(self.classes_)), dtype=np.float64)
        for start in range(0, len(rows), _LEAN_CHUNK):
            chunk = rows[start : start + _LEAN_CHUNK]
            read: Dict[int, Tuple[np.ndarray, np.ndarray, np.ndarray]] = {}  # a shared block: transformed once
            readings = []
            for blocks, coef_t, intercept in self._readers:
                terms = []
                for block, offset in blocks:
                    if id(block) not in read:
                        read[id(block)] = block.transform([row[block.column] for row in chunk])
                    data, local, row_of = read[id(block)]
                    terms.append((data, local + offset, row_of))
                # sparse · coef: each row's terms block after block (ColumnTransformer's hstack, in index order)
                data, index, row_of = (np.concatenate(parts) for parts in zip(*terms))
                products = np.take(coef_t, index, axis=0)  # (terms, classes)
                products *= np.repeat(data, products.shape[1]).reshape(products.shape)
                readings.append(_softmax(_row_sums(row_of, products, len(chunk)) + intercept))
            out[start : start + len(chunk)] = readings[0] if len(readings) == 1 else np.asarray(readings).mean(axis=0)
        return out


class _TfidfBlock:
    """One fitted TfidfVectorizer of the ColumnTransformer: cells of its column → tf-idf rows."""

    def __init__(self, spec: Dict[str, Any], idf: Optional[np.ndarray]) -> None:
        self.column: int = spec["column"]
        self.word = spec["analyzer"] == "word"
        self.lowercase, self.sublinear_tf, self.norm = spec["lowercase"], spec["sublinear_tf"], spec["norm"]
        self.ngram_range = spec["ngram_range"]
        self.idf = idf
        self.vocabulary = {term: i for i, term in enumerate(spec["vocabulary"])}
        self.tokenize = _word_tokenizer(spec["token_pattern"]) if self.word else None
        # token groups are read word by word only where a token is exactly a whitespace-free run
        self.groupable = self.word and spec["token_pattern"] == r"\S+" and not self.lowercase
        # the most common terms (lowest idf) first: see _PrefixedWords
        by_use = spec["vocabulary"] if idf is None else [spec["vocabulary"][i] for i in np.argsort(idf, kind="stable")]
        self._prefixed_words = _PrefixedWords(self.vocabulary, by_use)
        codes = None if self.word else _CharCodes(spec["vocabulary"], self.ngram_range)
        self.codes = codes if codes is not None and codes.usable else None

    def transform(self, cells: List[Any]) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One TfidfVectorizer.transform: (data, indices in its vocabulary, row of each value) in CSR order."""
        row_of, found = self._matches(cells)
        keep = found >= 0
        if not keep.all():
            row_of, found = row_of[keep], found[keep]
        n_vocab = len(self.vocabulary)
        # count (row, feature) pairs; np.unique sorts them: rows in order, indices sorted within a row
        pairs = row_of * n_vocab + found
        if len(cells) * n_vocab < 2**31:
            pairs = pairs.astype(np.int32)  # sorted twice as fast
        pairs, counts = np.unique(pairs, return_counts=True)
        row_of, local = np.divmod(pairs.astype(np.int64), n_vocab)
        data = counts.astype(np.float64)
        if self.sublinear_tf:
            np.log(data, data)
            data += 1.0
        if self.idf is not None:
            data *= self.idf[local]
        if self.norm == "l2" and len(data):
            norms = np.sqrt(_row_sums(row_of, (data * data)[:, None], len(cells))[:, 0])
            norms[norms == 0.0] = 1.0
            data /= norms[row_of]
        return data, local, row_of

    def _matches(self, cells: List[Any]) -> Tuple[np.ndarray, np.ndarray]:
        """(row, vocabulary index or -1) of every token or n-gram of every cell."""
        if self.groupable and not all(isinstance(cell, (str, bytes)) for cell in cells):
            return self._grouped_matches(cells)
        texts = [_cell_text(cell) for cell in cells]
        if self.lowercase:
            texts = [text.lower() for text in texts]
        if self.word:  # words: every token looked up, then counted per row
            tokens = [self.tokenize(text) for text in texts]
            found = np.fromiter(map(self.vocabulary.get, chain.from_iterable(tokens), repeat(-1)), dtype=np.int64)
            return np.repeat(np.arange(len(texts)), [len(t) for t in tokens]), found
        texts = [_WHITE_SPACES.sub(" ", text) for text in texts]
        if self.codes is not None:  # characters: all n-grams of all rows at once, as integers
            return self.codes.lookup(texts)
        grams = [list(_char_ngrams(text, *self.ngram_range)) for text in texts]
        found = np.fromiter(map(self.vocabulary.get, chain.from_iterable(grams), repeat(-1)), dtype=np.int64)
        return np.repeat(np.arange(len(texts)), [len(g) for g in grams]), found

    def _grouped_matches(self, cells: List[Any]) -> Tuple[np.ndarray, np.ndarray]:
        """``_matches`` of cells given as token groups (or strings).

        The rows of one Doc share their word lists (a sentence's words are its neighbours'
        ``P_``/``N_`` words, a section's and the document's spans repeat on every row), so each
        distinct list is looked up once, for all its prefixes (:class:`_PrefixedWords`), and
        its rows gathered for every group that holds it.
        """
        table, tokenize = self._prefixed_words, self.tokenize
        cells = [(("", tokenize(_cell_text(cell))),) if isinstance(cell, (str, bytes)) else cell for cell in cells]
        groups = list(chain.from_iterable(cells))
        if not groups:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        prefixes = list(map(itemgetter(0), groups))
        if any(map(_HAS_SPACE, set(prefixes))):
            # rare: a prefix holding whitespace splits off its words, which are then plain tokens
            cells = [[("", tokenize(" ".join(prefix + word for word in words))) if _HAS_SPACE(prefix)
                      else (prefix, words) for prefix, words in cell] for cell in cells]
            groups = list(chain.from_iterable(cells))
            prefixes = list(map(itemgetter(0), groups))
        # the distinct lists, by identity (``cells`` keeps every list alive: no id is reused meanwhile)
        keys = np.fromiter(map(id, map(itemgetter(1), groups)), dtype=np.uint64, count=len(groups))
        _, first, group_lists = np.unique(keys, return_index=True, return_inverse=True)
        distinct, group_lists = [groups[at][1] for at in first.tolist()], group_lists.reshape(-1)
        columns = {prefix: table.column(prefix) for prefix in set(prefixes)}
        list_sizes = np.fromiter(map(len, distinct), dtype=np.int64, count=len(distinct))
        # the ids of every distinct word under every prefix, flat: word w, prefix column c at w * width + c
        width = table.ids.shape[1]
        word_ids = table.ids[table.rows_of(chain.from_iterable(distinct), int(list_sizes.sum()))].ravel()
        group_columns = np.fromiter(map(columns.__getitem__, prefixes), dtype=np.int64, count=len(prefixes))
        sizes = list_sizes[group_lists]
        # word k of a group: word (its list's first + k) of ``word_ids``, in the group's column
        at = np.repeat(((np.cumsum(list_sizes) - list_sizes)[group_lists] - (np.cumsum(sizes) - sizes)) * width
                       + group_columns, sizes)
        at += np.arange(0, len(at) * width, width)
        found = word_ids[at]
        row_of = np.repeat(np.repeat(np.arange(len(cells)), list(map(len, cells))), sizes)
        missed = found < 0
        if missed.any():  # a missed word may hold whitespace
            words = list(chain.from_iterable(distinct))
            if _HAS_SPACE("".join(map(words.__getitem__, np.unique(at[missed] // width).tolist()))):  # rare
                split_rows, split_ids = self._split_words(groups, row_of, found)
                return np.concatenate([row_of, split_rows]), np.concatenate([found, split_ids])
        return row_of, found

    def _split_words(self, groups: List[Tuple[str, Sequence[str]]], row_of: np.ndarray,
                     found: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """(row, index) of the tokens of the missed words holding whitespace: prefix + word is
        then several tokens (and the word itself missed, as no term holds whitespace)."""
        split, at = [], 0
        for prefix, words in groups:
            for word in words:
                if found[at] < 0 and _HAS_SPACE(word):
                    split += [(row_of[at], self.vocabulary.get(token, -1)) for token in self.tokenize(prefix + word)]
                at += 1
        return np.array([r for r, _i in split], dtype=np.int64), np.array([i for _r, i in split], dtype=np.int64)


def _char_ngrams(text: str, min_n: int, max_n: int) -> Iterator[str]:
    """The n-grams of sklearn's ``CountVectorizer._char_ngrams`` of an already squeezed text (as a
    lazy iterator: only their counts matter, not their order)."""
    text_len = len(text)
    parts: List[Iterable[str]] = []
    if min_n == 1:
        parts.append(text)
        min_n += 1
    for n in range(min_n, min(max_n + 1, text_len + 1)):
        parts.append(map(text.__getitem__, map(slice, range(text_len - n + 1), range(n, text_len + 1))))
    return chain.from_iterable(parts)


def _cell_text(cell: Any) -> str:
    """A cell as the string scikit-learn reads: bytes decoded, token groups joined."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bytes):
        return cell.decode("utf-8")
    return " ".join(prefix + word for prefix, words in cell for word in words)


def _word_tokenizer(token_pattern: str) -> Any:
    """``re.compile(token_pattern).findall``; ``str.split`` for ``\\S+``: the same tokens (both
    split on the characters ``Py_UNICODE_ISSPACE`` accepts), several times faster."""
    return str.split if token_pattern == r"\S+" else re.compile(token_pattern).findall


def _row_sums(row_of: np.ndarray, values: np.ndarray, n_rows: int) -> np.ndarray:
    """The (n_rows, width) sums of sparse rows, each added term after term from its first, as
    scipy's CSR product and sklearn's l2 normalisation add them (numpy's own sums go pairwise).

    ``values``: (nnz, width), row ``k`` a term of row ``row_of[k]``; a row's terms are added in
    their order in ``values``. np.bincount does exactly that: it adds each weight, in array
    order, to its bin, which starts at 0. All the columns go in one pass, to the bins
    ``row * width + column``: one row's additions wait for each other, but consecutive weights
    then go to different bins, and their additions overlap.
    """
    width = values.shape[1]
    bins = np.repeat(row_of * width, width)
    if width > 1:
        bins += np.tile(np.arange(width), len(row_of))
    return np.bincount(bins, np.ascontiguousarray(values).ravel(), minlength=n_rows * width).reshape(n_rows, width)


def _softmax(scores: np.ndarray) -> np.ndarray:
    """sklearn.utils.extmath.softmax, in place."""
    scores -= np.max(scores, axis=1).reshape((-1, 1))
    np.exp(scores, out=scores)
    scores /= np.sum(scores, axis=1).reshape((-1, 1))
    return scores


def _probe_rows(export: Dict[str, Any]) -> Any:
    """Rows made from the model's own vocabularies (and some unknown text) to compare predictions."""
    rng = np.random.default_rng(0)
    readers = export["meta"]["readers"]
    blocks = [b for reader in readers for b in reader["blocks"]]
    columns = max([b["column"] + 1 for b in blocks] + [reader.get("columns", 0) for reader in readers])
    extra = ["", " ", "\n\n  \t", "ABC Def ＧＤＰ İ", "未知的词 12.5万 《法》", "x"]
    rows = []
    for i in range(96):
        row = []
        for c in range(columns):
            terms = [t for b in blocks if b["column"] == c for t in b["vocabulary"]] or ["a"]
            k = int(rng.integers(0, 60))
            picked = [terms[j] for j in rng.integers(0, len(terms), size=k)] + [extra[i % len(extra)]]
            row.append(("" if c and i % 7 else " ").join(picked) if i % 11 else extra[i % len(extra)])
        rows.append(row)
    return np.array(rows, dtype=object)


def _as_groups(rows: np.ndarray, export: Dict[str, Any]) -> List[List[Any]]:
    """``rows`` with their word columns as token groups, for ``predict_proba_grouped``: each
    token one group, split after its first two characters when those are a probe prefix."""
    word_columns = {b["column"] for reader in export["meta"]["readers"] for b in reader["blocks"] if b["analyzer"] == "word"}
    prefixes = ("P_", "N_", "S_", "\n\n")  # the last: a prefix holding whitespace

    def groups(cell: str) -> List[Tuple[str, List[str]]]:
        return [(t[:2], [t[2:]]) if t[:2] in prefixes else ("", [t]) for t in cell.split(" ")]

    return [[groups(cell) if c in word_columns else cell for c, cell in enumerate(row)] for row in rows.tolist()]


def lean_classifier_bytes(model: Any) -> Optional[bytes]:
    """The lean export of ``model``, or None if it is unsupported or does not predict the same floats."""
    export = _lean_export(model)
    if export is None:
        return None
    data = _lean_dumps(export)
    probe = _probe_rows(export)
    expected = np.asarray(model.predict_proba(probe), dtype=np.float64)
    lean = LeanClassifier(data)
    for got in (lean.predict_proba(probe), lean.predict_proba_grouped(_as_groups(probe, export))):
        if expected.shape != got.shape or expected.tobytes() != got.tobytes():
            return None
    return data
