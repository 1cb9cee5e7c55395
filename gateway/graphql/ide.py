"""GraphiQL served by the gateway itself: the page and its assets, no CDN.

The assets are the UMD builds of exactly the npm versions pinned in
`gateway/graphql/ide/package.json` (+ `package-lock.json`), installed into
`gateway/graphql/ide/node_modules` by `scripts/install-node-assets`. Only the files in
`ASSETS` are served, at `/graphql/assets/<name>`; the page pins each script and
stylesheet with its Subresource Integrity hash (the same hashes the upstream GraphiQL
template uses with unpkg), so a different or corrupted install is refused by the browser
instead of running. Without node_modules the asset route answers 503 with a message
saying what to run, and the page says so too instead of staying blank.

`graphiql_html()` is what the GraphQL view answers to `GET /graphql` with
`Accept: text/html`; `ide_routes()` goes into the application's routes;
`graphiql_headers()` is an optional set of response headers for that page (a
Content-Security-Policy that allows exactly this page and nothing from elsewhere).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

IDE_DIR = Path(__file__).resolve().parent / "ide"
NODE_MODULES = IDE_DIR / "node_modules"
ASSETS_PATH = "/graphql/assets"

JS = "text/javascript; charset=utf-8"
CSS = "text/css; charset=utf-8"
SOURCE_MAP = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Asset:
    path: str  # inside node_modules
    content_type: str
    integrity: str | None = None  # SRI of the pinned version; None for source maps

    @property
    def version_tag(self) -> str:
        """A short cache-busting tag: changes whenever the pinned file changes."""
        digest = (self.integrity or self.path).encode()
        return hashlib.sha256(digest).hexdigest()[:12]


# name served at /graphql/assets/<name> -> file inside node_modules. Nothing else is served.
ASSETS: dict[str, Asset] = {
    "react.production.min.js": Asset(
        "react/umd/react.production.min.js", JS,
        "sha384-tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8",
    ),
    "react-dom.production.min.js": Asset(
        "react-dom/umd/react-dom.production.min.js", JS,
        "sha384-bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh",
    ),
    "graphiql.min.js": Asset(
        "graphiql/graphiql.min.js", JS,
        "sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie",
    ),
    "graphiql.min.css": Asset(
        "graphiql/graphiql.min.css", CSS,
        "sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM",
    ),
    "plugin-explorer.umd.js": Asset(
        "@graphiql/plugin-explorer/dist/index.umd.js", JS,
        "sha384-2oonKe47vfHIZnmB6ZZ10vl7T0Y+qrHQF2cmNTaFDuPshpKqpUMGMc9jgj9MLDZ9",
    ),
    "plugin-explorer.css": Asset(
        "@graphiql/plugin-explorer/dist/style.css", CSS,
        "sha384-5DFJlDPW2tSATRbM8kzoP1j194jexLswuNmClWoRr2Q0x7R68JIQzPHZ02Faktwi",
    ),
    # The minified files end with sourceMappingURL comments; serve the maps so that
    # opening the browser's developer tools does not log 404s.
    "graphiql.min.js.map": Asset("graphiql/graphiql.min.js.map", SOURCE_MAP),
    "graphiql.min.css.map": Asset("graphiql/graphiql.min.css.map", SOURCE_MAP),
}

STYLESHEETS = ("graphiql.min.css", "plugin-explorer.css")
SCRIPTS = ("react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "plugin-explorer.umd.js")

NOT_INSTALLED = (
    "The GraphiQL assets are not installed on this server.\n"
    "Run scripts/install-node-assets (it runs `npm ci` in gateway/graphql/ide) and reload.\n"
    "The GraphQL API itself works without them.\n"
)

# Versioned URLs (?v=…) make a year of caching safe across upgrades.
CACHE_CONTROL = "public, max-age=31536000, immutable"

DEFAULT_QUERY = """\
# GraphiQL for the numbers gateway. When the browser asks, sign in with your account
# SID (or e-mail) and auth token; it then sends them with every query.
# Run with Ctrl-Enter or the play button; the Explorer (left) builds queries by clicking.
{
  viewer {
    sid
  }
}
"""

_PAGE = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>GraphiQL · numbers gateway</title>
<link rel="icon" href="data:,">
<style>
  body {{ height: 100%; margin: 0; width: 100%; overflow: hidden; }}
  #graphiql {{ height: 100vh; display: flex; }}
  #graphiql-missing {{ font: 16px/1.5 system-ui, sans-serif; margin: 2em; max-width: 50em; white-space: pre-line; }}
  .graphiql-explorer-actions select {{ margin-left: 4px; }}
</style>
{stylesheets}
</head>
<body>
<div id="graphiql" class="graphiql-container">Loading GraphiQL…</div>
{scripts}
<script>{inline}</script>
</body>
</html>
"""

# Runs after the UMD scripts. Kept free of per-request values except the JSON-encoded
# configuration, so its CSP hash only depends on the endpoint.
_INLINE = """
(function () {
  "use strict";
  var config = %(config)s;
  var root = document.getElementById("graphiql");
  if (typeof React === "undefined" || typeof ReactDOM === "undefined" ||
      typeof GraphiQL === "undefined" || typeof GraphiQLPluginExplorer === "undefined") {
    root.id = "graphiql-missing";
    root.textContent = config.missing;
    return;
  }

  // window.location.origin never carries user:password@, unlike a URL resolved against
  // a page opened as http://user:pass@host/graphql (fetch refuses such URLs).
  var url = new URL(config.endpoint, window.location.origin).toString();

  function fetcher(params, options) {
    var headers = Object.assign(
      {"Content-Type": "application/json", "Accept": "application/json"},
      (options && options.headers) || {}
    );
    return fetch(url, {
      method: "POST",
      headers: headers,
      body: JSON.stringify(params),
      credentials: "same-origin"  // reuse the Basic credentials the browser holds
    }).then(function (response) {
      return response.text().then(function (text) {
        try {
          return JSON.parse(text);
        } catch (e) {
          return {errors: [{message: "HTTP " + response.status + " " + response.statusText +
                                     (text ? ": " + text.slice(0, 500) : "")}]};
        }
      });
    });
  }

  // The editor state lives in ?q=…&variables=… (shareable links). Not ?query=: a GET of
  // /graphql with a `query` parameter is a GraphQL request, not the IDE.
  var search = new URLSearchParams(window.location.search);
  function updateURL(key, value) {
    if (value) { search.set(key, value); } else { search.delete(key); }
    var query = search.toString();
    history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  }

  var explorer = GraphiQLPluginExplorer.explorerPlugin();

  function App() {
    var q = React.useState(search.get("q") || config.defaultQuery);
    var v = React.useState(search.get("variables") || undefined);
    return React.createElement(GraphiQL, {
      fetcher: fetcher,
      plugins: [explorer],
      query: q[0],
      variables: v[0],
      operationName: search.get("operationName") || undefined,
      onEditQuery: function (value) { q[1](value); updateURL("q", value); },
      onEditVariables: function (value) { v[1](value); updateURL("variables", value); },
      onEditOperationName: function (value) { updateURL("operationName", value); },
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,  // never keep Authorization headers in localStorage
      inputValueDeprecation: true
    });
  }

  ReactDOM.createRoot(root).render(React.createElement(App));
})();
"""


def _asset_url(name: str, assets: str) -> str:
    return f"{assets.rstrip('/')}/{name}?v={ASSETS[name].version_tag}"


def _inline_script(endpoint: str) -> str:
    config = {"endpoint": endpoint, "defaultQuery": DEFAULT_QUERY, "missing": NOT_INSTALLED}
    # Safe inside <script>: no "</script>", "<!--" or U+2028/9 can survive this escaping.
    encoded = (
        json.dumps(config, ensure_ascii=True)
        .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )
    return _INLINE % {"config": encoded}


def graphiql_html(endpoint: str = "/graphql", *, assets: str = ASSETS_PATH) -> str:
    """The full GraphiQL page. Scripts and styles come from `assets` (absolute paths on
    this server, so the page works at /graphql, /graphql/ or /graphql?q=…), queries are
    POSTed as JSON to `endpoint` with the browser's same-origin credentials."""

    def attr(value: str) -> str:
        return html.escape(value, quote=True)

    stylesheets = "\n".join(
        f'<link rel="stylesheet" href="{attr(_asset_url(name, assets))}" integrity="{ASSETS[name].integrity}">'
        for name in STYLESHEETS
    )
    scripts = "\n".join(
        f'<script src="{attr(_asset_url(name, assets))}" integrity="{ASSETS[name].integrity}"></script>'
        for name in SCRIPTS
    )
    return _PAGE.format(stylesheets=stylesheets, scripts=scripts, inline=_inline_script(endpoint))


def graphiql_content_security_policy(endpoint: str = "/graphql") -> str:
    """A CSP for the page of `graphiql_html(endpoint)`: its own inline script (by hash),
    scripts, styles and requests from this origin only. GraphiQL sets inline styles, hence
    'unsafe-inline' for styles; its fonts are data: URIs inside graphiql.min.css."""
    digest = base64.b64encode(hashlib.sha256(_inline_script(endpoint).encode()).digest()).decode()
    return "; ".join([
        "default-src 'none'",
        f"script-src 'self' 'sha256-{digest}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ])


def graphiql_headers(endpoint: str = "/graphql") -> dict[str, str]:
    """Optional response headers for the GraphiQL page."""
    return {
        "Content-Security-Policy": graphiql_content_security_policy(endpoint),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
        "Vary": "Accept",
    }


async def graphiql_asset(request: Request) -> Response:
    name = request.path_params["name"]
    asset = ASSETS.get(name)
    if asset is None:
        return PlainTextResponse(f"no GraphiQL asset named {name!r}\n", status_code=404)
    file = NODE_MODULES / asset.path
    if not file.is_file():
        return PlainTextResponse(
            NOT_INSTALLED, status_code=503, headers={"Cache-Control": "no-store", "Retry-After": "60"}
        )
    return FileResponse(
        file,
        media_type=asset.content_type,
        headers={"Cache-Control": CACHE_CONTROL, "X-Content-Type-Options": "nosniff"},
    )


def ide_routes() -> list[BaseRoute]:
    """GET (and HEAD) /graphql/assets/{name}: the allow-listed GraphiQL files."""
    return [Route(f"{ASSETS_PATH}/{{name}}", graphiql_asset, methods=["GET"], name="graphiql_asset")]
