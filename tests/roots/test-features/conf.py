"""A blog made for the tests of the engine's features: listings, feeds, papers, citations.

Thirteen short published notes in four years (2021-2024), one of them in
English, one draft, ten papers (seven with notes about them, two only cited
inline, one neither; one whose venue is an @string macro) and a few old
addresses. The notes keep the slugs and labels the README's example links
to (dpo, ppo-rlhf-recap).

The settings are the project's ``conf.py``, read as it is, with the
templates, static files and interface strings taken from the project: a
test on this blog checks the engine the site runs, and no change to the
owner's posts can break it. The categories and tags this blog uses are
added to the project's taxonomy, so that no change to it breaks them either.
"""

import os
from pathlib import Path

# The project whose engine this blog tests: the tests name it, since they
# build copies of this folder elsewhere.
PROJECT = Path(os.environ.get("PAPER_NOTES_PROJECT") or Path(__file__).resolve().parents[3])
__file__ = str(PROJECT / "conf.py")
exec(compile((PROJECT / "conf.py").read_text(encoding="utf-8"), __file__, "exec"))

templates_path = [str(PROJECT / "_templates")]
html_static_path = [str(PROJECT / "_static")]
html_favicon = str(PROJECT / "_static/favicon.svg")
locale_dirs = [str(PROJECT / "locale")]

blog_categories = {
    **blog_categories,
    "系统安全": "systems-security",
    "示例": "samples",
    "对齐": "alignment",
    "图学习": "graph-learning",
    "机器遗忘": "machine-unlearning",
    "可解释性": "interpretability",
}
blog_tags = {
    **blog_tags,
    "隔离": "isolation",
    "漏洞分析": "vulnerability-analysis",
    "访问控制": "access-control",
    "示例": "samples",
    "RLHF": "rlhf",
    "强化学习": "reinforcement-learning",
    "偏好优化": "preference-optimization",
    "图神经网络": "gnn",
    "大语言模型": "llm",
    "综述": "survey",
    "机器遗忘": "machine-unlearning",
    "对抗鲁棒性": "adversarial-robustness",
    "安全": "safety",
    "可解释性": "interpretability",
    "知识编辑": "knowledge-editing",
}
