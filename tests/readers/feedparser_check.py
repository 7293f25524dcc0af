"""Reads each feed URL with Debian's python3-feedparser and prints what a reader would see, as JSON.

Run with /usr/bin/python3 (Debian's Python, where python3-feedparser is installed). Debian's
feedparser (6.0.10) predates JSON Feed support, so JSON Feed URLs are checked against the JSON Feed 1.1
specification here instead and reported in the same shape.
"""
import json
import sys
import urllib.request
from datetime import datetime

import feedparser

JSON_FEED_1_1 = "https://jsonfeed.org/version/1.1"


def rfc3339(value):
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True
    except (AttributeError, ValueError):
        return False


def json_feed_view(url):
    with urllib.request.urlopen(url) as response:
        status = response.status
        media_type = response.headers.get("content-type", "")
        feed = json.loads(response.read().decode("utf-8"))
    problems = []
    if not media_type.startswith("application/feed+json"):
        problems.append(f"media type {media_type}")
    if feed.get("version") != JSON_FEED_1_1:
        problems.append(f"version {feed.get('version')}")
    for key in ("title", "home_page_url", "feed_url"):
        if not isinstance(feed.get(key), str):
            problems.append(f"feed {key} missing")
    if not isinstance(feed.get("authors"), list) or not feed["authors"]:
        problems.append("feed authors missing")
    if "author" in feed:
        problems.append("deprecated author")
    entries = []
    for item in feed.get("items", []):
        if not isinstance(item.get("id"), str):
            problems.append("item without id")
        for key in ("date_published", "date_modified"):
            if key in item and not rfc3339(item[key]):
                problems.append(f"item {key} {item[key]} is not RFC 3339")
        entries.append({
            "title": item.get("title"),
            "link": item.get("url"),
            "id": item.get("id"),
            "published": rfc3339(item.get("date_published")),
            "updated": rfc3339(item.get("date_modified")),
            "summary": len(item.get("summary") or ""),
            "content": len(item.get("content_html") or item.get("content_text") or ""),
            "tags": item.get("tags") or [],
            "media": [item["image"]] if isinstance(item.get("image"), str) else [],
            "language": item.get("language"),
            "authors": [
                {k: v for k, v in (("name", a.get("name")), ("href", a.get("url"))) if v}
                for a in item.get("authors") or []
            ],
        })
    return {
        "url": url,
        "status": status,
        "bozo": bool(problems),
        "bozo_exception": "; ".join(problems),
        "version": "json11" if feed.get("version") == JSON_FEED_1_1 else "",
        "title": feed.get("title"),
        "link": feed.get("home_page_url"),
        "language": feed.get("language"),
        "entries": entries,
    }


def entry_view(entry):
    content = entry.get("content") or []
    return {
        "title": entry.get("title"),
        "link": entry.get("link"),
        "id": entry.get("id"),
        "published": entry.get("published_parsed") is not None,
        "updated": entry.get("updated_parsed") is not None,
        "summary": len(entry.get("summary") or ""),
        "content": sum(len(c.get("value") or "") for c in content),
        "tags": [t.get("term") for t in entry.get("tags") or []],
        "media": [m.get("url") for m in entry.get("media_content") or []]
        + [e.get("href") for e in entry.get("enclosures") or []]
        + ([entry["image"]] if isinstance(entry.get("image"), str) else []),
        "language": (content[0].get("language") if content else None) or entry.get("language"),
        "authors": [{k: a[k] for k in ("name", "email", "href") if a.get(k)} for a in entry.get("authors") or []],
    }


def feed_view(url):
    parsed = feedparser.parse(url)
    return {
        "url": url,
        "status": parsed.get("status"),
        "bozo": bool(parsed.bozo),
        "bozo_exception": str(parsed.get("bozo_exception") or ""),
        "version": parsed.version,
        "title": parsed.feed.get("title"),
        "link": parsed.feed.get("link"),
        "language": parsed.feed.get("language"),
        "entries": [entry_view(e) for e in parsed.entries],
    }


print(json.dumps([json_feed_view(u) if u.endswith(".json") else feed_view(u) for u in sys.argv[1:]], ensure_ascii=False))
