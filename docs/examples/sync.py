"""A local copy of the incident feed: load the newest full dump, then keep it up to date.

    python sync.py https://tracker.example.org [TOKEN]

Without a token the copy holds what the public sees; with a researcher's token, what
researchers see. Needs pandas and requests. Values stay as the API sends them (dates as
ISO 8601 text: ``pd.to_datetime(copy["updated_at"])`` when you need them as dates).
"""

import datetime
import email.utils
import gzip
import hashlib
import json
import sys

import pandas as pd
import requests

KEY = ["kind", "id"]  # a raid and a detention may share an id
OVERLAP = datetime.timedelta(minutes=5)  # docs/api.md, "Incremental sync"


def session_for(token: str | None = None) -> requests.Session:
    session = requests.Session()
    if token:
        session.headers["Authorization"] = f"Token {token}"
    return session


def get(session: requests.Session, url: str, **params) -> requests.Response:
    response = session.get(url, params=params, timeout=600)
    response.raise_for_status()
    return response


def load_dump(session: requests.Session, base: str) -> tuple[pd.DataFrame, str]:
    """The newest dump of the incidents, checked whole, and where to sync from."""
    files = get(session, f"{base}/api/v1/dumps/").json()["results"]
    newest = next(f for f in files if (f["collection"], f["format"]) == ("incidents", "ndjson"))
    body = get(session, newest["url"]).content  # a redirect to the store is followed
    if len(body) != newest["size"] or hashlib.sha256(body).hexdigest() != newest["sha256"]:
        raise RuntimeError("The dump arrived cut or changed: download it again.")
    rows = [json.loads(line) for line in gzip.decompress(body).splitlines()]
    return pd.DataFrame(rows), newest["updated_since"]


def sync(session: requests.Session, base: str, copy: pd.DataFrame, since: str):
    """Apply the changes since ``since``; return the copy and the next ``since``."""
    first = get(session, f"{base}/api/v1/")
    now = email.utils.parsedate_to_datetime(first.headers["Date"])
    changed, url = [], f"{base}/api/v1/incidents/"
    params = {"updated_since": since, "page_size": 5000}
    while url:
        page = get(session, url, **params).json()
        changed += page["results"]
        url, params = page["next"], {}  # the next link carries the parameters
    if changed:
        copy = pd.concat([copy, pd.DataFrame(changed)], ignore_index=True)
        copy = copy.drop_duplicates(subset=KEY, keep="last")
    gone, url, params = [], f"{base}/api/v1/deletions/", {"since": since, "page_size": 5000}
    while url:
        page = get(session, url, **params).json()
        gone += [(row["kind"], row["id"]) for row in page["results"]]
        url, params = page["next"], {}
    if gone:
        copy = copy[~copy.set_index(KEY).index.isin(gone)]
    copy = copy.sort_values(KEY, ignore_index=True)
    return copy, (now - OVERLAP).isoformat()


if __name__ == "__main__":
    base, token = sys.argv[1].rstrip("/"), (sys.argv[2] if len(sys.argv) > 2 else None)
    session = session_for(token)
    incidents, since = load_dump(session, base)
    incidents, since = sync(session, base, incidents, since)
    print(f"{len(incidents)} incidents; next time, sync from {since}")
