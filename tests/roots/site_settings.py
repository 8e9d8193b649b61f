"""The project's settings, for the blogs made for the tests (``tests/roots/test-*``).

A test blog's ``conf.py`` imports them: the project's ``conf.py`` read as it
is, so that a test checks the engine the site runs, with the templates,
static files and interface strings taken from the project. The categories
and tags the test blogs use are added to the project's taxonomy, so that no
change the owner makes to it can break them.
"""

from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
_settings = {"__file__": str(PROJECT / "conf.py")}
exec(compile((PROJECT / "conf.py").read_text(encoding="utf-8"), _settings["__file__"], "exec"), _settings)
globals().update({name: value for name, value in _settings.items() if not name.startswith("_")})

templates_path = [str(PROJECT / "_templates")]
html_static_path = [str(PROJECT / "_static")]
html_favicon = str(PROJECT / "_static/favicon.svg")
locale_dirs = [str(PROJECT / "locale")]

blog_categories = {
    **blog_categories,  # noqa: F821 (from the project's conf.py)
    "对齐": "alignment",
    "机器遗忘": "machine-unlearning",
    "可解释性": "interpretability",
    "图学习": "graph-learning",
    "系统安全": "systems-security",
    "示例": "samples",
}
blog_tags = {
    **blog_tags,  # noqa: F821 (from the project's conf.py)
    "RLHF": "rlhf",
    "强化学习": "reinforcement-learning",
    "偏好优化": "preference-optimization",
    "机器遗忘": "machine-unlearning",
    "大语言模型": "llm",
    "知识编辑": "knowledge-editing",
    "对抗鲁棒性": "adversarial-robustness",
    "安全": "safety",
    "可解释性": "interpretability",
    "图神经网络": "gnn",
    "综述": "survey",
    "漏洞分析": "vulnerability-analysis",
    "访问控制": "access-control",
    "隔离": "isolation",
    "示例": "samples",
}
