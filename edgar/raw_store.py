"""Write-once store of the bytes SEC sent, keyed by (cik, accession, filename), on any fsspec filesystem.

Layout under the root URL (a local directory by default, ``s3://bucket/prefix`` etc. in production)::

    <root>/<cik>/<acc-no-dashes>/<filename>              the bytes exactly as received (e.g. the full .txt)
    <root>/<cik>/<acc-no-dashes>.manifest.json           sha256 + size of every file, source URL, fetch time

Each file is written to a temporary name in the same folder and renamed into place, so a reader never sees
half a file. The manifest is written the same way and last: a filing is "in the store" exactly when its
manifest exists, so a crash between the files and the manifest only means the (identical) bytes are fetched
and written again. Existing files are never overwritten: identical bytes are accepted, different bytes raise
RawStoreConflictError.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

import fsspec
from fsspec import AbstractFileSystem

from edgar.errors import BadContentError, RawStoreConflictError, UnsafeFilenameError
from edgar.records import StoredFile, StoredFiling
from edgar.urls import normalize_accession

# EDGAR document names are letters, digits, dot, dash and underscore (im020212.txt, 0001020242-03-000013.txt,
# ex5-1_001.jpg); anything else, and above all a path separator or "..", is refused rather than "cleaned",
# because a cleaned name could collide with another document of the same filing.
_SAFE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
TEMP_SUFFIX = ".partial"


def safe_filename(name: str, *, accession_no: str | None = None) -> str:
    """Return ``name`` if it is a plain EDGAR file name, else raise UnsafeFilenameError."""
    if not _SAFE_NAME_RE.match(name) or name.endswith(TEMP_SUFFIX) or name.endswith(".manifest.json"):
        raise UnsafeFilenameError(f"refusing to store file name {name!r}", accession_no=accession_no)
    return name


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class RawStore:
    def __init__(self, url: str, *, storage_options: Mapping[str, object] | None = None) -> None:
        self.url = url
        fs, root = fsspec.core.url_to_fs(url, **dict(storage_options or {}))
        self.fs: AbstractFileSystem = fs
        self.root = root.rstrip("/")
        self.fs.makedirs(self.root, exist_ok=True)

    def __repr__(self) -> str:
        return f"RawStore({self.url!r})"

    # --- paths ---
    def _folder(self, cik: int, accession_no: str) -> str:
        return f"{self.root}/{int(cik)}/{normalize_accession(accession_no).replace('-', '')}"

    def _manifest_path(self, cik: int, accession_no: str) -> str:
        return self._folder(cik, accession_no) + ".manifest.json"

    def path_of(self, cik: int, accession_no: str, filename: str) -> str:
        return f"{self._folder(cik, accession_no)}/{safe_filename(filename, accession_no=accession_no)}"

    # --- queries ---
    def has_filing(self, cik: int, accession_no: str) -> bool:
        return bool(self.fs.exists(self._manifest_path(cik, accession_no)))

    def get_filing(self, cik: int, accession_no: str) -> StoredFiling | None:
        path = self._manifest_path(cik, accession_no)
        try:
            with self.fs.open(path, "rb") as fh:
                data = json.loads(fh.read())
        except FileNotFoundError:
            return None
        return StoredFiling(
            cik=int(data["cik"]),
            accession_no=data["accession_no"],
            source_url=data["source_url"],
            fetched_at=datetime.fromisoformat(data["fetched_at"]),
            files=tuple(StoredFile(**f) for f in data["files"]),
            meta=tuple(sorted((str(k), str(v)) for k, v in (data.get("meta") or {}).items())),
        )

    def require_filing(self, cik: int, accession_no: str) -> StoredFiling:
        """The manifest, or a BadContentError saying the filing must be fetched first."""
        manifest = self.get_filing(cik, accession_no)
        if manifest is None:
            raise BadContentError(
                f"filing {accession_no} of CIK {cik} is not in the raw store {self.url}",
                accession_no=accession_no,
                hint="fetch it first (sync/ingest store it on download; reparse only reads stored filings)",
            )
        return manifest

    def read(self, cik: int, accession_no: str, filename: str) -> bytes:
        """The stored bytes, checked against the manifest's sha256."""
        manifest = self.require_filing(cik, accession_no)
        try:
            expected = manifest.file(filename)
        except KeyError:
            raise BadContentError(
                f"{filename} is not part of stored filing {accession_no}", accession_no=accession_no
            ) from None
        with self.fs.open(self.path_of(cik, accession_no, filename), "rb") as fh:
            data: bytes = fh.read()
        if sha256_hex(data) != expected.sha256:
            raise BadContentError(
                f"stored {filename} does not match its sha256",
                accession_no=accession_no,
                hint="the raw store was altered; delete the filing's folder and manifest to fetch it again",
            )
        return data

    # --- writes ---
    def put_filing(
        self,
        cik: int,
        accession_no: str,
        files: Mapping[str, bytes],
        *,
        source_url: str,
        meta: Mapping[str, str] | None = None,
    ) -> StoredFiling:
        """Store every file, then the manifest. Idempotent: an already stored filing is returned unchanged."""
        accession_no = normalize_accession(accession_no)
        existing = self.get_filing(cik, accession_no)
        if existing is not None:
            return existing
        names = [safe_filename(name, accession_no=accession_no) for name in files]
        stored = tuple(self._write_once(cik, accession_no, name, files[name]) for name in names)
        manifest = StoredFiling(
            cik=int(cik),
            accession_no=accession_no,
            source_url=source_url,
            fetched_at=datetime.now(UTC),
            files=stored,
            meta=tuple(sorted((str(k), str(v)) for k, v in (meta or {}).items())),
        )
        payload = {
            "cik": manifest.cik,
            "accession_no": manifest.accession_no,
            "source_url": manifest.source_url,
            "fetched_at": manifest.fetched_at.isoformat(),
            "files": [
                {"filename": f.filename, "sha256": f.sha256, "size": f.size, "url": f.url} for f in stored
            ],
            "meta": dict(manifest.meta),
        }
        self._atomic_write(self._manifest_path(cik, accession_no), json.dumps(payload, indent=1).encode())
        return manifest

    def _write_once(self, cik: int, accession_no: str, filename: str, data: bytes) -> StoredFile:
        path = self.path_of(cik, accession_no, filename)
        digest = sha256_hex(data)
        if self.fs.exists(path):
            with self.fs.open(path, "rb") as fh:
                if sha256_hex(fh.read()) != digest:
                    raise RawStoreConflictError(
                        f"{path} already holds different bytes", accession_no=accession_no
                    )
        else:
            self._atomic_write(path, data)
        return StoredFile(
            filename=filename, sha256=digest, size=len(data), url=self.fs.unstrip_protocol(path)
        )

    def _atomic_write(self, path: str, data: bytes) -> None:
        folder = path.rsplit("/", 1)[0]
        self.fs.makedirs(folder, exist_ok=True)
        tmp = f"{path}.{uuid.uuid4().hex}{TEMP_SUFFIX}"
        try:
            with self.fs.open(tmp, "wb") as fh:
                fh.write(data)
            self.fs.mv(tmp, path)
        except BaseException:
            if self.fs.exists(tmp):
                self.fs.rm(tmp)
            raise

    def partial_files(self) -> list[str]:
        """Temporary files left by a killed writer (never read as data); for fault-injection checks."""
        return [p for p in self.fs.find(self.root) if p.endswith(TEMP_SUFFIX)]
