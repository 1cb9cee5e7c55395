"""GraphiQL served by the gateway itself: the page and its assets, no CDN, no npm at run time.

The assets are the UMD builds of exactly the npm versions in `PACKAGES` (pinned in
`gateway/graphql/ide/package.json` + `package-lock.json`), copied byte for byte into
`gateway/graphql/ide/vendor/` with their licences (`vendor/LICENSES/`) and shipped inside
the package, so a plain `pip install` serves the IDE. `scripts/refresh-ide-assets`
re-copies them after a version bump; `tests/test_ide_package.py` installs the lockfile
with `npm ci` (which checks every tarball against its published sha512) and requires the
vendored files to be identical. Only the files in `ASSETS` are served, at
`/graphql/assets/<name>`; the page pins each script and stylesheet with its Subresource
Integrity hash (the same hashes the upstream GraphiQL template uses with unpkg), so an
altered file is refused by the browser instead of running, and the page says so.

`graphiql_html()` is what the GraphQL view answers to a browser's `GET /graphql` (share
links `?query=…&variables=…&operationName=…` included: `prefers_html()` tells a navigation
from an API client); `ide_routes()` goes into the application's routes;
`graphiql_headers()` is the set of response headers for that page (a
Content-Security-Policy that allows exactly this page and nothing from elsewhere).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

log = logging.getLogger("gateway.graphql")

IDE_DIR = Path(__file__).resolve().parent / "ide"
VENDOR = IDE_DIR / "vendor"
ASSETS_PATH = "/graphql/assets"

JS = "text/javascript; charset=utf-8"
CSS = "text/css; charset=utf-8"
SOURCE_MAP = "application/json; charset=utf-8"

# The npm packages the vendored files come from, at the versions package.json pins.
PACKAGES: dict[str, str] = {
    "react": "18.2.0",
    "react-dom": "18.2.0",
    "graphiql": "3.8.3",
    "@graphiql/plugin-explorer": "1.0.2",
}


@dataclass(frozen=True)
class Asset:
    source: str  # the file inside node_modules that vendor/<name> is a copy of
    content_type: str
    integrity: str | None = None  # SRI of the pinned version; None for source maps

    @property
    def version_tag(self) -> str:
        """A short cache-busting tag: changes whenever the pinned file changes."""
        digest = (self.integrity or self.source).encode()
        return hashlib.sha256(digest).hexdigest()[:12]


# name served at /graphql/assets/<name> (the file vendor/<name>). Nothing else is served.
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

# vendor/LICENSES/<name> -> the file inside node_modules it is a copy of. graphiql-explorer
# is not pinned itself but is bundled into plugin-explorer.umd.js, so its licence ships too.
# @graphiql/plugin-explorer's tarball has no LICENSE file (its package.json says MIT): the MIT
# licence of its sibling graphiql, from the same GraphiQL project, stands in for it.
LICENSES: dict[str, str] = {
    "react.LICENSE": "react/LICENSE",
    "react-dom.LICENSE": "react-dom/LICENSE",
    "graphiql.LICENSE": "graphiql/LICENSE",
    "graphiql-plugin-explorer.LICENSE": "graphiql/LICENSE",
    "graphiql-explorer.LICENSE": "graphiql-explorer/LICENSE",
}

# Only a damaged installation gets these: the files ship inside the package.
INCOMPLETE_ASSET = (
    "This installation of the gateway is incomplete: gateway/graphql/ide/vendor/{name} is missing.\n"
    "Reinstall the package (pip install --force-reinstall numbers-gateway). The GraphQL API works without it.\n"
)
NOT_LOADED = (
    "GraphiQL's scripts did not load. This installation's copies in gateway/graphql/ide/vendor "
    "are missing or altered (the browser checks each against the hash of its pinned version): "
    "reinstall the gateway package, then reload.\n"
    "The GraphQL API itself works without them.\n"
)

# Versioned URLs (?v=…) make a year of caching safe across upgrades. Source maps are fetched
# by their unversioned sourceMappingURL, so they are revalidated instead (ETag: cheap).
CACHE_CONTROL = "public, max-age=31536000, immutable"
CACHE_CONTROL_UNVERSIONED = "no-cache"

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
    root.textContent = config.notLoaded;
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

  // Share links: /graphql?query=…&variables=…&operationName=… is GraphiQL's link format and
  // a GraphQL GET: a browser navigation to it gets this page (view.py), an API client the
  // result. The editors keep the URL a link to what they hold, but as q=…&v=…: the server
  // refuses a GET whose `query` or `variables` holds a line break (as edited text does)
  // before it could answer with this page, and it reads neither `q` nor `v`. At the first
  // edit the link's parameter gives way to its short name, so a reload shows the edit.
  var search = new URLSearchParams(window.location.search);
  var LINK_NAMES = {q: "query", v: "variables"};
  function updateURL(key, value) {
    if (value) { search.set(key, value); } else { search.delete(key); }
    if (LINK_NAMES[key]) { search.delete(LINK_NAMES[key]); }
    var query = search.toString();
    history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  }

  var explorer = GraphiQLPluginExplorer.explorerPlugin();

  function App() {
    var q = React.useState(search.get("query") || search.get("q") || config.defaultQuery);
    var v = React.useState(search.get("variables") || search.get("v") || undefined);
    var o = React.useState(search.get("operationName") || undefined);
    return React.createElement(GraphiQL, {
      fetcher: fetcher,
      plugins: [explorer],
      query: q[0],
      variables: v[0],
      // GraphiQL runs this operation when given one, else the one under the cursor.
      operationName: o[0],
      onEditQuery: function (value) { q[1](value); updateURL("q", value); },
      onEditVariables: function (value) { v[1](value); updateURL("v", value); },
      onEditOperationName: function (value) { o[1](value || undefined); updateURL("operationName", value); },
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
    config = {"endpoint": endpoint, "defaultQuery": DEFAULT_QUERY, "notLoaded": NOT_LOADED}
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


_JSON_TYPES = ("application/json", "application/graphql-response+json")


def prefers_html(accept: str) -> bool:
    """Whether an Accept header ranks HTML above JSON, as a browser's navigation does
    (`text/html,…,*/*;q=0.8`) and API clients do not: curl and fetch send `*/*`, GraphQL
    clients `application/graphql-response+json, application/json`. A tie goes to JSON, so
    a client that accepts both keeps getting results."""
    weights: dict[str, float] = {}
    for item in accept.lower().split(","):
        media, *parameters = item.split(";")
        weight = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
                if not 0.0 <= weight <= 1.0:
                    weight = 0.0  # malformed (nan, out of range, not a number): no preference
        weights[media.strip()] = max(weight, weights.get(media.strip(), 0.0))
    html_weight = weights.get("text/html", 0.0)
    return html_weight > 0 and html_weight > max(weights.get(json_type, 0.0) for json_type in _JSON_TYPES)


async def graphiql_asset(request: Request) -> Response:
    name = request.path_params["name"]
    asset = ASSETS.get(name)
    if asset is None:
        return PlainTextResponse(f"no GraphiQL asset named {name!r}\n", status_code=404)
    file = VENDOR / name
    if not file.is_file():
        log.error("GraphiQL asset %s is missing from %s: the installation is incomplete", name, VENDOR)
        return PlainTextResponse(INCOMPLETE_ASSET.format(name=name), status_code=500,
                                 headers={"Cache-Control": "no-store"})
    return FileResponse(
        file,
        media_type=asset.content_type,
        headers={
            "Cache-Control": CACHE_CONTROL if asset.integrity else CACHE_CONTROL_UNVERSIONED,
            "X-Content-Type-Options": "nosniff",
        },
    )


def ide_routes() -> list[BaseRoute]:
    """GET (and HEAD) /graphql/assets/{name}: the allow-listed GraphiQL files."""
    return [Route(f"{ASSETS_PATH}/{{name}}", graphiql_asset, methods=["GET"], name="graphiql_asset")]
