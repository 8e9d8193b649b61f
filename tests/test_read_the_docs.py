"""Read the Docs builds with the same strict command as `make html`, installing
requirements.txt only, on a current Ubuntu image and Python 3.12."""

from __future__ import annotations

import re
import shlex

import yaml

from conftest import PROJECT

WARNING = re.compile(r"WARNING|ERROR|警告|错误|Traceback")


def config() -> dict:
    return yaml.safe_load((PROJECT / ".readthedocs.yaml").read_text(encoding="utf-8"))


def makefile_sphinxopts() -> list[str]:
    text = (PROJECT / "Makefile").read_text(encoding="utf-8")
    return shlex.split(re.search(r"^SPHINXOPTS\s*\?=\s*(.+)$", text, re.M).group(1))


def test_the_image_and_python_are_current():
    build = config()["build"]
    assert build["os"] == "ubuntu-24.04"
    assert build["tools"]["python"] == "3.12"


def test_it_installs_requirements_txt_only():
    install = config()["build"]["jobs"]["install"]
    assert [shlex.split(command) for command in install] == [
        ["python", "-m", "pip", "install", "--no-cache-dir", "-r", "requirements.txt"]
    ]
    assert "python" not in config()


def test_it_builds_with_the_options_of_make_html():
    (command,) = config()["build"]["jobs"]["build"]["html"]
    assert shlex.split(command) == [
        "python", "-m", "sphinx", "-b", "html", *makefile_sphinxopts(), ".", "$READTHEDOCS_OUTPUT/html"
    ]
    assert makefile_sphinxopts() == ["-n", "-W", "--keep-going", "-j", "auto"]


def test_git_history_is_fetched_for_page_dates():
    assert "git fetch --unshallow || true" in config()["build"]["jobs"]["post_checkout"]


def test_the_read_the_docs_build_succeeds_without_a_warning(rtd_site):
    assert not WARNING.findall(rtd_site.log), rtd_site.log
    assert (rtd_site.html / "index.html").is_file()
