"""Safe by default: headers, CSP, body cap, the token and its login, CSRF, inside URLs refused,
no request path reaching the file system."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from storyfuse.web import create_app
from storyfuse.web.app import MAX_BODY_BYTES
from storyfuse.web.jobs import safe_stem
from storyfuse.web.security import AUTH_COOKIE, CSRF_COOKIE, Guard, UrlRefused, check_public_url, csrf_ok


@pytest.fixture(scope="module")
def guarded(web_db):
    with TestClient(create_app(web_db, token="s3cret-token")) as c:
        yield c


def test_every_response_has_the_security_headers(client):
    for path in ("/", "/api/events", "/static/style.css", "/no-such-page", "/api/no-such"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY" and headers["referrer-policy"] == "no-referrer"
        assert "content-security-policy" in headers


def test_the_content_security_policy_forbids_inline_script(client):
    csp = client.get("/").headers["content-security-policy"]
    script = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert script.split()[1:] == ["'self'"] and "unsafe-inline" not in csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp


def test_a_body_over_the_cap_answers_413_in_the_error_shape(client):
    response = client.post("/api/articles", content=b"x" * (MAX_BODY_BYTES + 1),
                           headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_adding_through_the_api_needs_json(client):
    response = client.post("/api/articles", data={"text": "A ferry sailed."})
    assert response.status_code in (415, 422) and "error" in response.json()


def test_adding_nothing_answers_400(client):
    response = client.post("/api/articles", json={"text": "  "})
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_request"


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/page", "http://localhost/feed", "http://10.1.2.3/x",
                                 "http://[::1]/x", "http://169.254.169.254/latest/meta-data", "file:///etc/passwd",
                                 "http://192.168.0.1/"])
def test_a_url_inside_the_network_is_refused(client, url):
    response = client.post("/api/articles", json={"url": url})
    assert response.status_code == 400
    assert "address" in response.json()["error"]["message"]


def test_check_public_url_refuses_a_name_that_resolves_inside():
    with pytest.raises(UrlRefused, match="loopback, private"):
        check_public_url("http://localhost:8000/")


def test_with_a_token_the_api_refuses_additions_without_it(guarded):
    response = guarded.post("/api/articles", json={"text": "A ferry sailed late."})
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"
    wrong = guarded.post("/api/articles", json={"text": "A ferry sailed late."},
                         headers={"authorization": "Bearer nope"})
    assert wrong.status_code == 401


def test_with_a_token_reading_needs_no_login(guarded):
    assert guarded.get("/").status_code == 200 and guarded.get("/api/events").status_code == 200


def test_with_a_token_the_add_page_sends_to_the_login(guarded):
    response = guarded.get("/add", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def _csrf(client: TestClient, path: str) -> str:
    client.get(path)
    return client.cookies[CSRF_COOKIE]


def test_login_with_the_wrong_token_is_refused(web_db):
    with TestClient(create_app(web_db, token="s3cret-token")) as c:
        response = c.post("/login", data={"token": "guess", "csrf": _csrf(c, "/login"), "next": "/add"},
                          follow_redirects=False)
        assert response.status_code == 401 and AUTH_COOKIE not in c.cookies


def test_login_sets_an_httponly_samesite_cookie_that_opens_the_add_page(web_db):
    with TestClient(create_app(web_db, token="s3cret-token")) as c:
        response = c.post("/login", data={"token": "s3cret-token", "csrf": _csrf(c, "/login"), "next": "/add"},
                          follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/add"
        cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and AUTH_COOKIE in v)
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert c.get("/add", follow_redirects=False).status_code == 200


def test_login_never_redirects_to_another_site(web_db):
    with TestClient(create_app(web_db, token="s3cret-token")) as c:
        response = c.post("/login", data={"token": "s3cret-token", "csrf": _csrf(c, "/login"),
                                          "next": "//evil.example/"}, follow_redirects=False)
        assert response.headers["location"] == "/add"


def test_a_form_without_its_csrf_token_is_refused(client):
    client.get("/add")
    response = client.post("/add", data={"text": "A ferry sailed late."})
    assert response.status_code == 403
    forged = client.post("/add", data={"text": "A ferry sailed late.", "csrf": "forged"})
    assert forged.status_code == 403


def test_a_job_id_is_never_a_path(client):
    for job in ("../../etc/passwd", "..%2F..%2Fetc", "0" * 31 + "/"):
        assert client.get(f"/api/jobs/{job}").status_code == 404


def test_static_files_stay_inside_their_folder(client):
    for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2f..%2fstore%2f__init__.py"):
        response = client.get(path)
        assert response.status_code == 404, path


def test_guard_without_a_token_allows_everyone():
    assert Guard(None).allowed({}, None)


def test_guard_accepts_the_bearer_token_and_the_session_cookie():
    guard = Guard("tok")
    assert guard.allowed({}, "Bearer tok") and not guard.allowed({}, "Bearer other")
    assert guard.allowed({AUTH_COOKIE: guard.session_value()}, None)
    assert not guard.allowed({AUTH_COOKIE: "tok"}, None)


def test_csrf_needs_the_cookie_and_the_field_to_agree():
    assert csrf_ok("abc", "abc") and not csrf_ok("abc", "abd") and not csrf_ok(None, "abc") and not csrf_ok("", "")


def test_an_uploaded_file_name_loses_its_folders():
    assert safe_stem("../../etc/passwd") == "passwd"
    assert safe_stem("C:\\Users\\x\\news <b>.html") == "news_b_.html"
    assert safe_stem("...") == "upload"


def test_a_long_uploaded_file_name_keeps_its_extension():
    assert safe_stem("a" * 200 + ".warc.gz") == "a" * 72 + ".warc.gz"


def test_a_server_for_loopback_refuses_requests_addressed_to_other_names(web_db):
    app = create_app(web_db, allowed_hosts=("127.0.0.1", "localhost", "[::1]"))
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/").status_code == 200
        for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example"):
            response = c.get("/api/events", headers={"host": host})
            assert response.status_code == 400 and response.json()["error"]["code"] == "bad_request", host
            added = c.post("/api/articles", json={"text": "A ferry sailed late."}, headers={"host": host})
            assert added.status_code == 400


def test_a_chunked_body_over_the_cap_answers_413(client):
    def chunks():
        for _ in range(MAX_BODY_BYTES // 1_000_000 + 2):
            yield b"x" * 1_000_000

    response = client.post("/api/articles", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_serve_binds_loopback_unless_told():
    from storyfuse.cli import serve

    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"


def test_logging_out_ends_the_session(web_db):
    with TestClient(create_app(web_db, token="s3cret-token")) as c:
        c.post("/login", data={"token": "s3cret-token", "csrf": _csrf(c, "/login"), "next": "/add"})
        page = c.get("/add")
        assert "Log out" in page.text
        c.post("/logout", data={"csrf": c.cookies[CSRF_COOKIE]})
        assert c.get("/add", follow_redirects=False).status_code == 303
