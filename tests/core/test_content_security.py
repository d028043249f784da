"""Our own templates must live within the Content-Security-Policy: no inline script, no
inline style, no event-handler attributes, nothing from another origin."""

import re
from pathlib import Path

import pytest

TEMPLATES = sorted((Path(__file__).resolve().parents[2] / "seedbed" / "templates").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_templates_have_no_inline_script_style_or_handlers(template):
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert not re.search(r"\sstyle\s*=", text), "inline style attribute"
    assert not re.search(r"<style", text), "inline <style>"
    assert not re.search(r"\son[a-z]+\s*=", text), "event-handler attribute"
    assert not re.search(r"(src|href)=\"(https?:)?//", text), "a resource from another origin"


@pytest.mark.django_db
def test_pages_are_served_with_a_strict_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
