"""Synthetic posts that look like the real ones, for the benchmark, the tests and ``make audit N=...``.

Every post is generated, never downloaded, and the same seed gives the same
posts: Chinese text of 1,500-3,000 Han characters in headings, paragraphs and
lists, one footnote, inline and display math, a category and one to three
tags from the taxonomy in conf.py, dates spread over the years before 2025.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from pathlib import Path

NOUNS = (
    "模型 参数 梯度 数据集 样本 损失 目标 策略 奖励 偏好 知识 记忆 隐私 攻击 防御 遗忘 表示 特征 "
    "神经元 注意力 权重 分布 概率 标签 任务 基准 指标 实验 结果 假设 方法 框架 算法 优化器 "
    "训练集 测试集 提示词 回答 输出 输入 上下文 语料 检索 图结构 节点 子图 邻居 嵌入 权限 "
    "内核 漏洞 补丁 进程 隔离 沙箱 编译器 访问控制 可解释性 鲁棒性 泛化 对齐 安全性 效用"
).split()
VERBS = (
    "提出 分析 比较 改进 降低 提高 评估 验证 构造 估计 训练 微调 删除 保留 更新 约束 "
    "衡量 揭示 解释 证明 观察 发现 选择 采样 替换 生成 检测 预测 学习 计算"
).split()
ADJECTIVES = "有效的 稳定的 简单的 昂贵的 稀疏的 局部的 全局的 额外的 关键的 常见的 新的 可靠的".split()
CONNECTIVES = "因此 然而 此外 同时 具体来说 换句话说 总的来说 另一方面 值得注意的是 实验表明".split()
HEADINGS = "背景 问题定义 方法概述 核心思想 损失函数 实验设置 主要结果 消融实验 局限性 个人思考".split()
# Formulas with a random index and constant each time, as real notes have
# formulas of their own (rendering caches see each once).
FORMULAS = (
    r"\mathcal{{L}}_{{{i}}}(\theta) = -\log \sigma(\beta_{{{i}}} r) + {c}",
    r"\theta_{{t+{i}}} = \theta_t - {c} \eta \nabla_\theta \mathcal{{L}}",
    r"p(y_{{{i}}} \mid x) = \frac{{\exp(s_{{{i}}})}}{{\sum_{{k={c}}} \exp(s_k)}}",
    r"\mathrm{{KL}}(p_{{{i}}} \,\|\, q) = \sum_{{i={c}}} p_i \log \frac{{p_i}}{{q_i}}",
)
CJK = range(0x4E00, 0xA000)


@dataclass
class Taxonomy:
    categories: list[str]
    tags: list[str]


def read_taxonomy(conf_py: Path) -> Taxonomy:
    """The category and tag names of a project's conf.py."""
    namespace: dict = {"__file__": str(conf_py)}
    exec(conf_py.read_text(encoding="utf-8"), namespace)
    return Taxonomy(list(namespace["blog_categories"]), list(namespace["blog_tags"]))


def han_count(text: str) -> int:
    return sum(ord(char) in CJK for char in text)


class Writer:
    """Deterministic Chinese prose from a seed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def sentence(self) -> str:
        pick = self.rng.choice
        parts = [pick(NOUNS), pick(VERBS), pick(ADJECTIVES), pick(NOUNS)]
        if self.rng.random() < 0.5:
            parts = [pick(CONNECTIVES), "，", *parts, "，并且", pick(VERBS), pick(NOUNS)]
        return "".join(parts) + "。"

    def paragraph(self, sentences: int) -> str:
        return "".join(self.sentence() for _ in range(sentences))


def formula(rng: random.Random) -> str:
    return rng.choice(FORMULAS).format(i=rng.randint(1, 99), c=rng.randint(2, 9))


def post_text(rng: random.Random, title: str, date: dt.date, category: str, tags: list[str]) -> str:
    """A whole post: front matter, then 1,500-3,000 Han characters of body."""
    writer = Writer(rng)
    target = rng.randint(1500, 3000)
    blocks = [writer.paragraph(rng.randint(3, 5))]
    footnote_placed = False
    section = 0
    while han_count("".join(blocks)) < target - 150:
        if section < len(HEADINGS) and (section == 0 or rng.random() < 0.35):
            blocks.append(f"## {HEADINGS[section]}")
            section += 1
        kind = rng.random()
        if kind < 0.15:
            blocks.append("\n".join(f"- {writer.sentence()}" for _ in range(rng.randint(2, 4))))
        elif kind < 0.22:
            blocks.append("\n".join(f"{i}. {writer.sentence()}" for i in range(1, rng.randint(3, 5))))
        elif kind < 0.28:
            blocks.append(f"$$\n{formula(rng)}\n$$")
        elif kind < 0.36:
            blocks.append(f"{writer.sentence()}其中 ${formula(rng)}$ {writer.paragraph(2)}")
        elif not footnote_placed:
            blocks.append(f"{writer.paragraph(2)}[^note]{writer.sentence()}")
            footnote_placed = True
        else:
            blocks.append(writer.paragraph(rng.randint(2, 5)))
    if not footnote_placed:
        blocks.append(f"{writer.paragraph(2)}[^note]")
    blocks.append(f"[^note]: {writer.sentence()}")
    front_matter = f"title: {title}\ndate: {date.isoformat()}\ncategory: {category}\ntags: {', '.join(tags)}"
    return f"---\n{front_matter}\n---\n\n" + "\n\n".join(blocks) + "\n"


@dataclass
class SyntheticPost:
    relpath: str  # under posts/
    text: str


def synthetic_posts(count: int, taxonomy: Taxonomy, seed: int = 0) -> list[SyntheticPost]:
    """``count`` posts, one every few days backwards from 2024-12-31."""
    rng = random.Random(seed)
    posts = []
    date = dt.date(2024, 12, 31)
    for number in range(1, count + 1):
        date -= dt.timedelta(days=rng.randint(0, 4))
        title = f"{rng.choice(NOUNS)}{rng.choice(VERBS)}笔记 {number}"
        tags = rng.sample(taxonomy.tags, rng.randint(1, 3))
        text = post_text(rng, title, date, rng.choice(taxonomy.categories), tags)
        posts.append(SyntheticPost(f"{date.year}/note-{number:05d}.md", text))
    return posts


def one_more_post(taxonomy: Taxonomy, seed: int, number: int, date: dt.date) -> SyntheticPost:
    rng = random.Random(f"{seed}-{number}")
    title = f"{rng.choice(NOUNS)}{rng.choice(VERBS)}笔记 {number}"
    tags = rng.sample(taxonomy.tags, 2)
    text = post_text(rng, title, date, rng.choice(taxonomy.categories), tags)
    return SyntheticPost(f"{date.year}/note-{number:05d}.md", text)


def keep_redirects_to_listings(path: Path) -> None:
    """The old addresses of the owner's posts would point to posts a synthetic blog does not have."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not re.search(r":\s*posts/", line)), encoding="utf-8")


def write_posts(project: Path, posts: list[SyntheticPost]) -> None:
    for post in posts:
        path = project / "posts" / post.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(post.text, encoding="utf-8")
