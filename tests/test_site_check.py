"""The link checker itself: it must find what it is there to find."""

from __future__ import annotations

from tests.support.site_check import check_links


def write(path, html):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><body>{html}</body></html>", encoding="utf-8")


def test_the_checker_reports_each_kind_of_broken_link(tmp_path):
    write(tmp_path / "index.html", '<h2 id="a">A</h2><h2 id="a">again</h2>'
          '<a href="page/">ok</a> <a href="page/#here">ok</a> <a href="page/#gone">bad anchor</a>'
          '<a href="missing/">no page</a> <a href="/page/">absolute</a>'
          '<script src="https://cdn.example.com/x.js"></script> <a href="https://example.org/">fine</a>')
    write(tmp_path / "page" / "index.html", '<p id="here">here</p><a href="../#a">back</a>')
    assert check_links(tmp_path) == [
        "index.html: #a (id used twice on the page)",
        "index.html: page/#gone (no #gone on page/index.html)",
        "index.html: missing/ (no such file)",
        "index.html: /page/ (absolute path breaks under a path prefix)",
        "index.html: https://cdn.example.com/x.js (loads from another host)",
    ]
