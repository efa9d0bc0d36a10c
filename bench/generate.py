"""Synthetic implementation plans of the genre, with a truth file for each.

    python bench/generate.py N DIR [--seed S]

writes ``DIR/plan-00001.txt`` … and ``DIR/truth/plan-00001.json``. The plans vary as real
ones do: three layouts (the dash lists with a lead line after each measure of 梁平, the
numbered tasks with 牵头部门/配合部门 lines of 平罗, the task table of 巫山's annex),
full-width or ASCII punctuation, 牵头部门 or 牵头单位, 责任/配合, 〔〕 [] （） around the
document number or none, — or ― dashes, counties, districts and cities of every province,
a different set of agencies per plan and per measure, numeric targets in some tasks, and now
and then a text cut off in the middle. Nothing here imports sciplan_kg: the truth is what the
generator wrote, not what the extractor reads.

Plans of two levels, as a real corpus holds them: plans 0, 5, 10 … 95 are the twenty
provinces' own plans (a small corpus holds some too); every other plan is a county's,
district's or city's, which cites its province's plan by title (and half the time by its
document number too) and takes half of its tasks from the province plan's same measure, copied
(the province's 全省 made its own) or adapted (the title and first clause kept, a local
phrase or a target of its own); the rest it writes from the common pool. A plan's text does
not depend on how many plans are generated.

A truth file holds the title, document number, literacy target, the parent plan's title (None
for a province), and each measure's kind, title, lead agencies and tasks (title, own lead
agencies, targets, and ``origin``: ``copied`` or ``adapted`` from the parent, else None). Agencies are given by
their registry key (``kexie``, ``education`` …), so a score does not depend on which of a
name's spellings a plan used. ``bench/accuracy.py`` scores a build against them.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
from pathlib import Path

PROVINCES = [
    "河北省",
    "山西省",
    "辽宁省",
    "吉林省",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "海南省",
    "四川省",
    "贵州省",
    "云南省",
    "陕西省",
    "甘肃省",
]
SYLLABLES = list("安宁平康泰和丰阳山川河源桥溪城东西南北长清远明华兴隆永福盛德新乐云林石江湖海宝金")
LEVELS = [("县", "县"), ("区", "区"), ("市", "市")]

# registry key → spellings a plan may use; {L} is the plan's level
AGENCIES: dict[str, list[str]] = {
    "kexie": ["{L}科协", "{L}科学技术协会"],
    "education": ["{L}教育局", "{L}教体局", "{L}教委"],
    "agriculture": ["{L}农业农村局", "{L}农业农村委"],
    "hrss": ["{L}人社局", "{L}人力社保局"],
    "health": ["{L}卫生健康委", "{L}卫健局"],
    "organisation": ["{L}委组织部"],
    "propaganda": ["{L}委宣传部"],
    "science-technology": ["{L}科技局"],
    "trade-union": ["{L}总工会"],
    "youth-league": ["团{L}委"],
    "womens-federation": ["{L}妇联"],
    "civil-affairs": ["{L}民政局"],
    "culture-tourism": ["{L}文化旅游委", "{L}文旅局"],
    "emergency": ["{L}应急管理局"],
    "finance": ["{L}财政局"],
    "development-reform": ["{L}发展改革委", "{L}发改局"],
}
ACTIONS = [
    ("youth", "青少年科学素质提升行动", ["education", "kexie", "youth-league"]),
    ("farmers", "农民科学素质提升行动", ["agriculture", "kexie", "hrss"]),
    ("workers", "产业工人科学素质提升行动", ["hrss", "trade-union"]),
    ("elderly", "老年人科学素质提升行动", ["health", "civil-affairs"]),
    ("officials", "领导干部和公务员科学素质提升行动", ["organisation", "hrss"]),
]
PROJECTS = [
    ("infrastructure", "科技资源科普化工程", ["science-technology", "kexie"]),
    ("informatization", "科普信息化提升工程", ["propaganda", "kexie"]),
    ("facilities", "科普基础设施工程", ["science-technology", "development-reform", "kexie"]),
    ("grassroots", "基层科普能力提升工程", ["kexie", "emergency"]),
    ("cooperation", "科学素质交流合作工程", ["kexie", "science-technology"]),
]
TASKS = [
    ("弘扬科学精神和科学家精神", "坚持立德树人，实施科学家精神进校园行动，将科学精神融入课堂教学和课外实践活动"),
    ("提升基础教育阶段科学教育水平", "引导改进教学方式，倡导启发式、探究式、开放式教学，保护学生好奇心"),
    ("实施高素质农民培育计划", "健全教育培训、评选认定、动态管理、扶持激励等高素质农民培育机制"),
    ("开展技能人才培训", "围绕重点产业开展职业技能培训，举办职业技能竞赛，推动技能人才队伍建设"),
    ("实施智慧助老行动", "聚焦老年人运用智能技术、融入智慧社会的需求，开展智能技术培训"),
    ("加强领导干部科学素质培训", "在干部教育培训中增加科学素质内容，举办科技知识专题讲座"),
    ("建设科普示范基地", "依托学校、企业、医院和科研机构建设科普教育基地，面向公众开放"),
    ("推进科普信息化建设", "建设融媒体科普平台，推动科普内容生产和传播数字化"),
    ("建强基层科普队伍", "发展科普志愿者队伍，加强科技辅导员和科普信息员培训"),
    ("开展应急科普宣传", "围绕防灾减灾、公共卫生安全，开展应急科普知识进社区、进学校活动"),
    ("组织科普品牌活动", "办好全国科普日、科技活动周等品牌活动，扩大公众参与"),
    ("加强科普交流合作", "积极参与区域科普交流合作，引进优质科普资源"),
]
# a county plan's tasks: this share taken from its province's plan for the same measure, and of
# those this share copied (the rest adapted); the phrases an adapted task adds
FROM_PARENT = 0.5
COPIED_SHARE = 0.6
PROVINCE_EVERY = 5
LOCAL = [
    "因地制宜打造{place}特色科普品牌",
    "每年组织专项活动并纳入年度目标考核",
    "依托乡镇和村（社区）综合服务阵地常态化推进",
    "结合{L}内产业特点建立工作台账",
    "由各乡镇（街道）按季度报送工作进展",
]
TARGETS = [
    ("培育高素质农民{n}人以上", "人", (500, 5000)),
    ("每年开展科普活动不少于{n}次", "次", (4, 50)),
    ("建成科普示范社区{n}个", "个", (3, 30)),
    ("培训科普志愿者{n}名以上", "名", (100, 2000)),
]


def _place(i: int, rng: random.Random) -> tuple[str, str, str]:
    province = PROVINCES[i % len(PROVINCES)]
    a, b = SYLLABLES[(i * 7) % len(SYLLABLES)], SYLLABLES[(i * 13 + i // len(SYLLABLES)) % len(SYLLABLES)]
    # beyond 1,600 names a third syllable (place names carry no digits: a digit broke the
    # place's level character and so every agency's jurisdiction)
    n = len(SYLLABLES) ** 2
    suffix = "" if i < n else SYLLABLES[(i // n) % len(SYLLABLES)]
    level, _ = LEVELS[rng.randrange(3)]
    return province, f"{a}{b}{suffix}{level}", level


def _agency(key: str, level: str, rng: random.Random) -> str:
    return rng.choice(AGENCIES[key]).replace("{L}", level)


def province_of(i: int) -> int | None:
    """The province whose own plan plan ``i`` is (plans 0, 5, 10 … 95, one per province, so
    that a small corpus holds parents too), or None for a county, district or city plan."""
    j, rest = divmod(i, PROVINCE_EVERY)
    return j if rest == 0 and j < len(PROVINCES) else None


class Plan:
    def __init__(self, i: int, rng: random.Random, parent: dict[str, object] | None = None) -> None:
        self.rng = rng
        own = province_of(i)
        if own is None:
            self.province, self.place, self.level = _place(i, rng)
        else:
            self.province, self.place, self.level = None, PROVINCES[own], "省"
        # the province's plan (its truth), which a county plan cites and copies or adapts
        # tasks from; None for a province's own plan
        self.parent = parent
        self.layout = rng.choice(["dash", "numbered", "table"])
        self.ascii = rng.random() < 0.25
        self.lead_word = rng.choice(["牵头部门", "牵头单位"])
        self.support_word = rng.choice(["责任部门", "配合部门", "配合单位"])
        self.dash = rng.choice(["—", "―"])
        self.doc = rng.choice(["〔〕", "[]", "（）", None])
        self.number = rng.randrange(1, 120)
        self.year = rng.choice([2021, 2022])
        self.target = round(rng.uniform(8, 18), rng.choice([0, 1]))
        self.truncate = rng.random() < 0.05
        self.lines: list[str] = []
        self.truth: dict[str, object] = {}

    def title(self) -> str:
        return f"{self.place}全民科学素质行动规划纲要实施方案（2021{self.dash}2025年）"

    def write(self) -> tuple[str, dict[str, object]]:
        rng, L = self.rng, self.level
        doc_number = None
        provincial = self.province is None  # a province's own plan
        if self.doc:
            o, c = self.doc
            doc_number = f"{self.place[:2]}{'政' if provincial else '府'}办发{o}{self.year}{c}{self.number}号"
            self.lines += [doc_number, ""]
        office = f"{self.place}人民政府办公{'厅' if provincial else '室'}"
        basis = f"《全民科学素质行动规划纲要（2021{self.dash}2035年）》"
        parent = self.parent
        if parent is not None:
            # the province's plan, by title (as written in its own text), and now and then
            # by its document number too, as real plans cite it
            cited = f"《{parent['title']}》"
            if parent["doc_number"] and rng.random() < 0.5:
                cited += f"（{parent['doc_number']}）"
            basis += f"和{cited}"
        else:  # a province's own plan; or a county plan made without its province's truth
            basis += (
                f"和《{self.province}全民科学素质行动规划纲要实施方案（2021{self.dash}2025年）》"
                if self.province
                else ""
            )
        self.lines += [
            office,
            f"关于印发{self.title()}的通知",
            "",
            "各市、县（区）人民政府，省政府各部门：" if provincial else f"各乡镇人民政府、街道办事处，{L}政府各部门：",
            f"现将《{self.title()}》印发给你们，请认真贯彻执行。",
            "",
            office,
            f"{self.year}年{rng.randrange(1, 13)}月{rng.randrange(1, 29)}日",
            "",
            self.title(),
            "",
            f"为贯彻落实{basis}，结合我{L}实际，制定本方案。",
            "一、总体要求",
            f"到2025年，全{L}公民具备科学素质的比例达到{self.target:g}%以上。",
            "二、提升行动",
        ]
        measures = []
        chosen = rng.sample(range(len(TASKS)), len(TASKS))
        actions = [("action", *a) for a in ACTIONS]
        projects = [("project", *p) for p in PROJECTS]
        table_rows: list[tuple[str, str, list[str], list[str]]] = []
        for n, (kind, _, name, keys) in enumerate(actions + projects):
            if n == len(actions):
                self.lines.append("三、重点工程")
            ordinal = "一二三四五"[n % 5]
            title = f"实施{name}" if rng.random() < 0.5 else name
            heading = f"（{ordinal}）{title}。"
            self.lines.append(heading)
            self.lines.append(f"围绕{name[:-4] if kind == 'action' else name}，完善工作机制，形成工作合力。")
            lead = rng.sample(keys, rng.randint(1, min(2, len(keys))))
            others = [k for k in AGENCIES if k not in lead]
            support = rng.sample(others, rng.randint(2, 5))
            tasks = []
            theirs = list(parent["measures"][n]["tasks"]) if parent is not None else []  # type: ignore[index]
            for t in range(rng.randint(2, 5)):
                task = self._from_parent(theirs) if theirs and rng.random() < FROM_PARENT else None
                if task is None or any(x["title"] == task["title"] for x in tasks):
                    task = self._own_task(chosen[(n * 3 + t) % len(TASKS)])
                if any(x["title"] == task["title"] for x in tasks):
                    continue
                tasks.append(task)
            measure = {"kind": kind, "title": name, "lead": sorted(lead), "tasks": tasks}
            measures.append(measure)
            lead_names = [_agency(k, L, rng) for k in lead]
            support_names = [_agency(k, L, rng) for k in support]
            if self.layout == "dash":
                for task in tasks:
                    self.lines.append(f"{self.dash * 2}{task['text']}")
                self.lines.append(
                    f"（{self.lead_word}：{'、'.join(lead_names)}；{self.support_word}：{'、'.join(support_names)}）"
                )
            elif self.layout == "numbered":
                for k, task in enumerate(tasks, start=1):
                    self.lines.append(f"{k}.{task['text']}")
                self.lines.append(f"{self.lead_word}：{'、'.join(lead_names)}")
                self.lines.append(f"{self.support_word}：{'、'.join(support_names)}")
            else:
                for k, task in enumerate(tasks, start=1):
                    self.lines.append(f"{k}.{task['text']}")
                    own = rng.sample(keys, 1)
                    task["lead"] = own
                    table_rows.append((title, task["text"], [_agency(x, L, rng) for x in own], support_names[:2]))
            self.lines.append("")
        self.lines += ["四、组织实施", f"（一）加强组织领导。{L}政府负责领导全{L}科学素质建设工作。"]
        if self.layout == "table":
            self.lines += [f"附件：{self.place}全民科学素质建设重点任务分工", "", "\t类别", "\t任务内容", "\t具体内容"]
            self.lines += [f"\t{self.lead_word}", f"\t{self.support_word}", ""]
            for n, (measure_title, text, lead_names, support_names) in enumerate(table_rows):
                self.lines += ["\t", f"\t{measure_title}" if n == 0 or table_rows[n - 1][0] != measure_title else "\t"]
                self.lines += [f"\t{text}", f"\t{'、'.join(lead_names)}", f"\t{'、'.join(support_names)}", ""]
        if self.truncate:
            cut = self.rng.randrange(len(self.lines) // 2, len(self.lines))
            self.lines = self.lines[:cut]
        text = "\n".join(self.lines) + "\n"
        if self.ascii:
            text = text.translate(str.maketrans("，：；（）", ",:;()"))
        self.truth = {
            "title": self.title(),
            "place": self.place,
            "layout": self.layout,
            "ascii": self.ascii,
            "truncated": self.truncate,
            "doc_number": doc_number,
            "literacy_target": self.target,
            "parent": parent["title"] if parent is not None else None,
            "measures": measures,
        }
        return text, self.truth

    def _own_task(self, k: int) -> dict[str, object]:
        """Task ``k`` of the pool in the plan's own words, a numeric target now and then."""
        task_title, body = TASKS[k]
        targets = []
        if self.rng.random() < 0.3:
            template, unit, (lo, hi) = self.rng.choice(TARGETS)
            value = self.rng.randrange(lo, hi)
            body += "，" + template.format(n=value)
            targets.append({"value": value, "unit": unit})
        return {
            "title": task_title,
            "text": f"{task_title}。{body}。",
            "targets": targets,
            "lead": None,
            "origin": None,
        }

    def _from_parent(self, theirs: list[dict[str, object]]) -> dict[str, object]:
        """One of the parent measure's tasks, taken from ``theirs``: copied (its text, the
        province's word for the whole area made the plan's own) or adapted (its title and first
        clause kept, the rest the plan's own: a local emphasis or a target)."""
        task = theirs.pop(self.rng.randrange(len(theirs)))
        text = str(task["text"]).replace("全省", f"全{self.level}")
        if self.rng.random() < COPIED_SHARE:
            return {**task, "text": text, "lead": None, "origin": "copied"}
        title = str(task["title"])
        first = text.removeprefix(f"{title}。").split("，")[0].rstrip("。")
        if self.rng.random() < 0.3:  # a target of its own in place of the rest
            template, unit, (lo, hi) = self.rng.choice(TARGETS)
            value = self.rng.randrange(lo, hi)
            rest, targets = template.format(n=value), [{"value": value, "unit": unit}]
        else:  # a local emphasis
            rest, targets = self.rng.choice(LOCAL).format(place=self.place, L=self.level), []
        adapted = {
            "title": title,
            "text": f"{title}。{first}，{rest}。",
            "targets": targets,
            "lead": None,
            "origin": "adapted",
        }
        return adapted


def generate(n: int, out: Path, seed: int = 2021) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(exist_ok=True)
    written = []
    for i in range(n):
        text, truth = _plan(i, seed)
        path = out / f"plan-{i + 1:05d}.txt"
        path.write_text(text, encoding="utf-8")
        (out / "truth" / f"{path.stem}.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        written.append(path)
    return written


@functools.lru_cache(maxsize=len(PROVINCES))
def _province_truth(j: int, seed: int) -> dict[str, object]:
    return _plan(j * PROVINCE_EVERY, seed)[1]


def _plan(i: int, seed: int) -> tuple[str, dict[str, object]]:
    """Plan ``i``'s text and truth: the same whatever the corpus's size."""
    own = province_of(i)
    parent = _province_truth(i % len(PROVINCES), seed) if own is None else None
    return Plan(i, random.Random(f"{seed}-{i}"), parent).write()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="how many plans")
    parser.add_argument("dir", type=Path, help="output folder")
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    generate(args.n, args.dir, args.seed)


if __name__ == "__main__":
    main()
