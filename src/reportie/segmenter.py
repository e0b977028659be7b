"""Where reportie's pkuseg word-segmentation model comes from, and loading it.

reportie segments Chinese with spacy-pkuseg's CRF. spacy-pkuseg's published
models live outside the package registries, so reportie takes pkuseg's
mixed-domain ``default`` model from the PyPI source distribution
``pkuseg==0.0.25`` (pinned by sha256), on the user's request, into a per-user
cache. The model is licensed for research/academic use only: reportie never
ships or redistributes it, it only fetches it for the user who asks.

Cache layout (``model_home()/pkuseg-default-0.0.25/``)::

    manifest.json        sha256 + size of every file below, provenance, stats
    lean/                the compacted model loaded by default (reportie format)
        meta.json  features.txt  rows.npy  weights.npy  unigram.txt  bigram.txt
    full/                the whole model in spacy_pkuseg's own format
        features.msgpack  weights.npz
    words/               spacy_pkuseg's post-processing word list, one a line
        default.txt  default.crc.npy

Pickles are only ever read while fetching (conversion time), and then through a
restricted unpickler that refuses every global, so only plain
dicts/lists/str/int can come out. Loading never unpickles anything and checks
every file against the manifest first.

Public API: :func:`model_home`, :func:`fetch_model`, :func:`model_dir`,
:func:`load_segmenter`, :func:`compact_model`, :class:`ModelError`.
"""
from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import os
import pickle
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np

from .modelstore import ModelError as _StoreModelError
from .modelstore import sha256_file

__all__ = [
    "ModelError",
    "PKUSEG_VERSION",
    "DEFAULT_THRESHOLD",
    "model_home",
    "model_root",
    "fetch_model",
    "model_dir",
    "load_segmenter",
    "compact_model",
    "domain_words",
]

# --------------------------------------------------------------------------
# pinned source

PKUSEG_VERSION = "0.0.25"
PKUSEG_SDIST = f"pkuseg-{PKUSEG_VERSION}.tar.gz"
PKUSEG_SDIST_SHA256 = "dd012bf93689721c9574bc2b2ba98fb4ac22790cec0af354a78e217828b81e91"
_MEMBER_PREFIX = f"pkuseg-{PKUSEG_VERSION}/pkuseg/models/default/"
_SDIST_MEMBERS = ("features.pkl", "weights.npz")

#: Features whose node weights differ across the 5 tags by less than this are
#: dropped from the lean model (see :func:`compact_model`). Chosen with
#: ``benchmarks/compact_model.py`` and ``benchmarks/model_figures.py`` on the seed
#: corpus: keeps 344,244 of 2,643,617 features, token agreement with the full
#: model 99.66 % (floor 99.5 %), the same quantities and sentence labels as the
#: full model on the seeds and the held-out reports, 0.38 s to load (0.1: 811,473
#: features, 99.92 %, 0.84 s; 0.2: 99.69 %, 0.61 s; 0.5: 99.13 %, below the floor).
DEFAULT_THRESHOLD = 0.3
#: ... and the kept features' (centred) weights are rounded to multiples of
#: this, so that features with equal weights share one row.
DEFAULT_QUANTUM = 0.01

LEAN_FORMAT = "reportie-pkuseg-lean/1"
MANIFEST_FORMAT = "reportie-pkuseg-cache/1"
LICENSE_NOTE = (
    "pkuseg 'default' model (pkuseg==0.0.25 on PyPI): code MIT, model for "
    "research/academic use only; fetched on the user's request, not redistributed"
)

ENV_HOME = "REPORTIE_HOME"
ENV_MODEL = "REPORTIE_PKUSEG_MODEL"
ENV_OFFLINE = "REPORTIE_OFFLINE"

_FETCH_HINT = "run `reportie model fetch --force`"

ProgressFn = Callable[[str], None]


class ModelError(_StoreModelError):
    """The pkuseg model cannot be fetched, found or loaded (one-line, actionable).

    A subclass of ``reportie.ModelError`` (itself a ``RuntimeError``), so the
    CLI and callers catching reportie's model errors catch it too.
    """


# --------------------------------------------------------------------------
# locations


def model_home() -> Path:
    """The cache root: ``$REPORTIE_HOME`` if set, else the user cache dir."""
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser().absolute()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("reportie"))


def model_root() -> Path:
    """``model_home()/pkuseg-default-<version>``: where :func:`fetch_model` writes."""
    return model_home() / f"pkuseg-default-{PKUSEG_VERSION}"


def _is_fetched(root: Path) -> bool:
    """A complete cache of the current format (an older format is fetched again)."""
    if not (root / "lean" / "meta.json").is_file():
        return False
    try:
        return json.loads((root / "manifest.json").read_text(encoding="utf-8")).get("format") == MANIFEST_FORMAT
    except (OSError, ValueError, AttributeError):
        return False


def _offline() -> bool:
    return os.environ.get(ENV_OFFLINE, "").strip().lower() not in ("", "0", "false", "no")


def model_dir() -> Path:
    """The model folder :func:`load_segmenter` uses by default.

    ``$REPORTIE_PKUSEG_MODEL`` wins (reportie's format, or a plain spacy_pkuseg
    folder with ``features.msgpack`` + ``weights.npz``); else the cached lean
    model; else the model is fetched now (progress on stderr), unless
    ``$REPORTIE_OFFLINE`` is set.
    """
    env = os.environ.get(ENV_MODEL)
    if env:
        path = Path(env).expanduser().absolute()
        if not path.is_dir():
            raise ModelError(f"{ENV_MODEL}={env} is not a folder; point it at a pkuseg model folder or unset it")
        _resolve_layout(path)  # raises ModelError if it is not a model folder
        return path
    root = model_root()
    if _is_fetched(root):
        _refresh_lean(root, _stderr_progress)
        return root / "lean"
    if _offline():
        raise ModelError(
            f"no pkuseg model under {model_home()} and {ENV_OFFLINE} is set; set {ENV_HOME} to a cache "
            f"that has one or {ENV_MODEL} to a model folder, or unset {ENV_OFFLINE} to fetch it"
        )

    print(
        "reportie: fetching the pkuseg 'default' model from PyPI (research/academic use only) …",
        file=sys.stderr,
        flush=True,
    )
    try:
        root = fetch_model(force=root.exists(), progress=_stderr_progress)
    except ModelError as exc:
        raise ModelError(
            f"no pkuseg model and fetching it failed ({exc}); set {ENV_HOME} to a cache that has one "
            f"or {ENV_MODEL} to a model folder"
        ) from exc
    return root / "lean"


def _stderr_progress(msg: str) -> None:
    print(f"reportie: {msg}", file=sys.stderr, flush=True)


def _refresh_lean(root: Path, say: ProgressFn) -> None:
    """Rebuild ``root/lean`` from ``root/full`` (no download) if it was made with other settings.

    A cache fetched by an older reportie keeps working either way; if the rebuild cannot be
    done (read-only cache, no full model) the lean model it has is used as it is.
    """
    try:
        lean = json.loads((root / "manifest.json").read_text(encoding="utf-8"))["lean"]
    except (OSError, ValueError, KeyError, TypeError):
        return
    if lean.get("threshold") == DEFAULT_THRESHOLD and lean.get("quantum") == DEFAULT_QUANTUM:
        return
    say(f"rebuilding the lean model from the cached full one (threshold {lean.get('threshold')} → "
        f"{DEFAULT_THRESHOLD}), once …")
    try:
        with tempfile.TemporaryDirectory(prefix=".lean-", dir=root.parent) as tmp_s:
            compact_model(root / "full", Path(tmp_s) / "lean")
            install_manifest_lean(root, Path(tmp_s) / "lean")
    except (OSError, ValueError, ModelError) as exc:
        say(f"kept the lean model the cache has ({type(exc).__name__}: {exc})")


# --------------------------------------------------------------------------
# restricted unpickling (fetch/conversion time only)


class _DataOnlyUnpickler(pickle.Unpickler):
    """Unpickler that refuses every global: only plain containers/str/int/float come out."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refusing global {module}.{name}: only plain data is accepted")

    def persistent_load(self, pid: Any) -> Any:
        raise pickle.UnpicklingError("refusing persistent id: only plain data is accepted")


def _load_data_pickle(data: bytes) -> Any:
    return _DataOnlyUnpickler(io.BytesIO(data)).load()


# --------------------------------------------------------------------------
# small helpers


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_sha256_file = sha256_file  # one streaming checksum for every model file (reportie.modelstore)


class _Writer:
    """Writes files under a root and records their checksums for the manifest."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, dict[str, Any]] = {}

    def write(self, rel: str, data: bytes) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.files[rel] = {"sha256": _sha256(data), "bytes": len(data)}


def _join_lines(items: Iterable[str], what: str) -> bytes:
    items = list(items)
    if any("\n" in s for s in items):
        raise ModelError(f"the model's {what} contain a newline; it cannot be stored one per line")
    return "\n".join(items).encode("utf-8")


def _split_lines(data: bytes) -> list[str]:
    return data.decode("utf-8").split("\n")


def _npy_bytes(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    return buf.getvalue()


# --------------------------------------------------------------------------
# validation of the converted source data


def _validate_features(data: Any) -> None:
    if not isinstance(data, dict) or not {"unigram", "bigram", "feature_to_idx", "tag_to_idx"} <= set(data):
        raise ModelError("features.pkl is not the expected pkuseg feature dict; " + _FETCH_HINT)
    fti = data["feature_to_idx"]
    if not isinstance(fti, dict) or not all(type(k) is str for k in fti) or not all(type(i) is int for i in fti.values()):
        raise ModelError("features.pkl: feature_to_idx is not a str->int dict; " + _FETCH_HINT)
    n = len(fti)
    idx = np.fromiter(fti.values(), dtype=np.int64, count=n)
    if n == 0 or idx.min() != 0 or idx.max() != n - 1 or not np.all(np.bincount(idx, minlength=n) == 1):
        raise ModelError("features.pkl: feature indices are not 0..n-1; " + _FETCH_HINT)
    for name in ("unigram", "bigram"):
        seq = data[name]
        if not isinstance(seq, (list, set, tuple)) or not all(type(s) is str for s in seq):
            raise ModelError(f"features.pkl: {name} is not a list of str; " + _FETCH_HINT)
    tags = data["tag_to_idx"]
    if not isinstance(tags, dict) or not all(type(t) is str for t in tags) or sorted(tags.values()) != list(range(len(tags))):
        raise ModelError("features.pkl: tag_to_idx is malformed; " + _FETCH_HINT)


def _load_weights_npz(data: bytes) -> tuple[np.ndarray, int, int]:
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        sizes = np.asarray(npz["sizes"])
        w = np.asarray(npz["w"], dtype=np.float64)
    n_tag, n_feature = int(sizes[0]), int(sizes[1])
    if w.ndim != 1 or w.shape[0] != n_tag * (n_feature + n_tag):
        raise ModelError("weights.npz does not match its sizes; " + _FETCH_HINT)
    return w, n_tag, n_feature


# --------------------------------------------------------------------------
# compaction


def _compact_arrays(
    w: np.ndarray, n_tag: int, n_feature: int, threshold: float, quantum: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Choose the features to keep and share their weight rows.

    Returns ``(kept, rows, table)``: ``kept`` are the indices (ascending) of
    the features kept, ``rows[j]`` is the row of ``table`` (``n_rows x n_tag``)
    holding the node weights of feature ``kept[j]``.

    A feature adds its ``n_tag`` node weights to the tag scores of a character,
    so adding one constant to all of them moves every Viterbi path by the same
    amount: only their differences count. Hence each feature's weights are
    centred (exact, bar rounding), a feature is dropped when
    ``max(w) - min(w) < threshold``, and the centred weights are rounded to
    multiples of ``quantum`` so that features with equal rounded weights share
    one row (and one index). Feature 0 (``$$``, present at every character,
    hard-wired as index 0 in spacy_pkuseg) is always kept, unrounded, as row 0.
    """
    node = w[: n_feature * n_tag].reshape(n_feature, n_tag)
    keep = (node.max(axis=1) - node.min(axis=1)) >= threshold
    keep[0] = True
    kept = np.flatnonzero(keep)
    centred = node[kept] - node[kept].mean(axis=1, keepdims=True)
    if quantum > 0:
        rounded = np.round(centred[1:] / quantum) * quantum
        uniq, inverse = np.unique(rounded, axis=0, return_inverse=True)
        table = np.vstack([centred[:1], uniq])
        rows = np.concatenate([[0], inverse.reshape(-1) + 1])
    else:
        table = centred
        rows = np.arange(len(kept))
    return kept, rows.astype(np.uint32), table


def _prune_unigram(unigram: set[str], kept_keys: list[str]) -> set[str]:
    """The unigram words some kept feature mentions (exactly equivalent for cut()).

    At run time a text slice that is a unigram word yields the keys
    ``w-1.<w>``/``w1.<w>`` and takes part in ``ww.l./ww.r.<a>*<b>`` keys; a slice
    that is not becomes ``**noWord``. So a word that no kept key mentions can be
    dropped: its keys are absent either way, provided no kept key mentions
    ``**noWord`` (then nothing is pruned).
    """
    used: set[str] = set()
    for k in kept_keys:
        if k.startswith(("w-1.", "w1.")):
            used.add(k.split(".", 1)[1])
        elif k.startswith(("ww.l.", "ww.r.")):
            parts = k[5:].split("*")
            if len(parts) != 2 or "**noWord" in k:
                return unigram
            used.update(parts)
    return unigram & used


def _lean_payload(
    keys: list[str],
    unigram: Iterable[str],
    bigram: Iterable[str],
    tag_to_idx: dict[str, int],
    w: np.ndarray,
    n_tag: int,
    threshold: float,
    quantum: float,
    source: dict[str, Any],
) -> dict[str, bytes]:
    """The files of a lean model (relative name -> bytes)."""
    n_feature = len(keys)
    kept, rows, table = _compact_arrays(w, n_tag, n_feature, threshold, quantum)
    kept_keys = [keys[i] for i in kept.tolist()]
    if kept_keys[0] != "$$":
        raise ModelError("the model's feature 0 is not '$$'; " + _FETCH_HINT)
    edge = w[n_feature * n_tag :]
    lean_w = np.concatenate([table.reshape(-1), edge]).astype(np.float32)
    # bigram only feeds the ww.l./ww.r. features (training): keep those a kept feature uses
    bigram_set = set(bigram)
    used = {k[5:] for k in kept_keys if k.startswith(("ww.l.", "ww.r."))}
    lean_bigram = sorted(used & bigram_set)
    lean_unigram = _prune_unigram(set(unigram), kept_keys)
    meta = {
        "format": LEAN_FORMAT,
        "n_tag": n_tag,
        "n_rows": int(table.shape[0]),
        "n_keys": len(kept_keys),
        "tag_to_idx": tag_to_idx,
        "threshold": threshold,
        "quantum": quantum,
        "criterion": "keep a feature if max(w)-min(w) over its tag weights >= threshold; "
        "weights centred per feature, rounded to multiples of quantum, equal rows shared",
        "features_full": n_feature,
        "bigram_full": len(bigram_set),
        "bigram_kept": len(lean_bigram),
        "unigram_full": len(set(unigram)),
        "unigram_kept": len(lean_unigram),
        "weights_dtype": "float32",
        "source": source,
    }
    return {
        "meta.json": json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"),
        "features.txt": _join_lines(kept_keys, "feature names"),
        "rows.npy": _npy_bytes(rows),
        "weights.npy": _npy_bytes(lean_w),
        "unigram.txt": _join_lines(sorted(lean_unigram), "unigram words"),
        "bigram.txt": _join_lines(lean_bigram, "bigrams"),
    }


_LEAN_SUMMARY = ("n_keys", "n_rows", "features_full", "threshold", "quantum", "bigram_kept")


def _keys_by_index(feature_to_idx: dict[str, int]) -> list[str]:
    keys: list[str] = [""] * len(feature_to_idx)
    for k, i in feature_to_idx.items():
        keys[i] = k
    return keys


def compact_model(
    full_dir: str | os.PathLike,
    out_dir: str | os.PathLike,
    threshold: float = DEFAULT_THRESHOLD,
    quantum: float = DEFAULT_QUANTUM,
) -> dict[str, Any]:
    """Build a lean model in ``out_dir`` from a spacy_pkuseg-format ``full_dir``.

    See :func:`_compact_arrays` for what ``threshold`` and ``quantum`` do.
    Returns the lean ``meta.json`` content plus ``files`` (name -> sha256/bytes).
    """
    import srsly

    full_dir, out_dir = Path(full_dir), Path(out_dir)
    feats = srsly.msgpack_loads((full_dir / "features.msgpack").read_bytes())
    w, n_tag, n_feature = _load_weights_npz((full_dir / "weights.npz").read_bytes())
    if len(feats["feature_to_idx"]) != n_feature:
        raise ModelError(f"{full_dir}: features.msgpack and weights.npz disagree on the feature count")
    payload = _lean_payload(
        _keys_by_index(feats["feature_to_idx"]),
        feats["unigram"],
        feats["bigram"],
        feats["tag_to_idx"],
        w,
        n_tag,
        threshold,
        quantum,
        {"full_dir": str(full_dir)},
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    writer = _Writer(out_dir)
    for rel, data in payload.items():
        writer.write(rel, data)
    meta = json.loads(payload["meta.json"])
    meta["files"] = writer.files
    return meta


# --------------------------------------------------------------------------
# fetching


def _pip_download(dest: Path, progress: ProgressFn) -> Path:
    missing = [m for m in ("setuptools", "numpy") if importlib.util.find_spec(m) is None]
    if missing:
        raise ModelError(
            f"fetching the pkuseg model runs pip with {' and '.join(missing)} missing from this Python; "
            f"run `{Path(sys.executable).name} -m pip install setuptools numpy` and retry"
        )
    req = dest / "requirements.txt"
    # pip checks the hash before it unpacks or runs anything from the sdist
    req.write_text(f"pkuseg=={PKUSEG_VERSION} --hash=sha256:{PKUSEG_SDIST_SHA256}\n", encoding="utf-8")
    cmd = [
        sys.executable, "-m", "pip", "download",
        "--no-deps", "--no-build-isolation", "--no-binary", ":all:",
        "--disable-pip-version-check", "--no-input",
        "-d", str(dest / "dl"), "-r", str(req),
    ]  # fmt: skip
    progress(f"downloading pkuseg=={PKUSEG_VERSION} (48.8 MB) from PyPI with pip …")
    env = dict(os.environ, PIP_NO_INPUT="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1800, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise ModelError("pip download of pkuseg timed out after 30 min; check your network and retry") from None
    if proc.returncode != 0:
        raise _pip_error(proc.returncode, proc.stdout + "\n" + proc.stderr)
    sdist = dest / "dl" / PKUSEG_SDIST
    if not sdist.is_file():
        raise ModelError(f"pip reported success but {PKUSEG_SDIST} is not in its download folder; retry with --force")
    return sdist


def _pip_error(rc: int, output: str) -> ModelError:
    low = output.lower()
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.lower().startswith("error")]
    last = (errors or lines or ["(no output)"])[-1][:200]
    if "do not match the hashes" in low:
        return ModelError(
            f"{PKUSEG_SDIST} from the package index failed its sha256 check (expected {PKUSEG_SDIST_SHA256[:12]}…); "
            "the index or a proxy serves a different file: do not use it, check PIP_INDEX_URL"
        )
    if "no module named 'numpy'" in low or "no module named 'setuptools'" in low or "no module named 'distutils'" in low:
        return ModelError(
            f"pip could not read pkuseg's setup.py ({last}); run `{Path(sys.executable).name} -m pip install setuptools numpy` and retry"
        )
    if "no module named pip" in low:
        return ModelError(f"pip is not installed in {sys.executable}; install pip (python -m ensurepip) and retry")
    network = (
        "connection", "network is unreachable", "temporary failure in name resolution", "name or service not known",
        "max retries exceeded", "timed out", "no matching distribution", "could not find a version", "proxyerror",
        "ssl", "http error",
    )  # fmt: skip
    if any(s in low for s in network):
        return ModelError(
            f"could not download pkuseg=={PKUSEG_VERSION} from PyPI (no network or index unreachable: {last}); "
            f"check your connection / PIP_INDEX_URL, or set {ENV_MODEL} to a model folder"
        )
    return ModelError(f"pip download of pkuseg=={PKUSEG_VERSION} failed (exit {rc}): {last}")


def _verify_sdist(path: Path, expected: str = PKUSEG_SDIST_SHA256) -> None:
    got = _sha256_file(path)
    if got != expected:
        raise ModelError(
            f"{path.name} failed its sha256 check (got {got[:12]}…, expected {expected[:12]}…); "
            "do not use it: check your package index (PIP_INDEX_URL) and retry with --force"
        )


def _extract_members(sdist: Path) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    try:
        with tarfile.open(sdist, "r:gz") as tar:
            for name in _SDIST_MEMBERS:
                member = tar.getmember(_MEMBER_PREFIX + name)
                if not member.isfile():
                    raise ModelError(f"{PKUSEG_SDIST}: {name} is not a regular file; " + _FETCH_HINT)
                fh = tar.extractfile(member)
                assert fh is not None
                out[name] = fh.read()
    except (KeyError, tarfile.TarError, OSError) as exc:
        raise ModelError(f"{PKUSEG_SDIST} does not hold the model files ({exc}); " + _FETCH_HINT) from None
    return out


def _spacy_pkuseg_default_pkl() -> Path:
    spec = importlib.util.find_spec("spacy_pkuseg")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError("spacy-pkuseg is not installed; run `pip install spacy-pkuseg` and retry")
    path = Path(list(spec.submodule_search_locations)[0]) / "dicts" / "default.pkl"
    if not path.is_file():
        raise ModelError(f"spacy-pkuseg's word list {path} is missing; reinstall spacy-pkuseg")
    return path


def _convert_default_words(progress: ProgressFn) -> tuple[dict[str, bytes], dict[str, Any]]:
    """spacy_pkuseg's dicts/default.pkl (a pickled str) -> ``words/`` files (see :class:`_WordSet`)."""
    path = _spacy_pkuseg_default_pkl()
    raw = path.read_bytes()
    progress(f"converting spacy_pkuseg's default word list ({len(raw) / 1e6:.1f} MB) …")
    try:
        text = _load_data_pickle(raw)
    except (pickle.UnpicklingError, EOFError, ValueError) as exc:
        raise ModelError(f"{path} is not a plain-data pickle ({exc}); reinstall spacy-pkuseg") from None
    if not isinstance(text, str):
        raise ModelError(f"{path} does not hold a word list; reinstall spacy-pkuseg")
    words = set(text.strip().split("\n"))  # exactly what spacy_pkuseg.Postprocesser does
    src = {"file": "spacy_pkuseg/dicts/default.pkl", "sha256": _sha256(raw), "words": len(words)}
    return _WordSet.files(words), src


def fetch_model(*, force: bool = False, progress: ProgressFn | None = None) -> Path:
    """Fetch pkuseg's ``default`` model from PyPI and convert it into the cache.

    Runs ``pip download`` of the pinned ``pkuseg==0.0.25`` sdist (hash-checked
    by pip and again here), extracts only the two model files, converts them
    (restricted unpickler), writes ``full/``, ``lean/`` and ``words/`` plus a
    manifest atomically into :func:`model_root`, and returns that folder. An
    existing complete cache is returned as is unless ``force``. This is the
    explicit fetch: ``REPORTIE_OFFLINE`` only stops :func:`model_dir`'s
    automatic one. Takes ~20-40 s and ~1 GB of memory, once.
    """
    say: ProgressFn = progress or (lambda _msg: None)
    root = model_root()
    if _is_fetched(root) and not force:
        _refresh_lean(root, say)
        say(f"the model is already in {root}")
        return root
    home = model_home()
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"cannot create the cache folder {home} ({exc}); set {ENV_HOME} to a writable folder") from None
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=".fetch-", dir=home) as tmp_s:
        tmp = Path(tmp_s)
        sdist = _pip_download(tmp, say)
        say("checking the sha256 of the download …")
        _verify_sdist(sdist)
        say("extracting features.pkl and weights.npz …")
        members = _extract_members(sdist)
        sdist.unlink()
        source = {
            "package": "pkuseg",
            "version": PKUSEG_VERSION,
            "sdist": PKUSEG_SDIST,
            "sdist_sha256": PKUSEG_SDIST_SHA256,
            "members": {n: {"sha256": _sha256(b), "bytes": len(b)} for n, b in members.items()},
        }
        say(f"converting features.pkl ({len(members['features.pkl']) / 1e6:.0f} MB, plain data only) …")
        try:
            feats = _load_data_pickle(members.pop("features.pkl"))
        except (pickle.UnpicklingError, EOFError, ValueError) as exc:
            raise ModelError(f"features.pkl is not a plain-data pickle ({exc}); " + _FETCH_HINT) from None
        _validate_features(feats)
        weights_npz = members.pop("weights.npz")
        w, n_tag, n_feature = _load_weights_npz(weights_npz)
        if n_feature != len(feats["feature_to_idx"]) or n_tag != len(feats["tag_to_idx"]):
            raise ModelError("features.pkl and weights.npz disagree on their sizes; " + _FETCH_HINT)

        build = tmp / "root"
        writer = _Writer(build)
        say(f"writing the full model ({n_feature:,} features) …")
        import srsly

        writer.write(
            "full/features.msgpack",
            srsly.msgpack_dumps(
                {
                    "unigram": sorted(feats["unigram"]),
                    "bigram": sorted(feats["bigram"]),
                    "feature_to_idx": feats["feature_to_idx"],
                    "tag_to_idx": feats["tag_to_idx"],
                }
            ),
        )
        writer.write("full/weights.npz", weights_npz)
        del weights_npz
        payload = _lean_payload(
            _keys_by_index(feats["feature_to_idx"]),
            feats["unigram"],
            feats["bigram"],
            feats["tag_to_idx"],
            w,
            n_tag,
            DEFAULT_THRESHOLD,
            DEFAULT_QUANTUM,
            {"package": "pkuseg", "version": PKUSEG_VERSION, "sdist_sha256": PKUSEG_SDIST_SHA256},
        )
        lean_meta = json.loads(payload["meta.json"])
        say(
            f"compacted: kept {lean_meta['n_keys']:,} of {n_feature:,} features sharing {lean_meta['n_rows']:,} "
            f"weight rows (threshold {DEFAULT_THRESHOLD}, quantum {DEFAULT_QUANTUM}) …"
        )
        for rel, data in payload.items():
            writer.write(f"lean/{rel}", data)
        del feats, payload, w
        words, words_src = _convert_default_words(say)
        for rel, data in words.items():
            writer.write(f"words/{rel}", data)
        manifest = {
            "format": MANIFEST_FORMAT,
            "license": LICENSE_NOTE,
            "source": source,
            "default_words": words_src,
            "lean": {k: lean_meta[k] for k in _LEAN_SUMMARY},
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "files": writer.files,
        }
        (build / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        _install(build, root, force, tmp)
    _forget(root)
    say(f"done in {time.perf_counter() - t0:.0f} s: {root}")
    return root


def _install(build: Path, root: Path, force: bool, tmp: Path) -> None:
    """Move the finished ``build`` folder to ``root`` atomically (rename)."""
    if root.exists():
        if not force and _is_fetched(root):
            return  # another process finished first; keep theirs
        old = tmp / "old"
        os.rename(root, old)
    try:
        os.rename(build, root)
    except OSError:
        if _is_fetched(root):  # lost a race with another fetch: theirs is as good
            return
        raise


def install_manifest_lean(root: Path, lean_src: Path) -> None:
    """Replace ``root/lean`` by ``lean_src`` and update the manifest (used by the benchmark)."""
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    files = {k: v for k, v in manifest["files"].items() if not k.startswith("lean/")}
    for p in sorted(lean_src.iterdir()):
        files[f"lean/{p.name}"] = {"sha256": _sha256_file(p), "bytes": p.stat().st_size}
    meta = json.loads((lean_src / "meta.json").read_text(encoding="utf-8"))
    manifest["files"] = files
    manifest["lean"] = {k: meta[k] for k in _LEAN_SUMMARY}
    with tempfile.TemporaryDirectory(prefix=".lean-", dir=root.parent) as tmp_s:
        tmp = Path(tmp_s)
        shutil.copytree(lean_src, tmp / "lean")
        os.rename(root / "lean", tmp / "old")
        os.rename(tmp / "lean", root / "lean")
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp / "manifest.json", root / "manifest.json")
    _forget(root)


# --------------------------------------------------------------------------
# loading


@dataclass
class _Layout:
    kind: str  # "lean" or "full"
    dir: Path
    root: Path | None  # folder holding manifest.json, if any
    words: Path | None  # the words/ folder of that root, if any


def _resolve_layout(path: Path) -> _Layout:
    path = Path(path)
    if (path / "manifest.json").is_file() and (path / "lean" / "meta.json").is_file():
        return _Layout("lean", path / "lean", path, path / "words")
    root = path.parent if (path.parent / "manifest.json").is_file() else None
    words = root / "words" if root else None
    if (path / "meta.json").is_file():
        return _Layout("lean", path, root, words)
    if (path / "features.msgpack").is_file() and (path / "weights.npz").is_file():
        return _Layout("full", path, root, words)
    raise ModelError(
        f"{path} is not a pkuseg model folder (expected features.msgpack + weights.npz, or reportie's lean "
        f"format); fix {ENV_MODEL} or {_FETCH_HINT}"
    )


class _Verifier:
    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.files: dict[str, Any] | None = None
        if root is not None:
            try:
                manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
                self.files = dict(manifest["files"])
            except (OSError, ValueError, KeyError, TypeError):
                raise ModelError(f"model manifest {root / 'manifest.json'} is unreadable; {_FETCH_HINT}") from None

    def read(self, path: Path) -> bytes:
        """Read a model file; if it is under a manifest, check its size and sha256 first."""
        try:
            data = path.read_bytes()
        except OSError:
            raise ModelError(f"model file {path} is missing or unreadable; {_FETCH_HINT}") from None
        if self.files is not None and self.root is not None:
            rel = path.relative_to(self.root).as_posix()
            entry = self.files.get(rel)
            if entry is None:
                raise ModelError(f"model file {path} is not in the manifest; {_FETCH_HINT}")
            if len(data) != entry["bytes"] or _sha256(data) != entry["sha256"]:
                raise ModelError(f"model file {path} failed its checksum; {_FETCH_HINT}")
        return data


@dataclass
class _Loaded:
    feature_extractor: Any
    model: Any
    default_words: Any  # _WordSet
    kind: str
    path: Path


_CACHE: dict[str, _Loaded] = {}
_LOCK = threading.Lock()


def _forget(root: Path) -> None:
    with _LOCK:
        for key in [k for k in _CACHE if k == str(root) or k.startswith(str(root) + os.sep)]:
            del _CACHE[key]
    from .fastseg import forget

    forget(root)


_LAZY_EXTRACTOR: Any = None


def _lazy_extractor_class() -> Any:
    """spacy_pkuseg's FeatureExtractor whose ``bigram`` set is read on first use.

    cut() never touches ``bigram`` (only training and ``save()``, e.g. spaCy's
    ``to_bytes``, do), so the lean model does not hold it in memory until then.
    """
    global _LAZY_EXTRACTOR
    if _LAZY_EXTRACTOR is None:
        from spacy_pkuseg.feature_extractor import FeatureExtractor

        class LazyBigramFeatureExtractor(FeatureExtractor):
            @property
            def bigram(self) -> set[str]:
                if self._bigram is None:
                    self._bigram = self._bigram_loader()
                return self._bigram

            @bigram.setter
            def bigram(self, value: set[str]) -> None:
                self._bigram = value

        _LAZY_EXTRACTOR = LazyBigramFeatureExtractor
    return _LAZY_EXTRACTOR


def _make_extractor(
    unigram: set[str],
    bigram: set[str] | Callable[[], set[str]],
    feature_to_idx: dict[str, int],
    tag_to_idx: dict[str, int],
) -> Any:
    from spacy_pkuseg.feature_extractor import FeatureExtractor

    if callable(bigram):
        cls = _lazy_extractor_class()
        fe = cls.__new__(cls)
        fe._bigram = None
        fe._bigram_loader = bigram
    else:
        fe = FeatureExtractor.__new__(FeatureExtractor)
        fe.bigram = bigram
    fe.unigram = unigram
    fe.feature_to_idx = feature_to_idx
    fe.tag_to_idx = tag_to_idx
    return fe


def _make_crf(w: np.ndarray, n_tag: int, n_feature: int) -> Any:
    from spacy_pkuseg.model import Model

    m = Model.__new__(Model)
    m.n_tag = n_tag
    m.n_feature = n_feature
    m.n_transition_feature = n_tag * (n_feature + n_tag)
    m.w = np.ascontiguousarray(w, dtype=np.float64)  # the CRF's Cython code takes double[:]
    if m.w.shape != (m.n_transition_feature,):
        raise ModelError("the model's weights do not match its feature count; " + _FETCH_HINT)
    return m


def _load_lean(layout: _Layout, v: _Verifier) -> tuple[Any, Any]:
    d = layout.dir
    meta = json.loads(v.read(d / "meta.json"))
    if meta.get("format") != LEAN_FORMAT:
        raise ModelError(f"{d} has an unknown model format {meta.get('format')!r}; {_FETCH_HINT}")
    n_keys, n_rows, n_tag = int(meta["n_keys"]), int(meta["n_rows"]), int(meta["n_tag"])
    keys = _split_lines(v.read(d / "features.txt"))
    rows = np.load(io.BytesIO(v.read(d / "rows.npy")), allow_pickle=False)
    if len(keys) != n_keys or rows.shape != (n_keys,) or rows.dtype.kind != "u" or int(rows.max(initial=0)) >= n_rows:
        raise ModelError(f"{d}: features.txt and rows.npy do not match meta.json; {_FETCH_HINT}")
    # tolist(): one int object per feature (3 MB more than sharing one per row, but the dict
    # is built in half the time: it is most of the cold start)
    feature_to_idx = dict(zip(keys, rows.tolist()))
    del keys, rows
    w = np.load(io.BytesIO(v.read(d / "weights.npy")), allow_pickle=False)
    fe = _make_extractor(
        set(_split_lines(v.read(d / "unigram.txt"))),
        lambda: set(_split_lines(v.read(d / "bigram.txt"))),
        feature_to_idx,
        {str(k): int(i) for k, i in meta["tag_to_idx"].items()},
    )
    return fe, _make_crf(w, n_tag, n_rows)


def _load_full(layout: _Layout, v: _Verifier) -> tuple[Any, Any]:
    import srsly

    d = layout.dir
    try:
        data = srsly.msgpack_loads(v.read(d / "features.msgpack"))
        fe = _make_extractor(set(data["unigram"]), set(data["bigram"]), data["feature_to_idx"], data["tag_to_idx"])
    except ModelError:
        raise
    except Exception as exc:  # malformed user-supplied folder
        raise ModelError(f"{d / 'features.msgpack'} is not a pkuseg feature file ({type(exc).__name__}); {_FETCH_HINT}") from None
    w, n_tag, n_feature = _load_weights_npz(v.read(d / "weights.npz"))
    if n_feature != len(fe.feature_to_idx):
        raise ModelError(f"{d}: features.msgpack and weights.npz disagree on the feature count; {_FETCH_HINT}")
    return fe, _make_crf(w, n_tag, n_feature)


class _WordSet:
    """A compact, exact, read-only set of words (spacy_pkuseg's post-processing list).

    A Python set of the 390k words takes ~48 MB; this takes ~9 MB. Files:
    ``default.txt`` holds the words one a line, ordered by (crc32 of their
    UTF-8, bytes) and ``default.crc.npy`` their crc32s in that order. A lookup
    tests a 2**23-bit bitmap of the crc32s (most misses stop there), then
    binary-searches the crc32 and compares the bytes: no false positives.
    """

    _BITS = 23

    def __init__(self, text: bytes, crcs: np.ndarray) -> None:
        import bisect
        from array import array

        arr = np.frombuffer(text, dtype=np.uint8)
        ends = np.flatnonzero(arr == 10)
        n = len(ends) + 1
        if crcs.shape != (n,) or crcs.dtype.kind != "u":
            raise ModelError(f"the word list and its index do not match; {_FETCH_HINT}")
        offsets = np.empty(n + 1, dtype=np.int64)
        offsets[0] = 0
        offsets[1:n] = ends + 1
        offsets[n] = len(text) + 1
        low = crcs.astype(np.uint32) & np.uint32((1 << self._BITS) - 1)
        bitmap = np.zeros(1 << (self._BITS - 3), dtype=np.uint8)
        np.bitwise_or.at(bitmap, low >> 3, (np.uint8(1) << (low & 7).astype(np.uint8)))
        self._text = text
        self._crcs = array("I", crcs.astype(np.uint32).tobytes())
        self._offsets = array("q", offsets.tobytes())
        self._bitmap = bitmap.tobytes()
        self._mask = (1 << self._BITS) - 1
        self._bisect = bisect.bisect_left
        self._n = n

    @staticmethod
    def files(words: Iterable[str]) -> dict[str, bytes]:
        encoded = sorted((zlib.crc32(b), b) for b in (w.encode("utf-8") for w in words))
        if any(b"\n" in b for _c, b in encoded):
            raise ModelError("the default word list contains a newline; it cannot be stored one per line")
        return {
            "default.txt": b"\n".join(b for _c, b in encoded),
            "default.crc.npy": _npy_bytes(np.array([c for c, _b in encoded], dtype=np.uint32)),
        }

    def __contains__(self, word: object) -> bool:
        if type(word) is not str:
            return False
        b = word.encode("utf-8")
        crc = zlib.crc32(b)
        low = crc & self._mask
        if not (self._bitmap[low >> 3] >> (low & 7)) & 1:
            return False
        crcs, offs, text = self._crcs, self._offsets, self._text
        i = self._bisect(crcs, crc)
        while i < self._n and crcs[i] == crc:
            if text[offs[i] : offs[i + 1] - 1] == b:
                return True
            i += 1
        return False

    def __len__(self) -> int:
        return self._n

    def __iter__(self):  # spaCy's ChineseTokenizer.to_bytes lists the words
        return iter(self._text.decode("utf-8").split("\n"))


def _read_words(v: _Verifier, folder: Path) -> _WordSet:
    text = v.read(folder / "default.txt")
    crcs = np.load(io.BytesIO(v.read(folder / "default.crc.npy")), allow_pickle=False)
    return _WordSet(text, crcs)


def _default_words(layout: _Layout, v: _Verifier) -> _WordSet:
    """The post-processing word list: the model folder's own, else the cache's.

    A plain spacy_pkuseg folder has none; then the cached copy is used, made
    once (restricted conversion of spacy_pkuseg's bundled list) if needed.
    """
    if layout.words is not None and layout.root is not None:
        return _read_words(v, layout.words)
    cached = model_root()
    if _is_fetched(cached):
        return _read_words(_Verifier(cached), cached / "words")
    words_root = model_home() / "pkuseg-words"
    if not (words_root / "manifest.json").is_file():
        files, src = _convert_default_words(lambda _m: None)
        words_root.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".words-", dir=words_root.parent) as tmp_s:
            build = Path(tmp_s) / "root"
            writer = _Writer(build)
            for rel, data in files.items():
                writer.write(f"words/{rel}", data)
            (build / "manifest.json").write_text(
                json.dumps({"format": MANIFEST_FORMAT, "default_words": src, "files": writer.files}, indent=1),
                encoding="utf-8",
            )
            try:
                os.rename(build, words_root)
            except OSError:
                if not (words_root / "manifest.json").is_file():
                    raise
    return _read_words(_Verifier(words_root), words_root / "words")


def _load_model(path: Path) -> _Loaded:
    key = str(path)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            return hit
        layout = _resolve_layout(path)
        v = _Verifier(layout.root)
        fe, crf = (_load_lean if layout.kind == "lean" else _load_full)(layout, v)
        loaded = _Loaded(fe, crf, _default_words(layout, v), layout.kind, layout.dir)
        _CACHE[key] = loaded
        return loaded


def domain_words() -> list[str]:
    """reportie's domain dictionary (``reportie/data/user_dict.txt``), one word a line."""
    text = (Path(__file__).parent / "data" / "user_dict.txt").read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def load_segmenter(
    user_words: Iterable[str] = (),
    *,
    model_path: str | os.PathLike | None = None,
    domain_dict: bool = True,
    engine: str | None = None,
) -> Any:
    """A segmenter on reportie's model, with no pickle read: ``cut(text) -> list[str]``.

    ``engine`` (default: ``$REPORTIE_SEGMENTER``, else ``"fast"``) is ``"fast"`` for reportie's
    own array inference (:mod:`reportie.fastseg`, the same words, several times faster) or
    ``"pkuseg"`` for a ``spacy_pkuseg.pkuseg`` object, the reference, described below.

    Behaves like ``spacy_pkuseg.pkuseg(model_dir, user_dict=words)`` where
    ``words`` is reportie's domain dictionary (unless ``domain_dict=False``)
    followed by ``user_words``: those words are always single tokens.
    ``model_path`` defaults to :func:`model_dir` (the lean model); it may be a
    cache root, its ``lean/`` or ``full/`` folder, or a plain spacy_pkuseg
    folder. The model is loaded (checksums verified) once per process and
    shared; each call returns a new light segmenter object, so changing one's
    user dictionary (e.g. spaCy's ``pkuseg_update_user_dict``) leaves others be.
    """
    from .fastseg import load_fast_segmenter, segmenter_engine

    engine = segmenter_engine(engine)
    path = Path(model_path).expanduser().absolute() if model_path is not None else model_dir()
    words = (domain_words() if domain_dict else []) + [w for w in (s.strip() for s in user_words) if w]
    if engine == "fast":
        return load_fast_segmenter(words, path)
    import spacy_pkuseg

    loaded = _load_model(path)

    seg = spacy_pkuseg.pkuseg.__new__(spacy_pkuseg.pkuseg)
    seg.postag = False
    seg.preprocesser = spacy_pkuseg.Preprocesser(words)
    post = spacy_pkuseg.Postprocesser(None, None)
    post.do_process = True
    post.common_words = set()
    post.other_words = loaded.default_words
    seg.postprocesser = post
    seg.feature_extractor = loaded.feature_extractor
    seg.model = loaded.model
    seg.idx_to_tag = {idx: tag for tag, idx in loaded.feature_extractor.tag_to_idx.items()}
    seg.n_feature = len(loaded.feature_extractor.feature_to_idx)
    seg.n_tag = len(loaded.feature_extractor.tag_to_idx)
    return seg


# --------------------------------------------------------------------------
# command line: python -m reportie.segmenter fetch [--force] | where


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m reportie.segmenter", description="reportie's pkuseg model")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_fetch = sub.add_parser("fetch", help="fetch the pkuseg 'default' model from PyPI (research/academic use only)")
    p_fetch.add_argument("--force", action="store_true", help="fetch again even if it is cached")
    sub.add_parser("where", help="print the model folder in use")
    args = parser.parse_args(argv)
    try:
        if args.cmd == "fetch":
            print(fetch_model(force=args.force, progress=lambda m: print(f"reportie: {m}", file=sys.stderr)))
        else:
            print(model_dir())
    except ModelError as exc:
        print(f"reportie: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
