"""The framework-model library: versioned YAML content (library/framework/) shipped with eISO.

`framework_documents(context)` reads the manifest and renders each document's text with the agency's
data (Django template syntax, no autoescape: the output is plain text, escaped when displayed).
"""

from functools import lru_cache
from pathlib import Path

import yaml
from django.template import Context, Engine

LIBRARY_DIR = Path(__file__).resolve().parent / "library" / "framework"
_ENGINE = Engine(autoescape=False)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when PyYAML has it: 10x faster
TEXT_KEYS = ("title", "purpose", "scope", "content", "heading", "body", "action", "responsible", "duration",
             "output", "description", "name", "place", "retention", "term", "meaning")


@lru_cache(maxsize=1)
def _raw_library() -> tuple[dict, tuple]:
    """Parsed YAML (immutable package data, so caching it per process holds no mutable state)."""
    def load(name: str):
        return yaml.load((LIBRARY_DIR / name).read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 — safe  # nosec B506

    manifest = load("manifest.yaml")
    documents = tuple(load(name) for name in manifest["documents"])
    return manifest, documents


def framework_manifest() -> dict:
    return _raw_library()[0]


def _render(value, context: Context):
    if isinstance(value, str):
        return _ENGINE.from_string(value).render(context).strip() if ("{{" in value or "{%" in value) else value
    if isinstance(value, list):
        return [_render(v, context) for v in value]
    if isinstance(value, dict):
        return {k: _render(v, context) for k, v in value.items()}
    return value


def framework_documents(context: dict) -> list[dict]:
    """Every framework document rendered for one agency. Context keys: agency, head, coordinator,
    units, year (see library/framework/*.yaml)."""
    ctx = Context(context)
    return [_render(document, ctx) for document in _raw_library()[1]]
