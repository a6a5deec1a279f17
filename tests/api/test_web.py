"""The web page's routes over a fake engine: what is served, with which headers, and what is not."""

from __future__ import annotations

import httpx2
import pytest

from auricle.web import assets
from tests.api.conftest import AppClient

pytestmark = pytest.mark.anyio


async def test_the_page_is_served_at_the_root_with_a_strict_content_policy(http: httpx2.AsyncClient) -> None:
    response = await http.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert '<script type="module" src="/web/app.js">' in response.text
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy  # the page runs no inline script
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("name", assets.names())
async def test_every_file_the_page_names_is_served_with_its_type(http: httpx2.AsyncClient, name: str) -> None:
    response = await http.get("/" if name == "index.html" else f"/web/{name}")
    assert response.status_code == 200
    assert response.content == assets.read(name).body
    assert response.headers["content-type"] == assets.read(name).media_type


def test_the_page_names_only_files_that_exist() -> None:
    page = assets.read("index.html").body.decode()
    for name in ("style.css", "app.js"):
        assert f"/web/{name}" in page
    scripts = "".join(assets.read(name).body.decode() for name in assets.names() if name.endswith(".js"))
    for imported in ("./api.js", "./microphone.js", "./subtitles.js", "./words.js", "/web/pcm-worklet.js"):
        assert imported in scripts
        assert imported.rsplit("/", 1)[1] in assets.names()


@pytest.mark.parametrize("path", ["/web/nothing.js", "/web/..%2Fassets.py", "/web/__init__.py", "/web/"])
async def test_nothing_else_is_served(http: httpx2.AsyncClient, path: str) -> None:
    response = await http.get(path)
    assert response.status_code == 404
    assert "error" in response.json()


async def test_the_languages_a_request_may_name(http: httpx2.AsyncClient) -> None:
    languages = (await http.get("/web/languages.json")).json()
    assert languages["de"] == "German"
    assert all(len(code) == 2 for code in languages)
    assert list(languages.values()) == sorted(languages.values())


async def test_the_page_needs_no_key_but_the_api_still_does(make_client: AppClient) -> None:
    async with make_client(api_keys=["secret"]) as http:
        assert (await http.get("/")).status_code == 200
        assert (await http.get("/web/app.js")).status_code == 200
        assert (await http.get("/v1/models")).status_code == 401


async def test_the_page_can_be_turned_off(make_client: AppClient) -> None:
    async with make_client(web_page=False) as http:
        assert (await http.get("/")).status_code == 404
        assert (await http.get("/web/app.js")).status_code == 404
        assert (await http.get("/health")).status_code == 200


async def test_the_page_is_not_in_the_openapi_document(http: httpx2.AsyncClient) -> None:
    paths = (await http.get("/openapi.json")).json()["paths"]
    assert "/" not in paths
    assert not any(path.startswith("/web") for path in paths)
