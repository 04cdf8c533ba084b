"""An article's language: declared or detected, and what it changes in `watcher extract`
and in the pipeline (numbers are read by it: "4.000" is 4000 in German, 4 in English)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from watcher import language
from watcher.language import KNOWN, SUPPORTED, detect_language, normalise
from watcher.sample_site import Item, LoopbackSite, render_article_html, render_rss2

from .conftest import ROOT, query, write_config

BASELINE = str(ROOT / "config" / "baseline.toml")

SENTENCES = {
    "en": "Russia fired more than 3,000 shells at the city on Monday, officials said.",
    "de": "Nordkorea hat nach Angaben aus Kiew mehr als 4.000 Soldaten verloren.",
    "es": "Corea del Norte ha perdido más de 1.500 soldados en la región de Kursk.",
    "fr": "La Corée du Nord a perdu plus de 3 000 soldats dans la région de Koursk.",
}


# -- detection ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", SUPPORTED)
def test_detects_each_supported_language(lang: str) -> None:
    assert detect_language(SENTENCES[lang]) == lang


def test_detection_reads_only_a_prefix() -> None:
    text = SENTENCES["de"] * 40 + SENTENCES["en"] * 10_000   # German first, English after
    assert len(SENTENCES["de"] * 40) >= language.PREFIX
    assert detect_language(text) == "de"


def test_declared_language_wins_and_is_normalised() -> None:
    assert detect_language(SENTENCES["de"], "fr-FR") == "fr"
    assert detect_language(SENTENCES["en"], "DE_at") == "de"
    assert detect_language(SENTENCES["en"], "deu") == "de"
    # unreadable declarations do not count: the text decides
    for bogus in ("", "  ", "xx", "und", "x-klingon", "de DE", None):
        assert detect_language(SENTENCES["es"], bogus) == "es", bogus


@pytest.mark.parametrize("code,expected", [
    ("de-DE", "de"), ("en-GB-oxendict", "en"), (" FR ", "fr"), ("iw", "he"), ("ger", "de"),
    ("ja", "ja"), ("zz", None), ("jpn", None), ("", None), (None, None),
])
def test_normalise(code: str | None, expected: str | None) -> None:
    assert normalise(code) == expected


@pytest.mark.parametrize("text", ["", "   ", "4.000", "Hallo!", "12 000 — 3,5 %", "\n\n"])
def test_short_text_falls_back_to_english(text: str) -> None:
    assert detect_language(text) == language.DEFAULT == "en"


def test_detected_languages_are_known() -> None:
    assert set(SUPPORTED) <= set(KNOWN)
    assert detect_language("Официальные лица сообщили о более чем 3000 погибших солдатах.") \
        == "ru"


def test_cached_model_answers_like_the_packaged_one(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The restricted model kept in the cache directory must rank exactly as the one
    loaded from the package, and a damaged cache file must only cost the slow load."""
    monkeypatch.setenv("WATCHER_CACHE_DIR", str(tmp_path))
    fresh = language._load()                      # from the package; writes the cache
    cached_file = language._cache_file()
    assert cached_file is not None and cached_file.is_file()
    cached = language._load()                     # from the cache
    assert cached is not fresh
    texts = [*SENTENCES.values(), "Kim Jong Un sent 10,000 soldiers", "Selon Zelensky, 11"]
    for text in texts:
        assert cached.rank(text) == fresh.rank(text)
    whole = cached_file.read_bytes()
    for damaged in (b"not a model", whole[:len(whole) // 2], whole[:5000]):
        cached_file.write_bytes(damaged)     # unreadable, or cut short by a full disk
        assert language._load().classify(SENTENCES["de"])[0] == "de"
    monkeypatch.setenv("WATCHER_CACHE_DIR", "off")
    assert language._cache_file() is None


# -- watcher extract, through the installed entry point ----------------------------------

def watcher(*args: str, input: str = "") -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("watcher")
    cmd = [str(script)] if script.is_file() else [sys.executable, "-m", "watcher"]
    env = {k: v for k, v in os.environ.items() if k != "WATCHER_CONFIG"}
    return subprocess.run([*cmd, *args], input=input, capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)


def extract_json(text: str, *args: str) -> list[dict[str, object]]:
    r = watcher("extract", "--all", "--format", "json", "--baseline", BASELINE, *args,
                input=text)
    assert r.returncode == 0, r.stderr
    result: list[dict[str, object]] = json.loads(r.stdout)
    return result


@pytest.mark.parametrize("text,value", [
    ("Nordkorea hat mehr als 4.000 Soldaten verloren.", 4000),
    ("Corea del Norte ha perdido más de 1.500 soldados.", 1500),
    ("La Corée du Nord a perdu plus de 3 000 soldats.", 3000),
    ("North Korea has lost more than 3,000 soldiers.", 3000),
])
def test_extract_reads_numbers_in_the_text_language(text: str, value: int) -> None:
    figures = extract_json(text)
    assert [f["value"] for f in figures] == [value]


def test_extract_lang_forces_a_language() -> None:
    text = "Nordkorea hat mehr als 4.000 Soldaten verloren."
    assert [f["value"] for f in extract_json(text, "--lang", "en")] == [4]
    assert [f["value"] for f in extract_json(text, "--lang", "de-DE")] == [4000]
    assert [f["value"] for f in extract_json(text, "--lang", "auto")] == [4000]


def test_extract_detects_each_line_with_lines() -> None:
    text = "Nordkorea hat mehr als 4.000 Soldaten verloren.\n" \
           "Russia fired more than 3,000 shells at the city on Monday.\n"
    figures = extract_json(text, "--lines")
    assert [(f["input"], f["value"]) for f in figures] == [("<stdin>:1", 4000),
                                                           ("<stdin>:2", 3000)]


def test_extract_refuses_an_unsupported_language() -> None:
    r = watcher("extract", "--baseline", BASELINE, "--lang", "xx", input="4.000 Soldaten")
    assert r.returncode == 2
    assert "--lang" in r.stderr and "'xx' is not a supported language" in r.stderr
    assert "en, de, es, fr" in r.stderr
    assert r.stdout == ""


def test_extract_json_is_the_analysis_with_the_input_last(tmp_path: Path) -> None:
    """Streamed JSON: same list of figure dicts as before, ``input`` the last key."""
    from watcher.claims import analyze, load_baseline

    text = " ".join(SENTENCES.values()) + " Turnout fell 2.5% and 40 shells hit the port."
    expected = [dict(f.to_dict(), input="<stdin>")
                for f in analyze(text, load_baseline(Path(BASELINE)),
                                 lang=detect_language(text))]
    figures = extract_json(text)
    assert figures == expected and len(figures) >= 3
    assert all(list(f)[-1] == "input" for f in figures)
    assert extract_json("no figures at all here") == []
    (tmp_path / "a.txt").write_text(SENTENCES["de"], encoding="utf-8")
    (tmp_path / "b.txt").write_text(SENTENCES["en"], encoding="utf-8")
    r = watcher("extract", "--all", "--format", "jsonl", "--baseline", BASELINE,
                str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(Path(row["input"]).name, [f["value"] for f in row["figures"]]) for row in rows] \
        == [("a.txt", [4000]), ("b.txt", [3000])]


# -- the pipeline: every stored article carries a language -------------------------------

def _undeclared(page: bytes) -> bytes:
    out = page.replace(b' lang="en"', b"")
    assert b"lang=" not in out
    return out


def test_pipeline_stores_declared_or_detected_language(site: LoopbackSite,
                                                       tmp_path: Path) -> None:
    german = [
        "Nordkorea hat nach Angaben der ukrainischen Regierung mehr als 4.000 Soldaten "
        "verloren. Die Verluste seien in den vergangenen Wochen deutlich gestiegen.",
        "Nach Einschätzung westlicher Geheimdienste kämpfen die Truppen vor allem in der "
        "Region Kursk, wo sie die russischen Einheiten unterstützen sollen.",
    ]
    english = ["Officials said the artillery fired hundreds of shells at the port overnight, "
               "and that repairs to the harbour would take several weeks to complete."]
    site.add("/de.html", _undeclared(render_article_html("Verluste", german)),
             content_type="text/html")
    site.add("/en.html", render_article_html("Shells", english), content_type="text/html")
    undeclared = site.add("/plain.xml", render_rss2("Plain", site.base, [
        Item("Verluste", site.url("/de.html"), guid="de"),
        Item("Shells", site.url("/en.html"), guid="en"),
        Item("Resumen", None, guid="es", summary="Corea del Norte ha perdido más de 1.500 "
                                                 "soldados en la región de Kursk, según Kiev."),
    ]))
    # a feed that declares French: its entries' short text cannot outvote that
    declared = site.add("/fr.xml", render_rss2("Fr", site.base, [
        Item("Bilan", None, guid="fr", summary="Bilan : 300."),
    ]).replace(b"<description>Sample feed", b"<language>fr-FR</language><description>x"))
    config = write_config(tmp_path, [{"url": undeclared, "name": "plain"},
                                     {"url": declared, "name": "fr"}])
    r = subprocess.run([sys.executable, "-m", "watcher", "--config", str(config), "run",
                        "--once"], capture_output=True, text=True, cwd=ROOT, timeout=180,
                       env={k: v for k, v in os.environ.items()
                            if not k.startswith("WATCHER_")})
    assert r.returncode == 0, r.stderr
    db = tmp_path / "watcher.db"
    rows = {title: (lang, source) for title, lang, source in
            query(db, "SELECT title, language, text_source FROM articles")}
    assert rows == {"Verluste": ("de", "page"), "Shells": ("en", "page"),
                    "Resumen": ("es", "feed_summary"), "Bilan": ("fr", "feed_summary")}
    # and the German page's figure was read as German
    values = [v for (v,) in query(db, "SELECT coalesce(value, low) FROM observations o "
                                      "JOIN articles a ON a.id = o.article_id "
                                      "WHERE a.title = 'Verluste'")]
    assert 4000 in values
