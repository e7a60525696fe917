"""The committed configuration (datasette/metadata.yml), canned queries, the plugin's place in
Datasette, and the interface's gettext catalogues."""

from __future__ import annotations

import gettext
import subprocess
import sys

import pytest
import yaml

from termbank.web.site import make_datasette

from .conftest import METADATA, ROOT, decide, propose


async def rows(ds, path: str) -> list[dict]:
    response = await ds.client.get(path + ("&" if "?" in path else "?") + "_shape=array")
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.asyncio
async def test_title_licence_and_source_are_published(ds):
    data = (await ds.client.get("/-/metadata.json")).json()
    assert data["title"] == "termbank" and data["license"].startswith("CC BY 4.0")
    assert data["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["source"]
    home = (await ds.client.get("/")).text
    assert "CC BY 4.0" in home and "/-/lookup" in home


@pytest.mark.asyncio
async def test_the_bank_is_immutable_and_proposals_mutable(ds):
    databases = {d["name"]: d for d in (await ds.client.get("/-/databases.json")).json()}
    assert databases["termbank"]["is_mutable"] is False
    assert databases["proposals"]["is_mutable"] is True


@pytest.mark.asyncio
async def test_full_text_search_and_facets(ds):
    page = await ds.client.get("/termbank/terms.json?_search=funcion&_shape=objects")
    assert {r["text"] for r in page.json()["rows"]} >= {"función de dispersión de punto"}
    assert set(page.json()["facet_results"]) == {"tag", "status", "review", "reliability"}
    concepts = (await ds.client.get("/termbank/concepts.json")).json()
    assert "subject_field" in concepts["facet_results"]


@pytest.mark.asyncio
async def test_canned_query_term_in_a_dialect_follows_the_fallback_chain(ds):
    mexican = await rows(ds, "/termbank/term_in_dialect.json?term=Pixel&dialect=es-MX")
    assert [(r["term"], r["from_tag"]) for r in mexican] == [("pixel", "es-419")]
    spain = await rows(ds, "/termbank/term_in_dialect.json?term=file&dialect=es_ES")
    assert [(r["term"], r["from_tag"]) for r in spain] == [("fichero", "es-ES"), ("archivo", "es")]
    assert await rows(ds, "/termbank/term_in_dialect.json?term=file&dialect=nonsense") == []


@pytest.mark.asyncio
async def test_canned_query_compare_dialects_side_by_side(ds):
    found = await rows(ds, "/termbank/compare_dialects.json?term=archivo")
    own = {(r["concept"], r["tag"]): r["terms"] for r in found}
    assert {own[("image-file", t)] for t in ("es", "es-ES", "pt-BR", "pt-PT")} == {
        "archivo", "fichero", "arquivo", "ficheiro"}
    assert own[("image-file", "es-ES")] == "fichero"
    assert ("image-file", "es-MX") not in own      # es-MX falls back: no row of its own


@pytest.mark.asyncio
async def test_canned_query_concepts_missing_a_term(ds):
    missing = await rows(ds, "/termbank/missing_in_dialect.json?dialect=de")
    assert {r["concept"] for r in missing} >= {"pixel", "camera"}
    assert "fiji" not in {r["concept"] for r in missing}  # a name is never "missing"
    assert await rows(ds, "/termbank/missing_in_dialect.json?dialect=es-MX") == []


@pytest.mark.asyncio
async def test_canned_query_pending_proposals(ds):
    await propose(ds, concept="pixel", tag="fr-CA", term="pixel québécois")
    [row] = await rows(ds, "/proposals/pending_proposals.json")
    assert (row["concept_id"], row["tag"], row["term"]) == ("pixel", "fr-CA", "pixel québécois")


@pytest.mark.asyncio
async def test_the_plugin_stays_out_of_a_datasette_without_a_bank(tmp_path):
    from datasette.app import Datasette

    from termbank.web import ensure_registered

    ensure_registered()
    other = Datasette([], memory=True)
    assert (await other.client.get("/")).status_code == 200
    assert (await other.client.get("/_memory.json?sql=select+1")).status_code == 200
    assert (await other.client.get("/-/lookup?q=x")).status_code == 400


@pytest.mark.asyncio
async def test_a_replica_sends_writes_to_the_writer(bank_path):
    replica = make_datasette(bank_path, None, METADATA, writer="https://terms.example.org")
    page = await replica.client.get("/-/lookup?q=pixel&to=es-MX")
    assert page.status_code == 200
    assert 'href="https://terms.example.org/-/propose?concept=pixel&amp;to=es-MX"' in page.text
    form = await replica.client.get("/-/propose?concept=pixel")
    assert form.status_code == 307
    assert form.headers["location"] == "https://terms.example.org/-/propose?concept=pixel"
    assert "proposals" not in {d["name"] for d in
                               (await replica.client.get("/-/databases.json")).json()}


def test_metadata_is_valid_yaml_with_the_four_canned_queries():
    data = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    queries = {**data["databases"]["termbank"]["queries"], **data["databases"]["proposals"]["queries"]}
    assert set(queries) == {"term_in_dialect", "compare_dialects", "missing_in_dialect",
                            "pending_proposals"}


def test_the_catalogues_are_complete_and_compiled():
    """Every interface string is translated in es, fr and pt, and the committed .mo files
    say what the .po files say (the same check as `scripts/web_messages.py --check`)."""
    script = ROOT / "scripts" / "web_messages.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_each_catalogue_passes_msgfmt_and_loads(language, tmp_path):
    from termbank.web.interface import DOMAIN, LOCALES

    po = LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    subprocess.run(["msgfmt", "-c", "-o", str(tmp_path / "check.mo"), str(po)], check=True)
    catalogue = gettext.translation(DOMAIN, LOCALES, languages=[language])
    assert catalogue.gettext("Look up a term") == {
        "en": "Look up a term", "es": "Buscar un término", "fr": "Chercher un terme",
        "pt": "Consultar um termo"}[language]


@pytest.mark.asyncio
async def test_without_sql_threads_everything_runs_inline(bank_path, proposals_path):
    site = make_datasette(bank_path, proposals_path, METADATA, settings={"num_sql_threads": "0"})
    await site.invoke_startup()
    assert site.executor is None
    number = (await propose(site, concept="pixel", tag="es-CL", term="píxel chileno")
              ).json()["proposal"]["id"]
    assert (await decide(site, number, "approve", "ana")).status_code == 200
    answer = (await site.client.get("/-/lookup.json?q=píxel+chileno&to=es-CL")).json()
    assert answer[0]["translations"]["es-CL"][0]["review"] == "reviewed"


def test_an_unknown_setting_is_refused(bank_path):
    from termbank.errors import TermbankError

    with pytest.raises(TermbankError, match="no Datasette setting 'nonsense'"):
        make_datasette(bank_path, None, METADATA, settings={"nonsense": "1"})


@pytest.mark.asyncio
async def test_plain_datasette_with_the_plugin_guards_the_proposals_database(
        bank_path, proposals_path, tmp_path):
    """`datasette termbank.db reviews.db -m datasette/metadata.yml` (the entry point loads the
    plugin): the proposals file keeps its own name and its password hashes stay hidden."""
    import shutil

    from datasette.app import Datasette

    from termbank.web import ensure_registered

    ensure_registered()
    bank = tmp_path / "termbank.db"
    reviews = tmp_path / "reviews.db"
    shutil.copyfile(bank_path, bank)
    shutil.copyfile(proposals_path, reviews)
    metadata = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    metadata["plugins"]["termbank"]["proposals"] = str(reviews)
    plain = Datasette([str(reviews)], immutables=[str(bank)], metadata=metadata)
    await plain.invoke_startup()
    assert set(plain.databases) >= {"termbank", "reviews"} and "proposals" not in plain.databases
    assert (await plain.client.get("/reviews/reviewers.json")).status_code == 403
    assert (await plain.client.get("/reviews.json?sql=select+1")).status_code == 403
    assert (await plain.client.get("/-/lookup.json?q=pixel")).status_code == 200


def test_the_committed_metadata_is_what_load_metadata_gives_without_a_path():
    from termbank.web.site import load_metadata

    assert load_metadata(None) == yaml.safe_load(METADATA.read_text(encoding="utf-8"))


@pytest.mark.parametrize("text, message", [
    (None, "no such metadata file"),
    ("title: [unclosed\n", ":2: not valid YAML"),
    ("- a list\n", "must be a mapping"),
])
def test_a_bad_metadata_file_is_refused_never_read_as_empty(tmp_path, text, message):
    from termbank.errors import TermbankError
    from termbank.web.site import load_metadata

    path = tmp_path / "metadata.yml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(TermbankError, match=message):
        load_metadata(path)


def test_an_installed_wheel_serves_with_the_committed_metadata(tmp_path):
    """Build the wheel as a user would, install it (without its dependencies, which are
    borrowed from this environment) into a throwaway venv, and load the metadata there."""
    import site
    import venv
    import zipfile

    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels),
                    str(ROOT)], check=True, capture_output=True)
    (wheel,) = wheels.glob("termbank-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("termbank/web/metadata.yml") == METADATA.read_bytes()
    env = tmp_path / "venv"
    venv.create(env, with_pip=False)
    python = env / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", str(wheel)], check=True, capture_output=True)
    probe = ("import sys; sys.path.extend(sys.argv[1:]); import termbank.web.site as s; "
             "print(s.__file__); print(s.load_metadata(None)['title'])")
    shown = subprocess.run([str(python), "-c", probe, *site.getsitepackages()], check=True,
                           capture_output=True, text=True, cwd=tmp_path).stdout.splitlines()
    assert shown[0].startswith(str(env)) and shown[1] == "termbank"
