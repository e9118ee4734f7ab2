#!/usr/bin/env python3
"""Sends the same random requests to taskd and to the service it replaces and prints where the
answers differ: contract-diff.py's fixed cases, made at random. Thirteen families, each from a seed:

  json     mutated JSON bodies to POST /auth/login (offsets, messages of json_invalid)
  body     the same, to every other route that reads JSON (tasks, categories, register,
           refresh, logout)
  query    GET /tasks with random parameters over the same 36 tasks on both servers, written
           as clients write them (escaped, + for a space, every byte escaped, names escaped)
  task     POST /tasks and PATCH /tasks/{id} with random fields (every 422's type, loc, msg,
           input and ctx; a success's fields)
  register POST /auth/register with random emails, passwords and names
  category POST /categories and PATCH /categories/{id} with names where case mappings part, and
           the listing after each
  lifecycle random sequences of task and category creates, updates and deletes, comparing
           both users' whole state after each step (versions, completed_at and updated_at
           moving or not, categories and their task_count)
  multipart login forms as multipart/form-data: random boundaries (empty, quoted, repeated),
           parts and damage (every 400's detail, every 422's issues)
  form     login forms as application/x-www-form-urlencoded: random names, values, separators
           and escapes, and now and then a thousand fields
  header   Authorization and Content-Type fields, right and wrong, on reads, writes, refresh
           and login
  path     ids in paths, mangled (hyphens, braces, urn:uuid:, case, lengths, escapes), on GET,
           PATCH and DELETE of tasks and categories
  route    methods on paths known and not (slashes, case, escapes, dots): status, detail,
           and the Allow and Location fields (every method of the path in taskd's Allow,
           its Location relative, HEAD answered where GET is: intended)
  token    logins, refreshes and logouts with current, rotated, mangled and foreign tokens,
           and GET /users/me with the access tokens they gave

Usage: Benchmarks/contract-fuzz.py TASKD_URL [REFERENCE_URL] [--seed N] [--count N] [--family F]
Both servers must run without a login limit (see contract-diff.py). 127.0.0.1 only; every
request has a 10 s timeout, and each family sends --count requests (default 500) to each.
Answers that differ in a way README.md's "Coming from the FastAPI service" lists as intended,
or that cannot agree, are counted apart and not shown:
  - a string with a lone surrogate (\\ud800) echoed in a 422's input: taskd writes U+FFFD;
  - NaN or Infinity in a body: Python's json reads them (and the old service then answered
    500), taskd refuses them where they stand;
  - any other 500 from the old service (1e400 overflows its floats), which taskd answers;
  - a body whose first or second byte is NUL, which Python reads as UTF-16 or UTF-32;
  - a page whose tasks tie on the sort key: ties go by id, and the ids differ.
Exits 1 when any other difference is found."""
import importlib.util, json, os, random, re, sys, time, urllib.parse, uuid

# connection() and send() are contract-diff.py's (127.0.0.1 only, a 10 s timeout).
_spec = importlib.util.spec_from_file_location("contract_diff", os.path.join(os.path.dirname(os.path.abspath(__file__)), "contract-diff.py"))
contract_diff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(contract_diff)
connection = contract_diff.connection


def send(server, method, path, body=None, headers=None):
    status, parsed, _ = contract_diff.send(server, method, path, body, headers)
    return status, parsed


J = {"Content-Type": "application/json"}


def issues(status, body):
    """A 422's issues whole; anything else as it came."""
    if isinstance(body, dict) and isinstance(body.get("detail"), list):
        return status, [(i.get("type"), i.get("loc"), i.get("msg"), i.get("input"), i.get("ctx")) for i in body["detail"]]
    return status, body


def sign_up(server):
    email = "fuzz-%s@example.com" % uuid.uuid4().hex[:12]
    send(server, "POST", "/auth/register", json.dumps({"email": email, "password": "password123"}), J)
    status, tokens = send(server, "POST", "/auth/login", json.dumps({"email": email, "password": "password123"}), J)
    assert status == 200, (server, status, tokens)
    return dict(J, Authorization="Bearer " + tokens["access_token"])


def mutated(rng, text, alphabet):
    """`text` with one to three pieces of `alphabet` put in or over it, or characters taken out."""
    for _ in range(rng.randint(1, 3)):
        at = rng.randint(0, len(text))
        roll = rng.random()
        text = text[:at] + rng.choice(alphabet) + text[at + (0 if roll < 0.4 else 1):] if roll < 0.7 else text[:at] + text[at + 1:]
    return text


def json_family(rng, servers, count):
    seeds = ['{"email": "a@b.co", "password": "password1"}', '{"email": ["x", 1, 2.5e3, true, null], "password": {"a": -0.5}}',
             '[1, "two", {"three": 3}]', '"str\\u00e9\\n"', '{"email":"\\ud83d\\ude00","password":12345678}', '  {  }  ', '-12.5E+3', 'true',
             '{"email": 1, "x": [1], "email": "a@b.co", "x": 2, "e\\u0301": 3, "\\u00e9": 4}']  # a repeated key: first place, last value
    alphabet = list('{}[]",:.-+eE0123456789 \t\n\\/ufnalsrt') + ["\\u", "\\ud800", "null", "true", "1e", "0x", "\x1f", "\u00e9", "NaN", "é", "😀"]
    for _ in range(count):
        text = mutated(rng, rng.choice(seeds), alphabet)
        yield text, {name: issues(*send(server, "POST", "/auth/login", text, J)) for name, server in servers.items()}


def body_family(rng, servers, count):
    """The json family's mutated bodies, sent to every other route that reads JSON (FastAPI's
    own body reading, not the login's): tasks, categories, register, refresh and logout."""
    auth = {name: sign_up(server) for name, server in servers.items()}
    ids = {name: (send(server, "POST", "/tasks", json.dumps({"title": "t"}), auth[name])[1]["id"],
                  send(server, "POST", "/categories", json.dumps({"name": "body-family"}), auth[name])[1]["id"]) for name, server in servers.items()}
    seeds = ['{"title": "a", "description": "b", "status": "todo", "priority": "high"}', '{"name": "Work"}', '{"refresh_token": "x"}',
             '{"email": "a@b.co", "password": "password1", "full_name": null}', '[{"title": 1}]', '"text"', '{"title": "\u00e9\n", "due_date": "2026-12-01T10:00:00Z"}',
             '{"title": "a", "title": 5, "x": 1, "x": {"y": 1, "z": [], "y": 2}}']
    alphabet = list('{}[]",:.-+eE0123456789 \t\n\\/ufnalsrt') + ["\\u", "\\ud800", "null", "true", "1e", "\x1f", "\u00e9", "é", "😀"]
    routes = [("POST", "/tasks"), ("PATCH", "/tasks/{task}"), ("POST", "/categories"), ("PATCH", "/categories/{category}"), ("POST", "/auth/register"),
              ("POST", "/auth/refresh"), ("POST", "/auth/logout")]
    run = uuid.uuid4().hex[:8]
    for index in range(count):
        # An address of this run's own before any mutation, so that a registration, however
        # mangled, meets no earlier run's user and leaves none another family could log in as.
        text = mutated(rng, rng.choice(seeds).replace("a@b.co", "body-%s-%d@b.co" % (run, index)), alphabet)
        method, template = rng.choice(routes)
        answers = {}
        for name, server in servers.items():
            path = template.replace("{task}", ids[name][0]).replace("{category}", ids[name][1])
            status, reply = send(server, method, path, text, auth[name])
            answers[name] = issues(status, reply if status >= 400 else None)
        yield method + " " + template + " " + text, answers


def query_family(rng, servers, count):
    auth = {name: sign_up(server) for name, server in servers.items()}
    titles = ["Alpha", "beta", "Gamma ray", "délta", "Straße", "İstanbul", "100% done", "a_b", "zeta", "Écrire", "ΣΟΦΙΑ", "emoji 😀", "  x", "Zulu",
              "kilo", "KILO", "ﬁsh", "e\u0301clair"]
    layout = random.Random(7)
    for index, title in enumerate(titles * 2):
        task = {"title": title + (" %d" % index if index >= len(titles) else "")}
        if layout.random() < 0.5: task["status"] = layout.choice(["todo", "in_progress", "done"])
        if layout.random() < 0.5: task["priority"] = layout.choice(["low", "medium", "high"])
        if layout.random() < 0.6: task["due_date"] = "2026-12-%02dT%02d:00:00Z" % (layout.randint(1, 28), layout.randint(0, 23))
        if layout.random() < 0.6: task["category_name"] = layout.choice(["Work", "home", "WORK", "Ärger", "ärger"])
        if layout.random() < 0.4: task["description"] = layout.choice(["some words", "Straße notes", "ALPHA in desc", "percent % sign"])
        for name, server in servers.items():
            assert send(server, "POST", "/tasks", json.dumps(task), auth[name])[0] == 201
        time.sleep(0.003)  # distinct created_at milliseconds
    categories = {name: [c["id"] for c in send(server, "GET", "/categories", None, auth[name])[1]] for name, server in servers.items()}
    values = {
        "status": ["todo", "done", "in_progress", "DONE", "", "x", " todo"], "priority": ["low", "high", "medium", "HIGH", "", "3"],
        "category": ["work", "WORK", "ärger", "ÄRGER", "home", "nope", "", " work"], "category_id": ["@0", "@1", "x", "", str(uuid.UUID(int=0))],
        "q": ["a", "A", "straße", "STRASSE", "ss", "%", "_", "", " ", "istanbul", "İ", "ı", "σοφια", "😀", "e\u0301", "é", "fi", "kilo", "desc"],
        "due_before": ["2026-12-15T00:00:00Z", "2026-12-15", "2026-12-15T00:00:00", "x", "", "2026-12-15T00:00:00+05:00", "2026-12-15 00:00:00Z"],
        "due_after": ["2026-12-10T00:00:00Z", "2026-12-10T00:00:00.5-01:00", "bad", ""],
        "sort": ["created_at", "-created_at", "title", "-title", "updated_at", "-updated_at", "priority", "-priority", "due_date", "-due_date",
                 "bogus", "", "--title", "+title", "Title"],
        "limit": ["1", "5", "20", "100", "0", "101", "-1", "abc", "", "1.0", " 5", "+5", "0x10", "٣"],
        "offset": ["0", "1", "3", "30", "1000", "-1", "x", "", "1e2", "+1", "01"],
    }
    # Ways clients write a query's text: escaped, with a space as +, every byte escaped, or as
    # it is (a raw + and %); names too, now and then, and the path itself.
    encodings = [lambda t: urllib.parse.quote(t, safe=""), lambda t: urllib.parse.quote_plus(t, safe=""),
                 lambda t: "".join("%%%02X" % b for b in t.encode()), lambda t: urllib.parse.quote(t, safe="%+ ").replace(" ", "+")]
    paths = ["/tasks", "/t%61sks", "/%74asks", "/tasks#top"]
    for _ in range(count):
        chosen = [(key, rng.choice(values[key])) for key in (rng.choice(list(values)) for _ in range(rng.randint(1, 4)))]
        written = [(rng.choice(encodings) if rng.random() < 0.2 else (lambda t: t), rng.choice(encodings)) for _ in chosen]
        path = rng.choice(paths) if rng.random() < 0.2 else "/tasks"
        answers = {}
        for name, server in servers.items():
            ids = categories[name]
            query = "&".join(name_as(key) + "=" + value_as(ids[int(v[1]) % len(ids)] if v.startswith("@") else v) for (key, v), (name_as, value_as) in zip(chosen, written))
            target = path.replace("#", "?" + query + "#") if "#" in path else path + "?" + query
            status, body = send(server, "GET", target, None, auth[name])
            if isinstance(body, dict) and "items" in body:
                body = (body["total"], body["limit"], body["offset"], [(t["title"], t["status"], t["priority"], (t["category"] or {}).get("name"), t["due_date"]) for t in body["items"]])
            answers[name] = issues(status, body)
        yield SentQuery(chosen, target), answers


class SentQuery(list):
    """A query's parameters, shown as the target sent (to the last server) when it differs."""
    def __init__(self, parameters, target):
        super().__init__(parameters)
        self.target = target

    def __repr__(self):
        return self.target


def random_text(rng):
    pieces = ["a", "Z", " ", "\t", "\n", "é", "e\u0301", "😀", "\u200b", "\u00a0", "\u3000", "ß", "İ", "\x00", "\x7f", "\u2028", "\ufeff", "x" * 50, "\\", '"']
    roll = rng.random()
    if roll < 0.15: return ""
    if roll < 0.25: return rng.choice(["  ", "\t\n", "\u00a0", "\u3000 ", "\u200b", "\ufeff", "\u2028"])
    if roll < 0.35: return rng.choice(["a", "é", "😀"]) * rng.choice([49, 50, 51, 199, 200, 201, 9999, 10000, 10001])
    if roll < 0.45: return " " + "x" * rng.choice([199, 200, 49, 50]) + " "
    return "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))


def task_family(rng, servers, count):
    auth = {name: sign_up(server) for name, server in servers.items()}
    choices = {
        "status": ["todo", "in_progress", "done", "DONE", "Todo", " todo", "", "in-progress"], "priority": ["low", "medium", "high", "HIGH", "", "urgent"],
        # Numbers are left out: a Unix timestamp as due_date is an intended difference.
        "due_date": ["2026-12-01T10:00:00Z", "2026-12-01T10:00:00+02:00", "2026-12-01", "2026-12-01T10:00:00", "x", "", "2026-12-01T10:00:00.123456Z",
                     "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2026-12-01T10:00:00-00:00", " 2026-12-01T10:00:00Z"],
    }
    for _ in range(count):
        body = {}
        for field in ["title", "description", "status", "priority", "due_date", "category_name"]:
            if rng.random() < 0.45:
                roll = rng.random()
                if roll < 0.08: body[field] = None
                elif roll < 0.14: body[field] = rng.choice([True, False, [], {}, [1], {"a": 1}] + ([] if field == "due_date" else [0, 1, -1, 2.5, 10**20]))
                else: body[field] = rng.choice(choices[field]) if field in choices else random_text(rng)
        text = json.dumps(body, ensure_ascii=rng.random() < 0.5)
        method = rng.choice(["POST", "PATCH"])
        answers = {}
        for name, server in servers.items():
            path = "/tasks"
            if method == "PATCH":
                base = {"title": "base", "category_name": "Base", "due_date": "2026-12-01T10:00:00Z", "description": "d"}
                path += "/" + send(server, "POST", "/tasks", json.dumps(base), auth[name])[1]["id"]
            status, reply = send(server, method, path, text, auth[name])
            if isinstance(reply, dict) and "title" in reply:
                reply = ([reply.get(k) for k in ["title", "description", "status", "priority", "due_date", "version"]],
                         (reply.get("category") or {}).get("name"), reply.get("completed_at") is None)
            answers[name] = issues(status, reply)
        yield method + " " + text[:200], answers


def register_family(rng, servers, count):
    run = uuid.uuid4().hex[:6]
    # Every address holds this run's id, so that one run's users do not meet an earlier run's
    # in the old service's database; "x" * 58 and 59 make local parts of 64 and 65 characters.
    # Python's lower() makes a sigma that ends a word final ("ΑΣ-" is "ας-"), and "é" and "e" with
    # a combining accent are two addresses to the old service.
    locals_ = ["a", "A.B", "a+b", "a..b", ".a", "a.", "ü", "a b", '"a b"', "a@b", "", "x" * 58, "x" * 59, "Ω", "a_b-c", "😀", "a\tb", "\u200b",
               "ΑΣ-", "ΟΔΟΣ", "é", "e\u0301", "İ"]
    domains = ["example.com", "EXAMPLE.COM", "b", "b.c", "b..c", "-b.com", "b-.com", "bücher.de", "xn--bcher-kva.de", "b.c.", "[127.0.0.1]", "localhost",
               "b.123", "a" * 63 + ".com", "a" * 64 + ".com", "", "b_c.com", "ex ample.com", "例え.jp", "\u0301b.co", "b.\u0301co", "b\u0301."]
    for index in range(count):
        body = {}
        if rng.random() < 0.95:
            if rng.random() < 0.1:
                body["email"] = rng.choice([None, 5, [], "", " ", "@", "a@", "@b.c", "a@@b.c", "a@b@c.d"])
            else:
                email = "%s%s%s@%s" % (rng.choice(locals_), run, str(index) if rng.random() < 0.7 else "", rng.choice(domains))
                padding = rng.choice(["  ", " \t", "\x1c", "\x1f ", "\u3000"])  # Python's strip() takes U+001C to U+001F too
                body["email"] = (padding + email + padding[::-1] if rng.random() < 0.1 else email) if rng.random() < 0.95 else "x" * 250 + email
        if rng.random() < 0.95:
            body["password"] = rng.choice(["password123", "short", "", "p" * 72, "p" * 73, "é" * 36, "é" * 37, "😀" * 18, "😀" * 19, None, 12345678, " " * 8])
        if rng.random() < 0.4:
            body["full_name"] = rng.choice([None, "Ada", "", " ", "x" * 100, "x" * 101, "é" * 100, 5, "\n"])
        text = json.dumps(body, ensure_ascii=rng.random() < 0.5)
        answers = {}
        for name, server in servers.items():
            status, reply = send(server, "POST", "/auth/register", text, J)
            answers[name] = issues(status, (reply["email"], reply["full_name"]) if status == 201 else reply)
        yield text[:200], answers


def cannot_agree(request, answers):
    """The differences the docstring lists: intended, or not for taskd to match."""
    # A lone surrogate in a decoded string shows as \\udXXX in its repr; a pair is one printable character.
    if re.search(r"\\ud[89a-f][0-9a-f]{2}", str(answers["reference"])):
        return True
    if "NaN" in str(request) or "Infinity" in str(request):
        return True
    # The old service failed (a number too large for a float, 1e400, is one way); taskd may not.
    if answers["reference"][0] == 500 and answers["taskd"][0] < 500:
        return True
    if isinstance(request, str) and request[:2].find("\x00") >= 0:
        return True
    # HEAD is answered wherever GET is; the old service answered 405.
    if isinstance(request, str) and request.startswith("HEAD ") and answers["reference"][0][0] == 405:
        return True
    mine, theirs = answers["taskd"], answers["reference"]
    # The same tasks in another order, sorted on a key where tasks tie (titles and creation times
    # are all distinct here).
    if isinstance(request, list) and mine[0] == theirs[0] == 200 and mine[1][:3] == theirs[1][:3]:
        sort = [value for key, value in request if key == "sort"][-1:] or ["-created_at"]
        key = {"priority": 2, "due_date": 4}.get(sort[0].lstrip("-"))
        if key is not None and [task[key] for task in mine[1][3]] == [task[key] for task in theirs[1][3]]:
            return True
    return False


def category_family(rng, servers, count):
    """Names that PostgreSQL's lower() and Unicode case mapping might part on, created, renamed
    and listed in the same order on both servers: each 409 and each listing must agree."""
    auth = {name: sign_up(server) for name, server in servers.items()}
    letters = ["a", "A", "ß", "ẞ", "İ", "i", "ı", "I", "Σ", "σ", "ς", "K", "k", "Ǆ", "ǅ", "ǆ", "Ω", "ω", "é", "É", "e\u0301", "ﬁ", "Ａ", "ａ", "Ⅻ", "ⅻ",
               "Ꭰ", "ꭰ", "Ա", "ա", "𐐀", "𐐨", " ", "\t", "\u00a0", "\u200b", "1", "_", "%"]
    for _ in range(count):
        name = "".join(rng.choice(letters) for _ in range(rng.randint(1, 3)))
        if rng.random() < 0.05:
            name = rng.choice(["", "   ", "x" * 50, "x" * 51, " " + "x" * 50 + " ", "é" * 50, "😀" * 51])
        rename = rng.random() < 0.3
        pick = rng.random()  # drawn once: both servers rename the category at the same place in their listing
        answers = {}
        for server_name, server in servers.items():
            listed = send(server, "GET", "/categories", None, auth[server_name])[1]
            if rename and listed:
                target = listed[int(pick * len(listed))]["id"]
                status, reply = send(server, "PATCH", "/categories/" + target, json.dumps({"name": name}), auth[server_name])
            else:
                status, reply = send(server, "POST", "/categories", json.dumps({"name": name}), auth[server_name])
            if isinstance(reply, dict) and "name" in reply:
                reply = reply["name"]
            after = [c["name"] for c in send(server, "GET", "/categories", None, auth[server_name])[1]]
            answers[server_name] = (issues(status, reply), after)
        yield ("PATCH " if rename else "POST ") + name, answers


def lifecycle_family(rng, servers, count):
    """Random sequences of creates, updates and deletes of tasks and categories, the same on
    both servers; after each, its answer and both users' whole state must agree: every task's
    fields, version, category, whether completed_at and updated_at moved, and each category's
    task_count."""
    auth = {name: sign_up(server) for name, server in servers.items()}
    tasks = {name: [] for name in servers}       # ids in creation order, the same index on both
    categories = {name: [] for name in servers}
    seen = {name: {} for name in servers}         # task id: (completed_at, updated_at) last seen
    names = ["Work", "work", "WORK", "Home", "home ", "Ärger", "ärger", "Straße", "STRASSE", "x"]
    serial = 0
    for _ in range(count):
        roll = rng.random()
        pick = rng.random()
        if roll < 0.3 or not tasks["taskd"]:
            serial += 1
            body = {"title": "t%03d" % serial}
            for field, values in [("status", ["todo", "in_progress", "done"]), ("priority", ["low", "medium", "high"]),
                                  ("category_name", names + [None]), ("due_date", ["2026-12-01T10:00:00Z", None])]:
                if rng.random() < 0.4:
                    body[field] = rng.choice(values)
            op = ("POST", "/tasks", None, body)
        elif roll < 0.7:
            body = {}
            for field, values in [("status", ["todo", "in_progress", "done"]), ("priority", ["low", "high"]), ("category_name", names + [None]),
                                  ("title", ["renamed %d" % serial]), ("description", ["d", None]), ("due_date", ["2026-12-02T10:00:00Z", None])]:
                if rng.random() < 0.35:
                    body[field] = rng.choice(values)
            op = ("PATCH", "/tasks/", "task", body)
        elif roll < 0.8:
            op = ("DELETE", "/tasks/", "task", None)
        elif roll < 0.88:
            op = ("POST", "/categories", None, {"name": rng.choice(names)})
        elif roll < 0.95:
            op = ("PATCH", "/categories/", "category", {"name": rng.choice(names)})
        else:
            op = ("DELETE", "/categories/", "category", None)
        method, path, target, body = op
        answers = {}
        for name, server in servers.items():
            ids = {"task": tasks[name], "category": categories[name]}.get(target)
            if ids is not None and not ids:
                answers[name] = "nothing to " + method
                continue
            url = path + (ids[int(pick * len(ids))] if ids is not None else "")
            status, reply = send(server, method, url, None if body is None else json.dumps(body), auth[name])
            if method == "POST" and status == 201:
                (tasks if path == "/tasks" else categories)[name].append(reply["id"])
            if method == "DELETE" and status == 204:
                ids.remove(url.rsplit("/", 1)[1])
            listed = send(server, "GET", "/tasks?limit=100&sort=created_at", None, auth[name])[1]["items"]
            state = []
            for task in listed:
                before = seen[name].get(task["id"], (None, None))
                state.append((task["title"], task["description"], task["status"], task["priority"], task["due_date"], task["version"],
                              (task["category"] or {}).get("name"), task["completed_at"] is None, task["completed_at"] == before[0],
                              task["updated_at"] == before[1]))
                seen[name][task["id"]] = (task["completed_at"], task["updated_at"])
            cats = [(c["name"], c["task_count"]) for c in send(server, "GET", "/categories", None, auth[name])[1]]
            if isinstance(reply, dict):
                reply = {k: v for k, v in reply.items() if k in ("title", "status", "version", "name", "task_count", "detail")}
            answers[name] = (issues(status, reply), state, cats)
        yield "%s %s %s" % (method, path + (target or ""), json.dumps(body, ensure_ascii=False)), answers
        time.sleep(0.002)  # distinct created_at and updated_at milliseconds


def multipart_family(rng, servers, count):
    """Login forms as multipart/form-data with random boundaries (empty, quoted, repeated),
    parts (files, no name, a name given twice, extra headers, values holding dashes or line
    ends) and damage (a cut, LF for CRLF): every 400's detail and 422's issues must agree."""
    email = "multipart-%s@example.com" % uuid.uuid4().hex[:12]
    for server in servers.values():
        send(server, "POST", "/auth/register", json.dumps({"email": email, "password": "password123"}), J)
    boundaries = ["", "B", "BND", "a b", "--", "x" * 70, "-B-", "B'C", "x" * 257, "bä"]
    values = [email, "password123", "wrong password", "", "x--y", "a\r\nb", "--B", " padded ", "pässword1", "--B \t\r\n"]
    damage = list('\r\n-: \t;="\\') + ["\r\n", "--", "é"]
    for _ in range(count):
        boundary = rng.choice(boundaries)
        written = rng.choice(['boundary=%s', 'boundary="%s"', 'BOUNDARY=%s', 'boundary=other; boundary=%s', 'boundary=%s; charset=utf-8', ' boundary = %s'])
        content_type = rng.choice(["multipart/form-data; ", "multipart/form-data;", "Multipart/Form-Data; "]) + written % boundary
        if rng.random() < 0.2:
            content_type += rng.choice(["; charset=latin-1", "; charset=UTF8", "; charset=ascii", "; charset=nonesuch", '; charset="utf-8"'])
        if rng.random() < 0.05:
            content_type = "multipart/form-data"
        body = ""
        for _ in range(rng.randint(0, 4)):
            name = rng.choice(["username", "password", "scope", "user name", "", "näme"])
            disposition = rng.choice(['form-data; name="%s"', "form-data; name=%s", 'form-data; name="%s"; filename="f.txt"', 'form-data; name="x"; name="%s"',
                                      "form-data", 'attachment; name="%s"']).replace("%s", name)
            headers = ["Content-Disposition: " + disposition] if rng.random() < 0.9 else []
            for _ in range(rng.choice([0, 0, 0, 1, 8])):
                headers.insert(rng.randint(0, len(headers)), rng.choice(["Content-Type: text/plain", "X-Long: " + "x" * rng.choice([10, 4214, 4216]), "X(A: 1", "X!#$%&'*+-.^_`|~: 1"]))
            body += "--%s\r\n%s\r\n\r\n%s\r\n" % (boundary, "\r\n".join(headers), rng.choice(values))
        body += rng.choice(["--%s--\r\n", "--%s--", "--%s", ""]).replace("%s", boundary)
        roll = rng.random()
        if roll < 0.1:
            body = body[:rng.randint(0, len(body))]
        elif roll < 0.15:
            body = body.replace("\r\n", "\n", 1)
        elif roll < 0.45:
            for _ in range(rng.randint(1, 3)):
                at = rng.randint(0, len(body))
                body = body[:at] + rng.choice(damage) + body[at + rng.randint(0, 1):]
        if rng.random() < 0.2:
            body = body.encode("latin-1", errors="replace")
        answers = {}
        for name, server in servers.items():
            # As UTF-8: http.client would write a str field as Latin-1.
            status, reply = send(server, "POST", "/auth/login", body, {"Content-Type": content_type.encode()})
            answers[name] = issues(status, reply.get("token_type") if status == 200 else reply)
        yield content_type + " " + repr(body[:200]), answers


def form_family(rng, servers, count):
    """Login forms as application/x-www-form-urlencoded: random pieces of names, values,
    separators and escapes (ASCII only: unescaped non-ASCII bytes are an intended difference)."""
    email = "form-%s@example.com" % uuid.uuid4().hex[:12]
    for server in servers.values():
        send(server, "POST", "/auth/register", json.dumps({"email": email, "password": "password123"}), J)
    pieces = ["username=", "password=", "grant_type=", "scope=", email, email.replace("@", "%40"), "password123", "password+123", "&", "&&", "=", ";",
              "+", "%", "%2", "%26", "%3D", "%C3%A4", "%E4", "%zz", "%00", "%2B", "x", " ", "password", "grant_type=password", "grant_type=Password"]
    for _ in range(count):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        if rng.random() < 0.3:
            body = "username=%s&password=password123" % rng.choice([email, email.replace("@", "%40")]) + rng.choice(["", "&"]) + body
        if rng.random() < 0.02:
            body = "&".join("f%d=v" % n for n in range(rng.choice([999, 1000, 1001]))) + "&" + body
        answers = {}
        for name, server in servers.items():
            status, reply = send(server, "POST", "/auth/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
            answers[name] = issues(status, reply.get("token_type") if status == 200 else reply)
        yield body[:200], answers


def header_family(rng, servers, count):
    """Authorization and Content-Type fields as clients write them, right and wrong, on reads,
    writes, refresh and login: every status and detail must agree."""
    auth = {name: sign_up(server) for name, server in servers.items()}
    tokens = {name: value["Authorization"][len("Bearer "):] for name, value in auth.items()}
    schemes = ["Bearer %s", "bearer %s", "BEARER %s", "Bearer  %s", "Bearer\t%s", "Bearer %s ", " Bearer %s", "Bearer", "Bearer ", "Basic %s", "%s",
               "Bearer %sx", "Bearer %s.x", "Bearer x.y.z", "Token %s", "Bearer %s, Bearer %s", None]
    media = ["application/json", "APPLICATION/JSON", "application/json; charset=utf-8", "application/json;charset=latin-1", "application/vnd.api+json",
             "application/x-json", "text/json", "application/json-patch+json", "application/jsonx", " application/json", "application/json ", "",
             "text/plain", "application/*", "*/*", "application/x-www-form-urlencoded", "application/json; x", "application/merge-patch+json", None,
             "application/a/b+json", "application/json/x", "application/+json", "\tapplication/x+json", "application/json+",
             # UTF-8 bytes (http.client writes a str field as Latin-1): to the old service, Latin-1 text that strips to "Â".
             "application/json\u00a0".encode(), "\u00a0application/json".encode(), "application/json\u037e charset=x".encode(), "application/\u00e4+json".encode()]
    requests = [("GET", "/tasks", None), ("GET", "/categories", None), ("POST", "/tasks", '{"title": "t"}'), ("POST", "/categories", None),
                ("POST", "/auth/refresh", '{"refresh_token": "x"}'), ("POST", "/auth/login", '{"email": "a@b.co", "password": "password1"}'), ("GET", "/users/me", None)]
    for index in range(count):
        method, path, body = rng.choice(requests)
        if path == "/categories" and method == "POST":
            body = json.dumps({"name": "c%d" % index})
        scheme, content_type = rng.choice(schemes), rng.choice(media)
        answers = {}
        for name, server in servers.items():
            headers = {}
            if scheme is not None:
                headers["Authorization"] = scheme.replace("%s", tokens[name])
            if content_type is not None and body is not None:
                headers["Content-Type"] = content_type
            status, reply = send(server, method, path, body, headers)
            answers[name] = issues(status, reply if status >= 400 else None)
        yield "%s %s Authorization: %r Content-Type: %r" % (method, path, scheme, content_type), answers


def path_family(rng, servers, count):
    """Ids in paths, mangled: hyphens moved or dropped, braces, urn:uuid:, case, lengths,
    other characters (some whose low byte is a digit or a hyphen), escapes; on GET, PATCH and DELETE of tasks and categories. Ids of tasks
    that exist differ between the servers, so both get the same id of neither, or of their own."""
    auth = {name: sign_up(server) for name, server in servers.items()}
    own = {name: send(server, "POST", "/tasks", json.dumps({"title": "t"}), auth[name])[1]["id"] for name, server in servers.items()}
    alphabet = list("0123456789abcdefABCDEF-{}:g_ .%~") + ["urn:uuid:", "%2D", "%7B", "%20", "é", "%C3%A9", "--", "/",
                                                         # judged by their low byte: an "A", a "0", a hyphen, an "m"
                                                         "Ł", "İ", "ĭ", "ŭ", "%C5%81"]
    for _ in range(count):
        template = str(uuid.UUID(int=rng.getrandbits(128))) if rng.random() < 0.7 else "{own}"
        # An escape next to an id's own digits would make different characters on each server.
        pieces = [piece for piece in alphabet if "%" not in piece] if template == "{own}" else alphabet
        edits = [(rng.randint(0, 36), rng.choice(pieces), rng.random()) for _ in range(rng.randint(0, 3))]
        form = rng.choice([str, str.upper, lambda t: t.replace("-", ""), lambda t: "{" + t + "}", lambda t: "urn:uuid:" + t])
        method = rng.choice(["GET", "PATCH", "DELETE"])
        resource = rng.choice(["/tasks/", "/categories/"])
        answers, texts = {}, {}
        for name, server in servers.items():
            text = form(own[name] if template == "{own}" else template)
            for at, piece, roll in edits:
                at = min(at, len(text))
                text = text[:at] + piece + text[at + (1 if roll < 0.5 else 0):]
            texts[name] = text
            body = json.dumps({"title": "x"} if resource == "/tasks/" else {"name": "x"}) if method == "PATCH" else None
            status, reply = send(server, method, resource + urllib.parse.quote(text, safe="%/:{}~"), body, auth[name])
            answer = issues(status, reply if status >= 400 else None)
            if template == "{own}" and isinstance(answer[1], list):  # each echoes its own id
                answer = (answer[0], [issue[:3] + ("{own}",) + issue[4:] for issue in answer[1]])
            answers[name] = answer
        yield method + " " + resource + texts["taskd"], answers


def token_family(rng, servers, count):
    """Sequences of logins, refreshes and logouts with current, rotated, mangled and foreign
    tokens, and GET /users/me with the access tokens they gave: every status and detail must
    agree (reuse of a rotated token revokes the login; logout is 204 for any token)."""
    email = "token-%s@example.com" % uuid.uuid4().hex[:12]
    for server in servers.values():
        send(server, "POST", "/auth/register", json.dumps({"email": email, "password": "password123"}), J)
    operations = ["login", "refresh current", "refresh previous", "refresh first", "refresh mangled", "refresh access", "logout current",
                  "logout previous", "logout mangled", "me current", "me first", "refresh body", "logout body"]
    bodies = ["", "{}", '{"refresh_token": ""}', '{"refresh_token": null}', '{"refresh_token": 5}', '{"refresh_token": "  "}', "[]", '{"refresh_token": ["x"]}']
    state = {name: {"refresh": [], "access": []} for name in servers}
    for _ in range(count):
        operation = rng.choice(operations)
        body_choice, cut = rng.choice(bodies), rng.randint(1, 40)
        answers = {}
        for name, server in servers.items():
            tokens = state[name]
            if operation == "login" or not tokens["refresh"]:
                status, reply = send(server, "POST", "/auth/login", json.dumps({"email": email, "password": "password123"}), J)
                tokens["refresh"], tokens["access"] = [reply["refresh_token"]], [reply["access_token"]]
                answers[name] = status
                continue
            verb, which = operation.split(" ")
            pick = {"current": -1, "previous": -2, "first": 0}
            if verb == "me":
                token = tokens["access"][pick[which]]
                status, reply = send(server, "GET", "/users/me", None, {"Authorization": "Bearer " + token})
                answers[name] = issues(status, reply.get("email") if status == 200 else reply)
                continue
            if which == "body":
                text = body_choice
            else:
                token = {"mangled": tokens["refresh"][-1][:-cut] + "x", "access": tokens["access"][-1]}.get(which) or tokens["refresh"][pick[which] if len(tokens["refresh"]) > 1 or which != "previous" else -1]
                text = json.dumps({"refresh_token": token})
            status, reply = send(server, "POST", "/auth/" + verb, text, J)
            if status == 200:
                tokens["refresh"].append(reply["refresh_token"])
                tokens["access"].append(reply["access_token"])
                reply = sorted(reply)
            answers[name] = issues(status, reply)
        yield operation + (" " + body_choice if operation.endswith("body") else ""), answers


def route_family(rng, servers, count):
    """Methods and paths, known and not: trailing and doubled slashes, case, escapes, dots,
    unknown segments, a query. Status, detail, and the Allow and Location fields must agree."""
    auth = {name: sign_up(server) for name, server in servers.items()}
    ids = {name: send(server, "POST", "/tasks", json.dumps({"title": "t"}), auth[name])[1]["id"] for name, server in servers.items()}
    paths = ["/tasks", "/tasks/{id}", "/categories", "/categories/{id}", "/auth/login", "/auth/register", "/auth/refresh", "/auth/logout", "/users/me", "/users", "/users/me/",
             "/health", "/", "/openapi.json", "/docs", "/nope", "/tasks/{id}/x", "/auth", "/auth/", "/Tasks", "/tasks/", "//tasks", "/tasks//", "/t%61sks",
             "/tasks%2F{id}", "/./tasks", "/tasks/.", "/tasks/..", "/categories/", "/health/", "/tasks?x=1", "/tasks/?limit=1", "/%7Bid%7D"]
    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"]
    for _ in range(count):
        method, template = rng.choice(methods), rng.choice(paths)
        answers = {}
        for name, server in servers.items():
            path = template.replace("{id}", ids[name])
            headers = dict(auth[name])
            status, data, fields = contract_diff.exchange(server, method, path, json.dumps({"title": "x"}) if method in ("POST", "PUT", "PATCH") else None, headers)
            try:
                reply = json.loads(data) if data and status >= 300 else None
            except ValueError:
                reply = ("not JSON", data[:40])
            # Intended: taskd's Location is relative, its Allow lists every method of the path.
            location = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "{id}", re.sub(r"^https?://[^/]+", "", fields.get("location", "")))
            answers[name] = (issues(status, reply), fields.get("allow"), location)
        mine, theirs = answers["taskd"][1], answers["reference"][1]
        if mine and theirs and set(theirs.split(", ")) <= set(mine.split(", ")):
            answers["taskd"], answers["reference"] = answers["taskd"][::2], answers["reference"][::2]
        yield method + " " + template, answers


FAMILIES = {"json": json_family, "body": body_family, "query": query_family, "task": task_family, "register": register_family, "category": category_family,
            "lifecycle": lifecycle_family, "multipart": multipart_family, "form": form_family,
            "header": header_family, "path": path_family,
            "route": route_family, "token": token_family}


def main():
    args = sys.argv[1:]
    options = {"--seed": "1", "--count": "500", "--family": ",".join(FAMILIES)}
    positional = []
    while args:
        arg = args.pop(0)
        if arg in options and args:
            options[arg] = args.pop(0)
        elif arg.startswith("-"):
            sys.exit(__doc__)
        else:
            positional.append(arg)
    if not positional:
        sys.exit(__doc__)
    servers = {"taskd": connection(positional[0]), "reference": connection(positional[1] if len(positional) > 1 else "http://127.0.0.1:8000")}
    count, seed = int(options["--count"]), int(options["--seed"])
    unexpected = 0
    for family in options["--family"].split(","):
        rng = random.Random("%s-%d" % (family, seed))
        differing, set_aside, shown = 0, 0, 0
        for request, answers in FAMILIES[family](rng, servers, count):
            if answers["taskd"] == answers["reference"]:
                continue
            if cannot_agree(request, answers):
                set_aside += 1
                continue
            differing += 1
            if shown < 10:
                shown += 1
                print("DIFFERENT %s %r\n    taskd:     %s\n    reference: %s" % (family, request, str(answers["taskd"])[:400], str(answers["reference"])[:400]))
        print("%s: %d requests each, %d different, %d set aside as intended or unmatchable" % (family, count, differing, set_aside))
        unexpected += differing
    sys.exit(1 if unexpected else 0)


if __name__ == "__main__":
    main()
