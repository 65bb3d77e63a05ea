"""The raw store: write-once, atomic, hashed, keyed by (cik, accession, filename), safe file names."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from edgar.errors import BadContentError, RawStoreConflictError, UnsafeFilenameError
from edgar.raw_store import RawStore, safe_filename

ACCESSION = "0001020242-03-000013"
BODY = b"<SEC-DOCUMENT>0001020242-03-000013.txt : 20030102\n...</SEC-DOCUMENT>\n"


def test_stored_bytes_come_back_with_their_sha256(tmp_path: Path) -> None:
    store = RawStore(str(tmp_path / "raw"))
    manifest = store.put_filing(1017447, ACCESSION, {f"{ACCESSION}.txt": BODY}, source_url="https://x/y.txt")
    (stored,) = manifest.files
    assert stored.sha256 == hashlib.sha256(BODY).hexdigest()
    assert stored.size == len(BODY)
    assert store.read(1017447, ACCESSION, f"{ACCESSION}.txt") == BODY
    assert (tmp_path / "raw/1017447/000102024203000013" / f"{ACCESSION}.txt").read_bytes() == BODY
    assert store.get_filing(1017447, ACCESSION) == manifest


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "..",
        ".",
        "a/b.txt",
        "a\\b.txt",
        "/abs.txt",
        "",
        "x\x00.txt",
        "im 0212.txt",
        ".hidden",
    ],
)
def test_path_traversal_and_odd_names_are_refused(tmp_path: Path, name: str) -> None:
    store = RawStore(str(tmp_path / "raw"))
    with pytest.raises(UnsafeFilenameError):
        store.put_filing(1017447, ACCESSION, {name: b"x"}, source_url="u")
    assert not store.has_filing(1017447, ACCESSION)
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_edgar_file_names_are_accepted() -> None:
    for name in ("im020212.txt", "0001020242-03-000161.txt", "ex5-1_001.jpg", "index.json", "d7063644.txt"):
        assert safe_filename(name) == name


def test_a_filing_is_written_once(tmp_path: Path) -> None:
    store = RawStore(str(tmp_path / "raw"))
    first = store.put_filing(1017447, ACCESSION, {f"{ACCESSION}.txt": BODY}, source_url="u")
    again = store.put_filing(1017447, ACCESSION, {f"{ACCESSION}.txt": b"other bytes"}, source_url="u")
    assert again == first
    assert store.read(1017447, ACCESSION, f"{ACCESSION}.txt") == BODY


def test_different_bytes_under_an_existing_name_are_a_conflict(tmp_path: Path) -> None:
    # a crash after the file but before the manifest leaves the file; different bytes must not replace it
    store = RawStore(str(tmp_path / "raw"))
    folder = tmp_path / "raw/1017447/000102024203000013"
    folder.mkdir(parents=True)
    (folder / f"{ACCESSION}.txt").write_bytes(BODY)
    assert not store.has_filing(1017447, ACCESSION)  # no manifest: not in the store
    with pytest.raises(RawStoreConflictError):
        store.put_filing(1017447, ACCESSION, {f"{ACCESSION}.txt": b"other"}, source_url="u")
    manifest = store.put_filing(1017447, ACCESSION, {f"{ACCESSION}.txt": BODY}, source_url="u")
    assert store.has_filing(1017447, ACCESSION)
    assert manifest.files[0].sha256 == hashlib.sha256(BODY).hexdigest()


def test_altered_bytes_are_caught_on_read(tmp_path: Path) -> None:
    store = RawStore(str(tmp_path / "raw"))
    store.put_filing(1017447, ACCESSION, {f"{ACCESSION}.txt": BODY}, source_url="u")
    (tmp_path / "raw/1017447/000102024203000013" / f"{ACCESSION}.txt").write_bytes(b"tampered")
    with pytest.raises(BadContentError, match="sha256"):
        store.read(1017447, ACCESSION, f"{ACCESSION}.txt")


def test_no_temporary_files_remain_after_writes(tmp_path: Path) -> None:
    store = RawStore(str(tmp_path / "raw"))
    store.put_filing(1017447, ACCESSION, {f"{ACCESSION}.txt": BODY, "im020212.txt": b"doc"}, source_url="u")
    assert store.partial_files() == []
    names = sorted(p.name for p in (tmp_path / "raw").rglob("*") if p.is_file())
    assert names == sorted([f"{ACCESSION}.txt", "im020212.txt", "000102024203000013.manifest.json"])


def test_a_failed_write_leaves_no_file_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = RawStore(str(tmp_path / "raw"))

    def broken_move(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(store.fs, "mv", broken_move)
    with pytest.raises(OSError, match="disk full"):
        store.put_filing(1017447, ACCESSION, {f"{ACCESSION}.txt": BODY}, source_url="u")
    assert not [p for p in (tmp_path / "raw").rglob("*") if p.is_file()]


def test_any_fsspec_url_works(tmp_path: Path) -> None:
    store = RawStore("memory://imh-edgar-test/raw")
    store.put_filing(1017447, ACCESSION, {f"{ACCESSION}.txt": BODY}, source_url="u")
    assert store.has_filing(1017447, ACCESSION)
    assert store.read(1017447, ACCESSION, f"{ACCESSION}.txt") == BODY
    assert store.get_filing(1017447, ACCESSION).files[0].url.startswith("memory://")  # type: ignore[union-attr]
    store.fs.rm(store.root, recursive=True)


def test_reading_an_unknown_filing_says_what_to_do(tmp_path: Path) -> None:
    store = RawStore(str(tmp_path / "raw"))
    with pytest.raises(BadContentError, match="not in the raw store") as caught:
        store.read(1017447, ACCESSION, "im020212.txt")
    assert caught.value.hint and "fetch" in caught.value.hint
