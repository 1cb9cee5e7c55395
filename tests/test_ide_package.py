"""The GraphiQL the package ships: the vendored files are the pinned npm packages' own,
and a wheel built without npm or node_modules serves the whole IDE.

The integrity test installs gateway/graphql/ide's lockfile with `npm ci` into a temporary
copy (npm checks every tarball against the sha512 the registry published, recorded in
package-lock.json), then requires each file in gateway/graphql/ide/vendor to be identical
to the installed package's, each SRI hash the page uses to be that file's sha384, and
each package to be at its pinned version in package.json, the lockfile and node_modules.
npm is needed for that (the registry, or npm's cache); without it the test fails and says
what to install, it never skips.

The wheel test builds a wheel from a copy of the work tree's files (what git tracks plus
untracked files it does not ignore: so no node_modules), installs it into a directory of
its own, starts `gateway serve` from there with no npm on PATH, and fetches the page and
every asset it references, checking each against the SRI hash the page states.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import pytest

from gateway.graphql import ide
from tests.support.server import gateway_server

ROOT = Path(__file__).resolve().parent.parent
IDE = ROOT / "gateway" / "graphql" / "ide"
NAVIGATION = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
JS = "text/javascript; charset=utf-8"  # spelled out, not ide.JS: what a browser must be told
CSS = "text/css; charset=utf-8"


def sri(content: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode()


def run(command: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}"
    return done


@pytest.fixture(scope="module")
def node_modules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The lockfile installed by `npm ci` in a temporary copy of gateway/graphql/ide."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is not installed: install Node.js 18+ with npm (Debian: apt-get install -y npm); "
                    "this test checks the vendored GraphiQL against the npm registry's published hashes",
                    pytrace=False)
    work = tmp_path_factory.mktemp("ide")
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(IDE / name, work / name)
    # --ignore-scripts: only the tarballs' files matter, no package code runs. --prefer-offline:
    # npm's cache is as good as the registry (npm checks cached tarballs' sha512 too).
    run([npm, "ci", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=work)
    return work / "node_modules"


def test_each_package_is_at_its_pinned_version_everywhere(node_modules: Path) -> None:
    manifest = json.loads((IDE / "package.json").read_text())
    lock = json.loads((IDE / "package-lock.json").read_text())
    assert manifest["dependencies"] == ide.PACKAGES  # exact versions, no ranges, nothing else
    assert lock["packages"][""]["dependencies"] == ide.PACKAGES  # the lockfile is package.json's
    readme = (ide.VENDOR / "README.md").read_text()
    for package, version in ide.PACKAGES.items():
        locked = lock["packages"][f"node_modules/{package}"]
        assert locked["version"] == version, package
        assert locked["integrity"].startswith("sha512-"), package  # what npm ci verified the tarball with
        installed = json.loads((node_modules / package / "package.json").read_text())
        assert (installed["name"], installed["version"]) == (package, version)
        assert f"| {package} | {version} |" in readme, f"vendor/README.md does not name {package} {version}"


def test_vendored_files_are_the_pinned_packages_files(node_modules: Path) -> None:
    for name, asset in ide.ASSETS.items():
        vendored = (ide.VENDOR / name).read_bytes()
        assert vendored == (node_modules / asset.source).read_bytes(), (
            f"vendor/{name} differs from {asset.source} of the pinned package: run scripts/refresh-ide-assets")
        if asset.integrity is not None:
            assert sri(vendored) == asset.integrity, f"ASSETS[{name!r}].integrity is not vendor/{name}'s sha384"
    for name, source in ide.LICENSES.items():
        assert (ide.VENDOR / "LICENSES" / name).read_bytes() == (node_modules / source).read_bytes(), name
    # Every script and stylesheet the page loads is pinned by SRI; only source maps are not.
    assert all(ide.ASSETS[name].integrity for name in (*ide.SCRIPTS, *ide.STYLESHEETS))
    assert {name for name, asset in ide.ASSETS.items() if asset.integrity is None} == {
        "graphiql.min.js.map", "graphiql.min.css.map"}


def test_the_vendor_folder_holds_nothing_unaccounted_for() -> None:
    # Everything in it ships in the wheel; anything not checked above must not be there.
    present = {path.relative_to(ide.VENDOR).as_posix() for path in ide.VENDOR.rglob("*") if path.is_file()}
    expected = {*ide.ASSETS, *(f"LICENSES/{name}" for name in ide.LICENSES), "README.md"}
    assert present == expected


# --- the wheel ---------------------------------------------------------------------------


def copy_of_the_work_tree(destination: Path) -> Path:
    """The files git tracks or would track (untracked, not ignored), copied; the work tree
    itself is only read. node_modules, build/ and the like are ignored, so absent."""
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]).stdout
    for relative in filter(None, listed.split("\0")):
        source = ROOT / relative
        if source.is_file():  # a tracked file deleted in the work tree is not listed as absent
            (destination / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / relative)
    assert not list(destination.rglob("node_modules")), "the copy must have no node_modules"
    return destination


@pytest.mark.slow
@pytest.mark.one_database
def test_a_wheel_built_without_npm_serves_the_whole_ide(tmp_path: Path) -> None:
    source = copy_of_the_work_tree(tmp_path / "source")
    # With build isolation, as `pip install .` builds (setuptools from pip's cache or PyPI).
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--disable-pip-version-check",
         "--wheel-dir", str(tmp_path / "dist"), str(source)])
    (wheel,) = (tmp_path / "dist").glob("numbers_gateway-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name.removeprefix("gateway/graphql/ide/vendor/") for name in archive.namelist()
                   if name.startswith("gateway/graphql/ide/vendor/")}
    assert shipped == {*ide.ASSETS, *(f"LICENSES/{name}" for name in ide.LICENSES), "README.md"}

    site = tmp_path / "site"
    run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--disable-pip-version-check",
         "--target", str(site), str(wheel)])
    assert not list(site.rglob("node_modules"))
    # The installed copy comes first (PYTHONSAFEPATH: not the work tree through the current
    # directory); the dependencies come from this venv. No npm on PATH.
    path = os.path.dirname(sys.executable)
    assert shutil.which("npm", path=path) is None
    env = {"PYTHONPATH": str(site), "PYTHONSAFEPATH": "1", "PATH": path,
           "GATEWAY_DATABASE_URL": f"sqlite:///{tmp_path}/gateway.db", "GATEWAY_ADMIN_TOKEN": "0" * 32}
    imported = run([sys.executable, "-c", "import gateway; print(gateway.__file__)"], env={**os.environ, **env})
    assert Path(imported.stdout.strip()).is_relative_to(site), imported.stdout

    with gateway_server(env) as server:
        page = httpx.get(f"{server.url}/graphql", headers={"Accept": NAVIGATION}, timeout=10)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "default-src 'none'" in page.headers["content-security-policy"]
        assert "install-node-assets" not in page.text
        references = re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)" integrity="([^"]+)"',
                                page.text)
        assert sorted(url.split("?")[0].rsplit("/", 1)[1] for url, _ in references) == sorted(
            (*ide.SCRIPTS, *ide.STYLESHEETS))
        maps: list[bytes] = []
        for url, integrity in references:
            asset = httpx.get(f"{server.url}{url}", timeout=10)
            assert asset.status_code == 200, (url, asset.text[:200])
            expected_type = JS if url.split("?")[0].endswith(".js") else CSS
            assert asset.headers["content-type"] == expected_type, url
            assert asset.headers["cache-control"] == "public, max-age=31536000, immutable", url
            assert sri(asset.content) == integrity, f"{url} is not the file the page pins"
            maps += re.findall(rb"sourceMappingURL=([\w.-]+\.map)", asset.content[-200:])
        # The source maps the files point at (developer tools fetch them) are served too.
        assert sorted(maps) == [b"graphiql.min.css.map", b"graphiql.min.js.map"]
        for name in maps:
            source_map = httpx.get(f"{server.url}{ide.ASSETS_PATH}/{name.decode()}", timeout=10)
            assert source_map.status_code == 200
            assert source_map.headers["content-type"] == "application/json; charset=utf-8"
            assert json.loads(source_map.content)["version"] == 3
        assert "Created the bootstrap account" in server.output()
