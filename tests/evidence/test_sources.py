"""fetch on .deb files built here and pinned in the manifest, so no download happens."""

import pytest
from click.testing import CliRunner
from tests.evidence.conftest import build_deb, qm_bytes, sha256, write_mo

from termbank.cli import cli
from termbank.errors import TermbankError
from termbank.evidence import manifest as manifest_file
from termbank.evidence.catalogues import tree
from termbank.evidence.manifest import Manifest, Source
from termbank.evidence.sources import default_cache, fetch


def _mo_bytes(tmp_path, msgid, msgstr):
    return write_mo(tmp_path / "mo" / f"{msgid}.mo", [{"msgid": msgid, "msgstr": msgstr}]).read_bytes()


@pytest.fixture
def pinned(tmp_path, cache):
    """Two packages built with dpkg-deb and placed in the cache, and a manifest pinning them;
    a third pinned to a version no apt source has."""
    good = _mo_bytes(tmp_path, "Exposure", "Exposición")
    libgphoto = build_deb(tmp_path, "libgphoto2-l10n", "9.9-test", {
        "usr/share/locale/es/LC_MESSAGES/libgphoto2-6.mo": good,
        "usr/share/locale/de/LC_MESSAGES/libgphoto2-6.mo": good,  # not a bank language
        "usr/share/locale/fr/LC_MESSAGES/libgphoto2-6.mo": b"\xde\x12\x04\x95 corrupt",
        "usr/share/locale/es_XX/LC_MESSAGES/libgphoto2-6.mo": good,
        "usr/share/doc/libgphoto2-l10n/copyright": b"text",
    }, cache / "debs" / "libgphoto2-l10n_9.9-test.deb")
    stellarium = build_deb(tmp_path, "stellarium-data", "1:9.9-test", {
        "usr/share/stellarium/translations/stellarium/es_419.qm":
            qm_bytes([("Field of view", "", ["Campo visual"])]),
        "usr/share/stellarium/translations/stellarium/es_AR.qm": qm_bytes([]),
    }, cache / "debs" / "stellarium-data_1%3a9.9-test.deb")
    veusz = build_deb(tmp_path, "veusz", "9.9-test", {"usr/share/veusz/x.py": b""},
                      cache / "debs" / "veusz_9.9-test.deb")
    path = tmp_path / "evidence" / "sources.tsv"
    manifest_file.write(Manifest({
        "libgphoto2-l10n": Source("libgphoto2-l10n", "9.9-test", sha256(libgphoto)),
        "stellarium-data": Source("stellarium-data", "1:9.9-test", sha256(stellarium)),
        "veusz": Source("veusz", "9.9-test", sha256(veusz)),
        "pspp": Source("pspp", "0.0-not-in-any-archive", "0" * 64),
    }), path)
    return path


PACKAGES = ["libgphoto2-l10n", "stellarium-data", "veusz", "pspp"]


def test_fetch_unpacks_reads_and_records(cache, pinned):
    errors = []
    manifest = fetch(cache, pinned, packages=PACKAGES, on_error=errors.append)
    libgphoto = manifest.get("libgphoto2-l10n")
    assert libgphoto.project == "libgphoto2"
    assert libgphoto.catalogues == "es=es(1) es_XX=unknown(1) fr=fr(1)"
    assert libgphoto.pairs == "es:1"
    assert libgphoto.status.startswith("ok; skipped 2: ")
    assert "usr/share/locale/fr/LC_MESSAGES/libgphoto2-6.mo: not a readable gettext" in libgphoto.status
    assert str(cache) not in libgphoto.status  # the manifest names files inside the package
    assert manifest.get("stellarium-data").pairs == "es-419:1"
    assert manifest.get("stellarium-data").status == "ok; no pairs for es-AR (no translated entries)"
    assert manifest.get("veusz").status == "no catalogues in es/fr/pt"
    assert manifest.get("pspp").status.startswith("skipped: pspp=0.0-not-in-any-archive: not downloadable")
    assert len(errors) == 3
    unpacked = tree(cache, "libgphoto2-l10n", "9.9-test")
    assert sorted(p.relative_to(unpacked).as_posix() for p in unpacked.rglob("*.mo")) == [
        "usr/share/locale/es/LC_MESSAGES/libgphoto2-6.mo",
        "usr/share/locale/es_XX/LC_MESSAGES/libgphoto2-6.mo",
        "usr/share/locale/fr/LC_MESSAGES/libgphoto2-6.mo"]
    assert not (unpacked / "usr/share/doc").exists()
    assert not list(cache.glob(".*")) and not list((cache / "tree").rglob(".unpack-*"))


def test_a_second_run_gives_identical_bytes(cache, pinned):
    fetch(cache, pinned, packages=PACKAGES, on_error=[].append)
    first = pinned.read_bytes()
    fetch(cache, pinned, packages=PACKAGES, on_error=[].append)
    assert pinned.read_bytes() == first
    lines = first.decode().splitlines()
    assert lines[0] == "\t".join(manifest_file.COLUMNS)
    assert lines[1:] == sorted(lines[1:])
    assert manifest_file.read(pinned).get("veusz").sha256 == manifest_file.read(pinned).get(
        "veusz").sha256


def test_a_cached_deb_that_differs_from_its_pin_is_refused(cache, pinned):
    deb = cache / "debs" / "veusz_9.9-test.deb"
    deb.write_bytes(deb.read_bytes() + b"tampered")
    errors = []
    manifest = fetch(cache, pinned, packages=["veusz"], on_error=errors.append)
    assert manifest.get("veusz").status.startswith("skipped: veusz=9.9-test: not downloadable")
    assert errors and "veusz=9.9-test" in errors[0]


def test_only_allowed_packages(cache, pinned):
    with pytest.raises(TermbankError, match="not an allowed evidence package: hello"):
        fetch(cache, pinned, packages=["hello"])


@pytest.mark.parametrize(("text", "message"), [
    ("package\tversion\n", "header must be"),
    ("\t".join(manifest_file.COLUMNS) + "\nveusz\t1.0\n", r"sources.tsv:2: expected 7 columns"),
])
def test_a_bad_manifest_names_the_line(tmp_path, text, message):
    path = tmp_path / "sources.tsv"
    path.write_text(text)
    with pytest.raises(TermbankError, match=message):
        manifest_file.read(path)


def test_cache_location(monkeypatch, tmp_path):
    monkeypatch.setenv("TERMBANK_EVIDENCE_CACHE", str(tmp_path / "elsewhere"))
    assert default_cache() == tmp_path / "elsewhere"
    monkeypatch.delenv("TERMBANK_EVIDENCE_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache() == tmp_path / "xdg" / "termbank" / "evidence"


def test_cli_fetch_then_pairs(cache, pinned):
    runner = CliRunner()
    fetched = runner.invoke(cli, ["evidence", "fetch", "--cache", str(cache), "--manifest",
                                  str(pinned), "--package", "libgphoto2-l10n",
                                  "--package", "stellarium-data"])
    assert fetched.exit_code == 0, fetched.output
    assert "libgphoto2-l10n\t9.9-test\tes:1\tok; skipped 2" in fetched.output
    listed = runner.invoke(cli, ["evidence", "pairs", "--cache", str(cache), "--manifest",
                                 str(pinned), "--tag", "es_419"])
    assert listed.exit_code == 0, listed.output
    assert "es-419\tStellarium\tField of view\t→\tCampo visual" in listed.output
    assert listed.stdout.endswith("stellarium-data\tes-419\t1\n1 pairs\n")


def test_a_deb_that_cannot_be_unpacked_leaves_no_tree(cache, pinned):
    deb = cache / "debs" / "amide_9.9-test.deb"
    deb.write_bytes(b"!<arch>\nnot really a debian package")
    manifest = manifest_file.read(pinned)
    manifest.sources["amide"] = Source("amide", "9.9-test", sha256(deb))
    manifest_file.write(manifest, pinned)
    errors = []
    fetched = fetch(cache, pinned, packages=["amide"], on_error=errors.append)
    assert fetched.get("amide").status.startswith("skipped: debs/amide_9.9-test.deb: ")
    assert len(errors) == 1 and str(deb) in errors[0]
    assert not (cache / "tree" / "amide").exists() or not any((cache / "tree" / "amide").iterdir())


def test_rebuild_fetches_then_attests_with_the_same_bytes_twice(tmp_path, cache):
    from tests.conftest import FIXTURE_GLOSSARY

    mo = write_mo(tmp_path / "mo" / "cam.mo", [{"msgid": "Magnification", "msgstr": "Aumento"},
                                               {"msgid": "_Camera", "msgstr": "_Cámara"}])
    deb = build_deb(tmp_path, "libgphoto2-l10n", "9.9-test", {
        "usr/share/locale/es/LC_MESSAGES/libgphoto2-6.mo": mo.read_bytes(),
    }, cache / "debs" / "libgphoto2-l10n_9.9-test.deb")
    manifest = tmp_path / "evidence" / "sources.tsv"
    manifest_file.write(Manifest({"libgphoto2-l10n": Source(
        "libgphoto2-l10n", "9.9-test", sha256(deb))}), manifest)
    out = tmp_path / "evidence" / "attestations.tsv"
    args = ["evidence", "rebuild", "--cache", str(cache), "--manifest", str(manifest),
            "--glossary", str(FIXTURE_GLOSSARY), "--out", str(out), "--package", "libgphoto2-l10n"]
    runs = []
    for _ in range(2):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        runs.append((manifest.read_bytes(), out.read_bytes()))
    assert runs[0] == runs[1]
    rows = out.read_text(encoding="utf-8").splitlines()
    assert any(r.startswith("magnification\tes\tmagnification\tAumento\tlabel\tlibgphoto2")
               for r in rows), rows
