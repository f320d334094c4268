"""The chart geometry: bars in proportion, gaps where a survey round is hidden, thicker lines
for heavier links."""

from collections import Counter
from datetime import date
from types import SimpleNamespace

from omzien.coalition import health_charts
from omzien.coalition.queries import CollaborationPair


def test_bars_are_in_proportion_and_keep_their_labels():
    chart = health_charts.bar_chart([2, 4, 0], [date(2026, 1, 1), date(2026, 2, 1),
                                                date(2026, 3, 1)], height=232, margin=16)
    heights = [bar["height"] for bar in chart["bars"]]
    assert heights == [100.0, 200.0, 0.0]  # plot height 200; the highest bar fills it
    assert [bar["label"].month for bar in chart["bars"]] == [1, 2, 3]
    assert all(bar["y"] + bar["height"] == chart["baseline"] for bar in chart["bars"])


def test_no_partners_gives_flat_bars_not_an_error():
    chart = health_charts.bar_chart([0, 0], ["a", "b"])
    assert [bar["height"] for bar in chart["bars"]] == [0.0, 0.0]


def test_a_hidden_round_breaks_the_line():
    chart = health_charts.line_chart(
        [[1, 5], [None, 5], [3, 5], [5, 5]], ["r1", "r2", "r3", "r4"], ["goal", "trust"],
        width=340, height=240, margin=20)
    goal, trust = chart["series"]
    # goal: rounds 3 and 4 only form a line; round 1 stands alone as a point
    assert goal["segments"] == ["220.0,120.0 320.0,20.0"]
    assert len(goal["points"]) == 3
    assert trust["segments"] == ["20.0,20.0 120.0,20.0 220.0,20.0 320.0,20.0"]
    assert goal["dash"] != trust["dash"]  # not told apart by colour alone


def test_heavier_links_are_thicker_and_every_partner_is_on_the_circle():
    partners = [SimpleNamespace(pk=n, name=f"P{n}") for n in range(1, 5)]
    pairs = [CollaborationPair(partners[0], partners[1], Counter(working_group=2, meeting=2)),
             CollaborationPair(partners[2], partners[3], Counter(meeting=1))]
    picture = health_charts.network_picture(partners, pairs, size=400, radius=100)
    assert len(picture["nodes"]) == 4
    centre = 200
    for node in picture["nodes"]:
        assert round(((node["x"] - centre) ** 2 + (node["y"] - centre) ** 2) ** 0.5) == 100
    assert [line["stroke"] for line in picture["lines"]] == [8.0, 2.8]  # 1 + 7·w/4
