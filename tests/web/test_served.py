"""A running site follows `termbank build`, and its download cache is private and bounded."""

from __future__ import annotations

import os
import stat

import pytest

from termbank import build
from termbank.web.served import ExportCache
from termbank.web.site import make_datasette

from .conftest import METADATA

NEW = "A definition written after the server started."


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache" / "exports"
    monkeypatch.setenv("TERMBANK_EXPORT_CACHE", str(folder))
    return folder


@pytest.mark.asyncio
async def test_a_rebuilt_bank_is_served_at_once_and_no_download_is_stale(
        tmp_path, glossary_copy, proposals_path, cache):
    """Issue 16, Medium 5: after a build replaces termbank.db the pages, Datasette's own
    tables and the downloads answer from the new file, without a restart."""
    bank = tmp_path / "termbank.db"
    build(glossary_copy, bank)
    ds = make_datasette(bank, proposals_path, METADATA)
    await ds.invoke_startup()
    try:
        async def seen() -> tuple[str, str, str]:
            page = (await ds.client.get("/-/concept/pixel")).text
            table = (await ds.client.get(
                "/termbank/definitions.json?concept_id=pixel&tag=en&_shape=array")).text
            download = (await ds.client.get("/-/export/csv?to=en")).text
            return page, table, download

        before = await seen()
        assert all(NEW not in text for text in before)
        path = glossary_copy / "image-data" / "pixel.yml"
        text = path.read_text(encoding="utf-8")
        start = text.index("  en: The smallest")
        end = text.index("  es: ", start)
        path.write_text(text[:start] + f"  en: {NEW}\n" + text[end:], encoding="utf-8")
        build(glossary_copy, bank)                     # a rename over the served file
        after = await seen()
        assert all(NEW in text for text in after), after
        files = sorted(cache.iterdir())
        assert len(files) == 2                         # one download per content of the bank
    finally:
        for database in ds.databases.values():
            database.close()


@pytest.mark.asyncio
async def test_downloads_are_cached_in_a_private_folder(cache, ds):
    """Issue 16, Medium 6: not a shared name in the system temp dir; mode 0700."""
    response = await ds.client.get("/-/export/tsv?to=es")
    assert response.status_code == 200
    [cached] = list(cache.iterdir())
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o700
    assert cached.read_bytes() == response.content


def test_the_default_folder_is_the_users_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("TERMBANK_EXPORT_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert ExportCache.default_folder() == tmp_path / "xdg" / "termbank" / "exports"


def test_the_cache_keeps_under_its_cap_by_dropping_the_least_recently_used(tmp_path):
    cache = ExportCache(tmp_path / "exports", cap=2500, in_use=0)
    paths = []
    for number in range(5):
        path = cache.path(f"key {number}", "csv")
        path.write_bytes(b"x" * 1000)
        os.utime(path, (1000 + number, 1000 + number))   # written one after the other
        paths.append(path)
        if number == 1:
            cache.path("key 0", "csv")                  # a hit: key 0 is used again
            os.utime(paths[0], (1001.5, 1001.5))
        cache.added(path)
        if number == 2:   # over the cap: key 1 goes, key 0 (used since) stays
            assert sorted((tmp_path / "exports").iterdir()) == sorted([paths[0], paths[2]])
    assert sorted((tmp_path / "exports").iterdir()) == sorted([paths[3], paths[4]])
    assert sum(p.stat().st_size for p in (tmp_path / "exports").iterdir()) <= 2500


def test_a_folder_someone_else_could_read_is_made_private(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    ExportCache(folder).path("k", "csv")
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
