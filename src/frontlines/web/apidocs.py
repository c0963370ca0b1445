"""The API reference at /docs: the OpenAPI document as one plain page (no CDN-hosted Swagger UI)."""

import html
import re
from typing import Any


def docs_page(schema: dict[str, Any]) -> str:
    """A browsable reference built from the OpenAPI document (no CDN-hosted Swagger UI)."""
    e = html.escape
    info = schema["info"]
    parts = [f"<h1>{e(info['title'])} {e(info['version'])}: API</h1>",
             f"<p>{_prose(info.get('description', ''))}</p>",
             '<p>Machine-readable: <a href="/openapi.json">/openapi.json</a>. The map: <a href="/">/</a>.</p>']
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            parts.append(f'<section class="op"><h2><code>{e(method.upper())} {e(path)}</code></h2>'
                         f"<p><strong>{e(op.get('summary', ''))}</strong></p>"
                         f"<p>{_prose(op.get('description', ''))}</p>{_parameters(op, schema)}"
                         f"{_responses(op)}</section>")
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{e(info["title"])} API</title><link rel="icon" href="data:,">'
            '<link rel="stylesheet" href="/static/app.css"></head>'
            f'<body class="apidocs">{"".join(parts)}</body></html>\n')


def _parameters(op: dict, schema: dict) -> str:
    rows = [(p["name"], p["in"], p.get("required", False), p.get("schema", {}), p.get("description", ""))
            for p in op.get("parameters", [])]
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    if "$ref" in body:
        model = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
        rows += [(name, "body (JSON)", name in model.get("required", []), field, field.get("description", ""))
                 for name, field in model.get("properties", {}).items()]
    if not rows:
        return ""
    cells = "".join(f"<tr><td><code>{html.escape(name)}</code></td><td>{html.escape(where)}</td>"
                    f"<td>{'required' if required else ''}</td><td>{html.escape(_type(field, schema))}</td>"
                    f"<td>{html.escape(text)}</td></tr>" for name, where, required, field, text in rows)
    return ("<table><thead><tr><th>parameter</th><th>in</th><th></th><th>type</th><th>meaning</th>"
            f"</tr></thead><tbody>{cells}</tbody></table>")


def _prose(text: str) -> str:
    """Escaped text with its `code` spans marked up."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def _type(field: dict, schema: dict) -> str:
    if "enum" in field:
        return " | ".join(str(v) for v in field["enum"])
    if "anyOf" in field:
        return " | ".join(_type(f, schema) for f in field["anyOf"])
    if "$ref" in field:
        return _type(schema["components"]["schemas"][field["$ref"].rsplit("/", 1)[-1]], schema)
    kind = field.get("type", "any")
    bounds = [f"{word} {field[key]}" for key, word in (("minimum", "≥"), ("maximum", "≤")) if key in field]
    return " ".join([kind, *([field["format"]] if "format" in field else []), *bounds])


def _responses(op: dict) -> str:
    items = "".join(f"<li><code>{html.escape(str(code))}</code> {html.escape(r.get('description', ''))}</li>"
                    for code, r in op.get("responses", {}).items())
    return f"<ul class=\"responses\">{items}</ul>"
