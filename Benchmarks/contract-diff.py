#!/usr/bin/env python3
"""Sends the same requests to taskd and to the service it replaces and prints where the answers
differ: status, and for errors the detail (a 422's type, loc and msg of every issue); then, for
a short sequence on a fresh user of each, the answers byte for byte with ids, times, tokens and
emails blanked.

Usage: Benchmarks/contract-diff.py TASKD_URL [REFERENCE_URL, default http://127.0.0.1:8000]
Both servers must be running without a login limit (taskd --login-rate-limit 0; the reference's
run.sh with LOGIN_RATE_LIMIT=0): a few dozen logins are sent. Registers two users, one on each.
Exits 0 when every difference is one of the intended ones listed in INTENDED, 1 otherwise.
127.0.0.1 only; every request has a 10 s timeout."""
import http.client, json, re, sys, time, urllib.parse, uuid

INTENDED = {
    # API.md's contract where the old service had none or was looser:
    "sync": "/sync is taskd's (the changes feed); the old service has no such route",
    "idempotency-key": "Idempotency-Key is checked (1 to 255 visible ASCII characters); the old service ignored it",
    "if-none-match": "GET /tasks/{id} with a matching If-None-Match is a 304; the old service always answered 200",
    "allow": "a 405's Allow lists every method of the path; Starlette named only the first route's",
    "head": "HEAD is answered on every GET route, as HTTP asks; FastAPI answered 405",
    "due-date-number": "due_date is an RFC 3339 string, as API.md has it; Pydantic also took Unix timestamps",
}


def connection(url):
    parts = urllib.parse.urlsplit(url)
    assert parts.hostname in ("127.0.0.1", "localhost"), "127.0.0.1 only"
    return parts.hostname, parts.port or 80


def exchange(server, method, path, body=None, headers=None):
    """The status, the body's bytes and the headers (names lowercased)."""
    c = http.client.HTTPConnection(*server, timeout=10)
    c.request(method, path, body=body.encode() if isinstance(body, str) else body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data, {k.lower(): v for k, v in r.getheaders()}


def send(server, method, path, body=None, headers=None):
    status, data, headers = exchange(server, method, path, body, headers)
    try:
        parsed = json.loads(data) if data else None
    except ValueError:
        parsed = ("not JSON", data[:80])
    return status, parsed, headers


# The same answers byte for byte, once what differs by nature (ids, times, tokens, the email
# each server registered) is blanked: how strings are escaped, numbers and times written,
# fields ordered. It found backspace and form feed written as \u0008 and \u000c, which a
# comparison of parsed values cannot see.
def same_bytes(servers):
    blanks = [(rb'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', b'{id}'),
              (rb'"(access_token|refresh_token)":"[^"]+"', rb'"\1":"{token}"'),
              (rb'"(created_at|updated_at|completed_at)":"[^"]+"', rb'"\1":"{time}"'),
              (rb'bytes-[0-9a-f]{12}@', b'{email}@')]
    def blank(data):
        for pattern, replacement in blanks:
            data = re.sub(pattern, replacement, data)
        return data
    answers = {}
    for name, server in servers.items():
        email = "bytes-%s@example.com" % uuid.uuid4().hex[:12]
        J = {"Content-Type": "application/json"}
        out = []
        def call(method, path, body=None, auth=None, content_type="application/json"):
            h = dict({"Content-Type": content_type}, **({"Authorization": "Bearer " + auth} if auth else {}))
            raw = body if isinstance(body, str) or body is None else json.dumps(body)  # a str is sent as it is
            status, data, headers = exchange(server, method, path, raw, h)
            out.append((method + " " + blank(path.encode()).decode(), status, headers.get("content-type"), blank(data)))
            return json.loads(data) if data else None
        call("POST", "/auth/register", {"email": email, "password": "password123", "full_name": "Ada \"L\" \u00e9\U0001F600"})
        token = call("POST", "/auth/login", {"email": email, "password": "password123"})["access_token"]
        call("GET", "/users/me", auth=token)
        call("POST", "/categories", {"name": "Work \\ / \t"}, token)
        body = {"title": "A \"quoted\" \b\f\u0001\u007f task \u00e9 \U0001F600", "description": "line\nnext\r\ttab </script>",
                "priority": "high", "due_date": "2026-12-01T10:00:00.5+02:00", "category_name": "Work \\ / \t"}
        task = call("POST", "/tasks", body, token)
        call("GET", "/tasks/" + task["id"], auth=token)
        call("PATCH", "/tasks/" + task["id"], {"status": "done", "due_date": None}, token)
        call("GET", "/tasks?limit=5", auth=token)
        call("GET", "/categories", auth=token)
        call("POST", "/tasks", {"title": "", "priority": "urgent", "due_date": "soon", "extra": [1, 2.50, True, None]}, token)
        call("GET", "/tasks?sort=bogus&limit=0&status=x", auth=token)
        # A repeated key is echoed once, first place and last value; two spellings of "é" are two keys.
        call("POST", "/tasks", '{"x":1,"x":2,"e\\u0301":3,"\\u00e9":4,"n":{"a":1,"b":2,"a":3}}', token)
        call("POST", "/auth/login", "e%CC%81=1&%C3%A9=2&x=1&x=2", content_type="application/x-www-form-urlencoded")
        # Numbers are echoed as Python wrote the float or int it read, not as sent.
        call("POST", "/tasks", '{"title": [12.50, 1e2, -0, 1E+20, 0.00001, 9999999999999998.0]}', token)
        answers[name] = out
    differences = 0
    for taskd, reference in zip(answers["taskd"], answers["reference"]):
        if taskd != reference:
            differences += 1
            print("DIFFERENT BYTES %s\n    taskd:     %s\n    reference: %s" % (taskd[0], taskd[1:], reference[1:]))
    return len(answers["taskd"]), differences


# Titles and category names where PostgreSQL (C.UTF-8) and Unicode-aware code part ways: case
# mappings that are not one-to-one, two spellings of one letter, code point order.
ODD_TITLES = ["Straße", "İstanbul", "ΣΟΦΙΑ", "σοφιας", "Ǆemal", "ÉCOLE", "ﬁsh", "KELVIN K", "e\u0301clair", "éclair", "ＡＢＣ", "ıi", "ß", "ẞ", "100% sure", "a_b"]
ODD_QUERIES = ["istanbul", "i\u0307stanbul", "İ", "e\u0301", "éclair", "é", "ΣΟΦΙΑΣ", "σοφια", "STRASSE", "ẞ", "fi", "ａｂｃ", "k", "%", "_"]
CATEGORY_NAMES = ["b", "C", "a", "É", "e", "errands", "_x", "10", "9", "İstanbul", "ΑΣ", "éte"]


def summary(status, body, headers):
    """What must agree: the status, the Allow header, a redirect's target (taskd's Location is
    relative, Starlette's absolute), and an error's detail; for a success, the keys."""
    if isinstance(body, dict) and isinstance(body.get("detail"), list):
        detail = [(i.get("type"), i.get("loc"), i.get("msg")) for i in body["detail"]]
    elif isinstance(body, dict) and "detail" in body:
        detail = body["detail"]
    elif isinstance(body, dict) and isinstance(body.get("items"), list):
        detail = (body.get("total"), [item.get("title") for item in body["items"]])
    elif isinstance(body, dict):
        detail = sorted(body)
    elif isinstance(body, list):
        detail = [item.get("name", "?") if isinstance(item, dict) else item for item in body]
    else:
        detail = body
    location = headers.get("location")
    if location and status in (301, 302, 303, 307, 308):
        target = urllib.parse.urlsplit(location)
        return status, headers.get("allow"), target.path + ("?" + target.query if target.query else ""), detail
    return status, headers.get("allow"), detail


def sign_up(server):
    email = "contract-%s@example.com" % uuid.uuid4().hex[:12]
    json_type = {"Content-Type": "application/json"}
    status, body, _ = send(server, "POST", "/auth/register", json.dumps({"email": email, "password": "password123"}), json_type)
    assert status == 201, (server, status, body)
    status, tokens, _ = send(server, "POST", "/auth/login", json.dumps({"email": email, "password": "password123"}), json_type)
    assert status == 200, (server, status, tokens)
    auth = {"Authorization": "Bearer " + tokens["access_token"]}
    _, task, _ = send(server, "POST", "/tasks", json.dumps({"title": "t1", "category_name": "Work"}), dict(auth, **json_type))
    _, categories, _ = send(server, "GET", "/categories", None, auth)
    for title in ODD_TITLES:
        time.sleep(0.002)  # distinct created_at milliseconds: ties would be broken by ids, which differ
        send(server, "POST", "/tasks", json.dumps({"title": title}), dict(auth, **json_type))
    for name in CATEGORY_NAMES:
        send(server, "POST", "/categories", json.dumps({"name": name}), dict(auth, **json_type))
    return {"email": email, "auth": auth, "task": task["id"], "category": categories[0]["id"], "refresh": tokens["refresh_token"]}


def cases():
    """(label, method, path, body, headers, authorized, intended) with {task}, {TASK}, {hex},
    {category}, {email}, {EMAIL}, {local} (the email's local part) and {token} filled in per server."""
    J = {"Content-Type": "application/json"}
    out = []

    def case(method, path, body=None, headers=None, authorized=True, intended=None):
        out.append((method, path, body, dict(headers or {}), authorized, intended))

    # Reads first, while both servers hold the same tasks (later cases create some on one only).
    for headers in [{}, {"Authorization": "Bearer"}, {"Authorization": "Bearer x.y.z"}, {"Authorization": "Basic abc"}, {"Authorization": "bearer {token}"}]:
        case("GET", "/tasks", None, headers, authorized=False)
        case("GET", "/users/me", None, headers, authorized=False)
    for query in ["status=bad", "status=todo&status=done", "priority=x", "limit=0", "limit=101", "limit=abc", "offset=-1", "sort=bogus",
                  "sort=-title", "due_before=x", "due_before=2026-12-02T00:00:00Z", "due_after=2026-12-02", "category_id=nope",
                  "category_id={category}", "category_id={hex}", "category=work", "q=T1", "limit=1_0", "offset=5.0", "limit=%205%0A",
                  "offset=100000000000000000000", "limit=-100000000000000000000", "offset=" + "1" * 4301, "limit=5.5", "limit=1__0",
                  "q=kelvin+k", "q=kelvin%2Bk", "l%69mit=1", "limit=1&%73ort=-title"]:
        case("GET", "/tasks?" + query)
    for query in ODD_QUERIES:
        case("GET", "/tasks?limit=100&sort=title&q=" + urllib.parse.quote(query))
    case("GET", "/tasks?limit=100&sort=title")
    for path in ["/t%61sks?limit=2", "/tasks#top", "/tasks%2F{task}", "/tasks/{task}#x?y", "/%74asks/", "/tasks/%2525", "/tasks/{task}%20", "/tasks/%ff"]:
        case("GET", path)
    case("GET", "/tasks?limit=100&sort=-title")
    case("GET", "/categories")
    for name in ["ISTANBUL", "i\u0307stanbul", "ας", "e\u0301te", "ÉTE"]:
        case("GET", "/tasks?category=" + urllib.parse.quote(name))
    for body in ['', '{', '[]', 'null', '1', '{"title": ""}', '{"title": "   "}', '{"title": "\\u200b"}', '{"title": 5}', '{"title": null}',
                 '{"title": "a", "status": "nope"}', '{"title": "a", "priority": 3}', '{"title": "a", "due_date": "2026-13-01T00:00:00Z"}',
                 '{"title": "a", "due_date": "2026-12-01"}', '{"title": "a", "due_date": "2026-12-01T00:00:00+05:30"}',
                 '{"title": "a", "due_date": "2026-12-01T00:00:00"}', '{"title": "a", "due_date": 5}',
                 '{"title": "a", "due_date": "2026-12-01T24:00:00Z"}', '{"title": "a", "due_date": "2026/12/01T00:00:00Z"}',
                 '{"title": "a", "due_date": "9999-12-31T23:59:59-01:00"}', '{"title": "a", "due_date": "0000-01-01T00:00:00Z"}',
                 '{"title": "a", "description": ' + json.dumps("x" * 10001) + '}', '{"title": ' + json.dumps("x" * 201) + '}',
                 '{"title": "a", "category_name": "  "}', '{"title": "a", "category_name": 7}', '{"title": "a", "status": null}',
                 '{"title":"\\ud800"}', '{"title":"a",}', '{"title": 1.}', '{"title": 1e+}', '{"title": -}', '{"title": 01}', '1.',
                 '{"title": "é" 1}', '{"é": 1,}', '"é\\x"', '{"title": "\\u12"}', '{"title": "\\ud83d\\uZZZZ"}']:
        intended = "due-date-number" if '"due_date": 5' in body else None
        case("POST", "/tasks", body, J, intended=intended)
        case("PATCH", "/tasks/{task}", body, J, intended=intended)
        case("PATCH", "/tasks/x", body, J, intended=intended)
    for body in ['{"name": "istanbul"}', '{"name": "ασ"}', '{"name": "ας"}', '{"name": "e\\u0301te"}',
                 '{}', '{"name": ""}', '{"name": null}', '{"name": 5}', '{"name": "' + "n" * 51 + '"}', '{"name":"WORK"}', '[]', 'x']:
        case("POST", "/categories", body, J)
        case("PATCH", "/categories/{category}", body, J)
        case("PATCH", "/categories/x", body, J)
    for form in ["{task}", "{TASK}", "{hex}", "%7B{task}%7D", "urn:uuid:{task}", "x", "123", "{task}0", "{brokengroup}", "a-b", "%C3%A9",
                 "0" * 46, "00000000-0000-0000-0000-000000000000"]:
        case("GET", "/tasks/" + form)
    for method in ["PUT", "POST"]:
        case(method, "/tasks/{task}", '{"title":"x"}', J, intended="allow")
    for method, path in [("GET", "/tasks/?limit=2"), ("POST", "/tasks/"), ("GET", "/tasks/{task}/"), ("GET", "/users/me/"), ("GET", "//tasks"),
                         ("GET", "/tasks//"), ("GET", "/nothing/"), ("GET", "/auth/login/")]:
        case(method, path, '{"title":"slash"}' if method == "POST" else None, J if method == "POST" else None)
    case("HEAD", "/tasks", intended="head")
    for content_type in ["text/plain", "application/json; charset=utf-8", "APPLICATION/JSON", "application/merge-patch+json", "", None]:
        case("POST", "/tasks", '{"title":"ct"}', {"Content-Type": content_type} if content_type is not None else {})
    for body in ['{}', '{"email":"x","password":"password123"}', '{"email":"a@b","password":"password123"}', '{"email":"a@b.c","password":"short"}',
                 '{"email":"a@b.c","password":"' + "p" * 73 + '"}', '{"email":" {EMAIL} ","password":"password123"}', '{"email":5,"password":"password123"}']:
        case("POST", "/auth/register", body, J, authorized=False)
    for body in ['{}', '{"email":"{email}","password":"wrongpass1"}', '{"email":"{EMAIL}","password":"password123"}', '{"email":"nobody@example.com","password":"password123"}', 'x',
                 '[]', 'null', '"x"', '{"email": "é" 1}']:
        case("POST", "/auth/login", body, J, authorized=False)
    case("POST", "/auth/login", "username={email}&password=password123", {"Content-Type": "application/x-www-form-urlencoded"}, authorized=False)
    # Emails are stripped and lowercased as Python does it (a final sigma), then compared by exact text.
    case("POST", "/auth/register", '{"email":"\\u001f\\u039f\\u0394\\u039f\\u03a3-{email}","password":"password123"}', J, authorized=False)
    for typed in ["\\u03bf\\u03b4\\u03bf\\u03c2-{email}", "\\u03bf\\u03b4\\u03bf\\u03c3-{email}", " \\u001c\\u039f\\u0394\\u039f\\u03a3-{EMAIL}"]:
        case("POST", "/auth/login", '{"email":"' + typed + '","password":"password123"}', J, authorized=False)
    for spelling in ["\\u00e9", "e\\u0301", "e\\u0301"]:
        case("POST", "/auth/register", '{"email":"' + spelling + '-{email}","password":"password123"}', J, authorized=False)
    # "@" and "." followed by a combining mark still separate, by code point.
    for domain in ["@b.\\u0301com", "@\\u0301b.co", "@\\u0301b@c.co", "@b\\u0301."]:
        case("POST", "/auth/register", '{"email":"mark-{local}' + domain + '","password":"password123"}', J, authorized=False)
    # An invalid escape stays as it is; the escapes around it are still decoded.
    case("POST", "/auth/register", '{"email":"pct-{email}","password":"p%zzassword 123"}', J, authorized=False)
    case("POST", "/auth/login", "username=pct-{email}&password=p%zz%61ssword+123", {"Content-Type": "application/x-www-form-urlencoded"}, authorized=False)
    # bcrypt reads 72 bytes: a longer password with the account's 72 is still a wrong one.
    case("POST", "/auth/register", '{"email":"long-{email}","password":"' + "p" * 72 + '"}', J, authorized=False)
    for password in ["p" * 73, "p" * 72 + "q" * 100, "p" * 72]:
        case("POST", "/auth/login", '{"email":"long-{email}","password":"' + password + '"}', J, authorized=False)
    multipart = {"Content-Type": "multipart/form-data; boundary=BND"}
    part = '--BND\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
    case("POST", "/auth/login", part % ("username", "{email}") + part % ("password", "password123") + "--BND--\r\n", multipart, authorized=False)
    case("POST", "/auth/login", part % ("username", "{email}"), multipart, authorized=False)
    case("POST", "/auth/login", "garbage", multipart, authorized=False)
    for body in ['{}', '{"refresh_token":"nope"}', '{"refresh_token":5}']:
        case("POST", "/auth/refresh", body, J, authorized=False)
        case("POST", "/auth/logout", body, J, authorized=False)
    for headers in [{"If-Match": '"1"'}, {"If-Match": '"9"'}, {"If-Match": "*"}, {"If-Match": 'W/"1"'}, {"If-Match": '"01"'}, {"If-Match": '"+1"'}]:
        case("PATCH", "/tasks/{task}", '{}', dict(headers, **J))
    case("GET", "/tasks/{task}", None, {"If-None-Match": '"1"'}, intended="if-none-match")
    case("GET", "/sync", intended="sync")
    case("POST", "/tasks", '{"title":"idem"}', dict(J, **{"Idempotency-Key": " "}), intended="idempotency-key")
    case("DELETE", "/tasks/{task}")
    case("DELETE", "/tasks/{task}")
    return out


def fill(text, user):
    if not isinstance(text, str):
        return text
    task = user["task"]
    broken = task[:8] + task[9:] + "0"
    return (text.replace("{task}", task).replace("{TASK}", task.upper()).replace("{hex}", task.replace("-", ""))
            .replace("{brokengroup}", broken).replace("{category}", user["category"]).replace("{email}", user["email"])
            .replace("{EMAIL}", user["email"].upper()).replace("{local}", user["email"].split("@")[0]).replace("{token}", user["auth"]["Authorization"][7:]))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    servers = {"taskd": connection(sys.argv[1]), "reference": connection(sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:8000")}
    users = {name: sign_up(server) for name, server in servers.items()}
    unexpected, intended_seen = 0, set()
    all_cases = cases()
    for method, path, body, headers, authorized, intended in all_cases:
        answers = {}
        for name, server in servers.items():
            user = users[name]
            h = {k: fill(v, user) for k, v in headers.items()}
            if authorized:
                h.update(user["auth"])
            try:
                answer = str(summary(*send(server, method, fill(path, user), fill(body, user), h)))
                # Each server has its own user, task and category: compare answers without their ids.
                answers[name] = answer.replace(user["task"], "{task}").replace(user["category"], "{category}")
            except (OSError, http.client.HTTPException) as error:
                answers[name] = ("no answer", str(error))
        if answers["taskd"] == answers["reference"]:
            continue
        label = "%s %s %s" % (method, path[:60], (body or "")[:60] if isinstance(body, str) else "")
        if intended:
            intended_seen.add(intended)
            print("intended  %s\n    (%s)" % (label, INTENDED[intended]))
        else:
            unexpected += 1
            print("DIFFERENT %s" % label)
        print("    taskd:     %s\n    reference: %s" % (answers["taskd"][:400], answers["reference"][:400]))
    compared, different = same_bytes(servers)
    unexpected += different
    print("%d requests each; %d unexpected differences (%d of %d answers compared byte for byte); intended: %s"
          % (len(all_cases) + compared, unexpected, different, compared, ", ".join(sorted(intended_seen)) or "none"))
    sys.exit(1 if unexpected else 0)


if __name__ == "__main__":
    main()
