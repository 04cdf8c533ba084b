"""Sample reporting on the watched story, written for this project.

The figures here deliberately move away from the baseline (a higher toll, a lower
ammunition share, a new troop rotation, a different visit date) so that a cycle over
the sample site shows every kind of change. Used by the end-to-end tests and by
``watcher demo``; none of it is real reporting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class DemoStory:
    slug: str
    title: str
    published: datetime
    paragraphs: tuple[str, ...]
    expect: tuple[tuple[str, str], ...]     # (claim id, status) the story should yield


def _d(day: int, month: int = 4) -> datetime:
    return datetime(2025, month, day, 9, 30, tzinfo=UTC)


DEMO_STORIES: tuple[DemoStory, ...] = (
    DemoStory(
        "seoul-raises-toll", "Seoul raises its estimate of North Korean losses in Kursk",
        _d(2),
        (
            "South Korea's National Intelligence Service told lawmakers on Wednesday that "
            "more than 4,000 North Korean soldiers have now been killed or wounded in the "
            "Kursk region, a sharp rise on the figure it gave in the winter.",
            "According to the agency, about 600 of them were killed, most of them in drone "
            "strikes during assaults across open fields.",
            "Lawmakers who attended the closed session said the briefing also covered "
            "the training the units had received before leaving for the front.",
        ),
        (("nk-casualties", "higher"), ("nk-killed", "higher")),
    ),
    DemoStory(
        "rotation-confirmed", "Pyongyang sends a fresh rotation to Russia, officials say",
        _d(5),
        (
            "North Korea has dispatched roughly 3,000 additional troops to Russia to "
            "replace units worn down in the fighting, Ukraine's military intelligence said "
            "on Saturday.",
            "The new arrivals are expected to train for several weeks before being moved "
            "towards the border areas, the agency added in a statement.",
        ),
        (("nk-additional-troops", "new"),),
    ),
    DemoStory(
        "deployment-unchanged", "Kyiv puts the size of the Korean contingent unchanged",
        _d(7),
        (
            "Ukrainian officials said on Monday that around 11,000 North Korean soldiers "
            "remain deployed in the Kursk region, in line with earlier assessments.",
            "A spokesman declined to say how many of them had been in combat recently.",
        ),
        (("nk-troops-deployed", "confirmed"),),
    ),
    DemoStory(
        "shell-share-falls", "Share of North Korean shells in Russian supply slips",
        _d(9),
        (
            "Roughly half of the artillery ammunition moving by rail to Russian units now "
            "comes from North Korea, down from earlier estimates, according to a European "
            "defence official.",
            "The official said Russian plants had raised their own output over the winter, "
            "although quality problems persist.",
        ),
        (("nk-ammo-share", "lower"),),
    ),
    DemoStory(
        "toll-in-context", "How the count of North Korean casualties grew",
        _d(11),
        (
            "In January, the intelligence service had put the number of North Korean "
            "soldiers killed or wounded at 3,000, a figure that was repeated by officials "
            "in Kyiv at the time.",
            "Analysts caution that every estimate so far comes from governments with a "
            "stake in the war, and none can be checked on the ground.",
        ),
        (("nk-casualties", "restated"),),
    ),
    DemoStory(
        "visit-date", "Shoigu's Pyongyang trip: what was agreed",
        _d(14),
        (
            "Sergei Shoigu, the secretary of Russia's Security Council, visited Pyongyang "
            "on 21 March 2025 for talks with Kim Jong Un, according to the Russian "
            "readout of the meeting.",
            "The two sides discussed supplies of ammunition and the training of officers, "
            "the readout said, without giving details.",
        ),
        (("shoigu-pyongyang-visit", "lower"),),      # a date: earlier is lower
    ),
    DemoStory(
        "unrelated-distractors", "Artillery duels along the front, in numbers",
        _d(16),
        (
            "Russia's 240mm mortars and the M1991 rocket launchers were seen near the border "
            "again this week, a regional governor said.",
            "The governor said 1,000 homes in his region had been damaged in one week of "
            "shelling, and that 12 schools had moved their lessons online.",
        ),
        (),
    ),
)


def demo_html_pages() -> dict[str, DemoStory]:
    return {f"/demo/{s.slug}.html": s for s in DEMO_STORIES}
