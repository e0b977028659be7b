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
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import numpy as np

LEAN_FORMAT = "reportie-tfidf-logreg/1"
_LEAN_MAGIC = b"RPTLEAN1"
_LEAN_CHUNK = 256  # sentences per block of the matrix product: bounds memory on huge reports
_WHITE_SPACES = re.compile(r"\s\s+")  # CountVectorizer._white_spaces: squeezed before char n-grams
_HAS_SPACE = re.compile(r"\s").search  # the characters a \S+ token (and str.split) stops at


def _lean_export(model: Any) -> Optional[Dict[str, Any]]:
    """The fitted parameters of ``model`` if it is the shape ``training.make_estimator`` builds
    (Pipeline: ColumnTransformer of TfidfVectorizers on scalar columns, sparse output →
    multinomial LogisticRegression) with no option the lean predictor does not reproduce;
    else None."""

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
        coef_t, self._intercept = arrays["coef_t"], arrays["intercept"]
        self._blocks: List[_TfidfBlock] = []
        idf_index = 0
        for block in meta["blocks"]:
            idf = None
            if block["use_idf"]:
                idf = arrays[f"idf{idf_index}"]
                idf_index += 1
            self._blocks.append(_TfidfBlock(block, idf))
        n_features = sum(len(b.vocabulary) for b in self._blocks)
        if coef_t.shape != (n_features, len(self.classes_)) or self._intercept.shape != (len(self.classes_),):
            raise ValueError("lean classifier arrays do not match its vocabularies")
        self._coef = np.ascontiguousarray(coef_t.T)  # (classes, features): np.take gathers its columns fastest

    def predict_proba(self, rows: Any) -> np.ndarray:
        """The probabilities of the scikit-learn model for ``rows``, a 2-D array of column values."""
        rows = np.asarray(rows, dtype=object)
        if rows.ndim != 2:
            raise ValueError("expected a 2-D array of [sentence, tokens] rows")
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
            terms = [block.transform([row[block.column] for row in chunk]) for block in self._blocks]
            # sparse · coef: each row's terms block after block (ColumnTransformer's hstack, in index order)
            products = [(np.take(self._coef, index, axis=1) * data, lengths) for data, index, lengths in terms]
            out[start : start + len(chunk)] = _softmax(_row_sums(products, len(chunk)) + self._intercept)
        return out


class _TfidfBlock:
    """One fitted TfidfVectorizer of the ColumnTransformer: cells of its column → tf-idf rows."""

    def __init__(self, spec: Dict[str, Any], idf: Optional[np.ndarray]) -> None:
        self.column: int = spec["column"]
        self.offset: int = spec["offset"]
        self.word = spec["analyzer"] == "word"
        self.lowercase, self.sublinear_tf, self.norm = spec["lowercase"], spec["sublinear_tf"], spec["norm"]
        self.ngram_range = spec["ngram_range"]
        self.idf = idf
        self.vocabulary = {term: i for i, term in enumerate(spec["vocabulary"])}
        self.tokenize = _word_tokenizer(spec["token_pattern"]) if self.word else None
        # token groups are read word by word only where a token is exactly a whitespace-free run
        self.groupable = self.word and spec["token_pattern"] == r"\S+" and not self.lowercase
        self._prefix_tables: Dict[str, Dict[str, int]] = {"": self.vocabulary}
        codes = None if self.word else _CharCodes(spec["vocabulary"], self.ngram_range)
        self.codes = codes if codes is not None and codes.usable else None

    def transform(self, cells: List[Any]) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One TfidfVectorizer.transform: (data, global indices, row lengths) in CSR order."""
        row_of, found = self._matches(cells)
        keep = found >= 0
        n_vocab = len(self.vocabulary)
        # count (row, feature) pairs; np.unique sorts them: rows in order, indices sorted within a row
        pairs, counts = np.unique(row_of[keep] * n_vocab + found[keep], return_counts=True)
        local = pairs % n_vocab
        lengths = np.bincount(pairs // n_vocab, minlength=len(cells)).astype(np.int64)
        data = counts.astype(np.float64)
        if self.sublinear_tf:
            np.log(data, data)
            data += 1.0
        if self.idf is not None:
            data *= self.idf[local]
        if self.norm == "l2" and len(data):
            norms = np.sqrt(_row_sums([((data * data)[None, :], lengths)], len(cells))[:, 0])
            norms[norms == 0.0] = 1.0
            data /= np.repeat(norms, lengths)
        return data, local + self.offset, lengths

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
        """``_matches`` of cells given as token groups (or strings), one lookup per prefix."""
        rows, found = [], []
        for prefix, (group_rows, groups) in self._by_prefix_of(cells).items():
            table = self._prefixed(prefix)
            words = list(chain.from_iterable(groups))
            ids = np.fromiter(map(table.get, words, repeat(-1)), dtype=np.int64, count=len(words))
            row_of = np.repeat(np.array(group_rows, dtype=np.int64), list(map(len, groups)))
            split_rows, split_ids = self._split_words(prefix, words, row_of, ids)
            rows += [row_of, split_rows]
            found += [ids, split_ids]
        if not rows:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        return np.concatenate(rows), np.concatenate(found)

    def _split_words(self, prefix: str, words: List[str], row_of: np.ndarray, ids: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """(row, index) of the tokens of the words holding whitespace: prefix + word is then
        several tokens (and the word itself missed, as no term holds whitespace)."""
        missed = np.flatnonzero(ids < 0).tolist()
        missed_words = [words[i] for i in missed]
        split = []
        if _HAS_SPACE("".join(missed_words)):  # rare: one search over all the missed words first
            split = [(row_of[i], self.vocabulary.get(token, -1)) for i, word in zip(missed, missed_words)
                     if _HAS_SPACE(word) for token in self.tokenize(prefix + word)]
        return np.array([r for r, _i in split], dtype=np.int64), np.array([i for _r, i in split], dtype=np.int64)

    def _by_prefix_of(self, cells: List[Any]) -> Dict[str, Tuple[List[int], List[Sequence[str]]]]:
        """{prefix: (row of each group, words of each group)} of the cells' token groups."""
        by_prefix: Dict[str, Tuple[List[int], List[Sequence[str]]]] = {}
        for row, cell in enumerate(cells):
            for prefix, words in (("", self.tokenize(_cell_text(cell))),) if isinstance(cell, (str, bytes)) else cell:
                entry = by_prefix.get(prefix)
                if entry is None:
                    entry = by_prefix[prefix] = ([], [])
                entry[0].append(row)
                entry[1].append(words)
        for prefix in [p for p in by_prefix if _HAS_SPACE(p)]:  # it splits off its words: read them as tokens
            plain = by_prefix.setdefault("", ([], []))
            for row, words in zip(*by_prefix.pop(prefix)):
                plain[0].append(row)
                plain[1].append(self.tokenize(" ".join(prefix + word for word in words)))
        return by_prefix

    def _prefixed(self, prefix: str) -> Dict[str, int]:
        """{word: index of the term prefix + word} over the terms that start with ``prefix``."""
        table = self._prefix_tables.get(prefix)
        if table is None:
            cut = len(prefix)
            table = {term[cut:]: i for term, i in self.vocabulary.items() if term.startswith(prefix)}
            self._prefix_tables[prefix] = table
        return table


class _CharCodes:
    """Character n-grams as integers, to find a char vocabulary's n-grams with numpy.

    Each character of the vocabulary gets a code 1..A-1 (0: any other character, and the gap
    between rows); an n-gram is the base-A number of its codes, so an n-gram's number equals a
    vocabulary term's number exactly when the n-gram is that term (a 0 digit never matches).
    Used only while A ** max_n fits in 63 bits.
    """

    def __init__(self, vocabulary: List[str], ngram_range: List[int]) -> None:
        self.min_n, self.max_n = int(ngram_range[0]), int(ngram_range[1])
        alphabet = sorted({ord(c) for term in vocabulary for c in term})
        self.base = len(alphabet) + 1
        self.usable = bool(alphabet) and self.base ** self.max_n < 2**63
        if not self.usable:
            return
        # code of every code point up to the alphabet's last, then 0 for any code point above it
        self.code_of = np.zeros(alphabet[-1] + 2, dtype=np.uint64)
        self.code_of[alphabet] = np.arange(1, self.base, dtype=np.uint64)
        self.tables: Dict[int, _NgramTable] = {}
        for n in range(self.min_n, self.max_n + 1):
            terms = [(i, t) for i, t in enumerate(vocabulary) if len(t) == n]
            if terms:
                keys = self._keys(self._codes("".join(t for _i, t in terms)), n)[::n]
                self.tables[n] = _NgramTable(keys, np.array([i for i, _t in terms], dtype=np.int64))

    def _codes(self, text: str) -> np.ndarray:
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        return self.code_of[np.minimum(points, len(self.code_of) - 1)]

    def _keys(self, codes: np.ndarray, n: int) -> np.ndarray:
        """The number of the n-gram starting at each position (positions 0 .. len - n)."""
        size = len(codes) - n + 1
        keys = codes[:size].copy()
        for j in range(1, n):
            keys *= self.base
            keys += codes[j : j + size]
        return keys

    def lookup(self, texts: List[str]) -> Tuple[np.ndarray, np.ndarray]:
        """(row, feature index) of every vocabulary n-gram of every text, as sklearn counts them."""
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        codes = self._codes("\x00".join(texts))
        ends = np.cumsum(lengths + 1)[:-1] - 1
        codes[ends] = 0  # the gap between two rows: no n-gram crosses it
        row_at = np.repeat(np.arange(len(texts)), lengths + 1)[: len(codes)]
        rows, found = [], []
        for n, table in self.tables.items():
            if len(codes) < n:
                continue
            index = table.lookup(self._keys(codes, n))
            hit = index >= 0
            rows.append(row_at[: len(index)][hit])
            found.append(index[hit])
        if not rows:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        return np.concatenate(rows), np.concatenate(found)


class _NgramTable:
    """A hash table (open addressing, linear probing) from n-gram numbers to vocabulary indices,
    built and searched with whole-array numpy steps: faster than np.searchsorted in sorted keys."""

    _SPREAD = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the top bits of key × 2**64/φ

    def __init__(self, keys: np.ndarray, values: np.ndarray) -> None:
        bits = max(4, (4 * len(keys)).bit_length())  # at most a quarter full: probe runs stay short
        self.mask, self.shift = (1 << bits) - 1, np.uint64(64 - bits)
        self.keys = np.zeros(1 << bits, dtype=np.uint64)  # 0: empty (an n-gram number is never 0)
        self.values = np.full(1 << bits, -1, dtype=np.int64)
        waiting, slots = np.arange(len(keys)), self._home(keys)
        while len(waiting):
            free = np.flatnonzero(self.keys[slots] == 0)
            taken, first = np.unique(slots[free], return_index=True)  # one key per free slot
            placed = waiting[free[first]]
            self.keys[taken], self.values[taken] = keys[placed], values[placed]
            later = np.ones(len(waiting), dtype=bool)
            later[free[first]] = False
            waiting, slots = waiting[later], (slots[later] + 1) & self.mask

    def _home(self, keys: np.ndarray) -> np.ndarray:
        return ((keys * self._SPREAD) >> self.shift).astype(np.int64)

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """The value of each key, -1 for keys not in the table."""
        found = np.full(len(keys), -1, dtype=np.int64)
        active, slots = np.arange(len(keys)), self._home(keys)
        while len(active):
            stored = self.keys[slots]
            hit = stored == keys[active]
            found[active[hit]] = self.values[slots[hit]]
            on = (stored != 0) & ~hit  # another key's slot: probe the next one
            active, slots = active[on], (slots[on] + 1) & self.mask
        return found


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


def _row_sums(parts: List[Tuple[np.ndarray, np.ndarray]], n_rows: int) -> np.ndarray:
    """The (n_rows, width) sums of sparse rows, each added term after term from its first, as
    scipy's CSR product and sklearn's l2 normalisation add them (numpy's own sums go pairwise).

    ``parts``: per block, (values (width, nnz) in CSR order, lengths (n_rows,)); a row's terms
    are its terms in the first block, then those in the second, and so on.
    """
    width = parts[0][0].shape[0]
    depth = int(np.sum([lengths for _values, lengths in parts], axis=0).max(initial=0))
    # (term position, width, row), summed over the outer axis: numpy adds that term by term
    # ("pairwise summation is only used when summing along the fast axis in memory"). At least
    # two rows, so that the inner loop never is the summed axis.
    columns = max(n_rows, 2)
    padded = np.zeros((depth, width, columns))
    before = np.zeros(n_rows, dtype=np.int64)  # each row's terms in the earlier blocks
    for values, lengths in parts:
        first = np.cumsum(lengths) - lengths  # where each row's values start
        position = np.arange(values.shape[1]) - np.repeat(first - before, lengths)
        padded[position, :, np.repeat(np.arange(n_rows), lengths)] = values.T
        before += lengths
    return np.ascontiguousarray(np.add.reduce(padded, axis=0)[:, :n_rows].T)


def _softmax(scores: np.ndarray) -> np.ndarray:
    """sklearn.utils.extmath.softmax, in place."""
    scores -= np.max(scores, axis=1).reshape((-1, 1))
    np.exp(scores, out=scores)
    scores /= np.sum(scores, axis=1).reshape((-1, 1))
    return scores


def _probe_rows(export: Dict[str, Any]) -> Any:
    """Rows made from the model's own vocabularies (and some unknown text) to compare predictions."""
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


def _as_groups(rows: np.ndarray, export: Dict[str, Any]) -> List[List[Any]]:
    """``rows`` with their word columns as token groups, for ``predict_proba_grouped``: each
    token one group, split after its first two characters when those are a probe prefix."""
    word_columns = {b["column"] for b in export["meta"]["blocks"] if b["analyzer"] == "word"}
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
