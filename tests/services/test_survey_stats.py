"""The survey statistics against figures computed by hand (the working is in the comments)."""

import pytest

from api import surveys as questionnaire
from api.services import survey_stats as stats
from api.services.survey_stats import Measures


def m(cohesion=None, unsafe=None, dark=None) -> Measures:
    return Measures(feels_unsafe=unsafe, unsafe_after_dark=dark, cohesion=cohesion)


def test_t_quantiles_match_the_printed_tables():
    assert stats.t_quantile(0.975, 1) == pytest.approx(12.7062, abs=1e-4)
    assert stats.t_quantile(0.975, 9) == pytest.approx(2.2622, abs=1e-4)
    assert stats.t_quantile(0.975, 24) == pytest.approx(2.0639, abs=1e-4)
    assert stats.t_quantile(0.975, 30) == pytest.approx(2.0423, abs=1e-4)
    assert stats.t_quantile(0.025, 5) == pytest.approx(-2.5706, abs=1e-4)
    assert stats.t_quantile(0.975, 100000) == pytest.approx(1.9600, abs=1e-4)


def test_cohesion_score_recodes_and_scales_like_cbs():
    # All five statements "strongly agree" (5), but "people hardly know each other" is reversed:
    # items 4, 4, 4, 4 and 5 - 5 = 0 → mean 16/5 = 3.2 → × 2.5 = 8.0
    answers = {"cohesion_know_each_other": 5, "cohesion_pleasant": 5, "cohesion_close_knit": 5,
               "cohesion_at_home": 5, "cohesion_hardly_know": 5}
    assert questionnaire.cohesion_score(answers, 1) == pytest.approx(8.0)
    # Everything at the most cohesive end: 4, 4, 4, 4, (5 - 1) = 4 → 10
    answers["cohesion_hardly_know"] = 1
    assert questionnaire.cohesion_score(answers, 1) == pytest.approx(10.0)
    # Four answered (one skipped): 2, 3, 0, 1 → (2 + 3 + 0 + 1) / 4 = 1.5 → 3.75
    four = {"cohesion_know_each_other": 3, "cohesion_pleasant": 4, "cohesion_close_knit": 1,
            "cohesion_hardly_know": 4}
    assert questionnaire.cohesion_score(four, 1) == pytest.approx(3.75)
    # Three answered: too few for a score.
    del four["cohesion_pleasant"]
    assert questionnaire.cohesion_score(four, 1) is None


def test_cell_mean_ci_and_share():
    # Cohesion 2.5, 5, 7.5, 10, 5, 5, 5, 5, 7.5, 2.5: sum 55 → mean 5.5.
    # Deviations -3, -0.5, 2, 4.5, -0.5 ×4, 2, -3 → squares 9 + .25 + 4 + 20.25 + 4×.25 + 4 + 9 = 47.5
    # s² = 47.5 / 9 = 5.27778; SE = √(5.27778 / 10) = 0.726483; t(0.975, 9) = 2.262157
    # half width = 2.262157 × 0.726483 = 1.643420 → CI 3.856580 … 7.143420
    # Unsafe: 4 yes, 6 no, 2 skipped (12 respondents) → 4 / 10 = 0.4
    cohesion = [2.5, 5, 7.5, 10, 5, 5, 5, 5, 7.5, 2.5]
    unsafe = [True] * 4 + [False] * 6
    data = [m(c, u) for c, u in zip(cohesion, unsafe, strict=True)] + [m(None, None), m(None, None)]
    result = stats.cell(data)
    assert result["respondents"] == 12
    assert result["suppressed"] is False
    assert result["unsafe"] == {"n": 10, "suppressed": False, "share": pytest.approx(0.4)}
    assert result["cohesion"]["n"] == 10
    assert result["cohesion"]["mean"] == pytest.approx(5.5)
    assert result["cohesion"]["ci_low"] == pytest.approx(3.856580, abs=1e-5)
    assert result["cohesion"]["ci_high"] == pytest.approx(7.143420, abs=1e-5)
    # after dark: nobody answered → suppressed, not zero
    assert result["unsafe_after_dark"]["suppressed"] is True
    assert "share" not in result["unsafe_after_dark"]


def test_fewer_than_ten_is_suppressed_everywhere():
    nine = [m(5.0, True, True)] * 9
    result = stats.cell(nine)
    assert result == {"respondents": None, "suppressed": True, "label": "too few",
                      "unsafe": None, "unsafe_after_dark": None, "cohesion": None}
    # Ten respondents but only nine answered the cohesion statements: that figure alone is suppressed.
    ten = nine + [m(None, False, False)]
    result = stats.cell(ten)
    assert result["respondents"] == 10
    assert result["unsafe"]["share"] == pytest.approx(0.9)
    assert result["cohesion"] == {"n": None, "suppressed": True, "label": "too few"}
    pairs = [(m(5.0, True), m(6.0, False))] * 9
    paired = stats.paired_change(pairs)
    assert paired["pairs"] is None
    assert paired["cohesion"]["suppressed"] and paired["unsafe"]["suppressed"]
    did = stats.diff_in_diff(pairs * 2, nine, [m(5.0, True)] * 20)
    assert did["cohesion"]["suppressed"] and did["unsafe"]["suppressed"]


PAIRS = [
    # before cohesion 5 for all; after 5 + d with d = 0, 1, 2, 3, 4, 0, 1, 2, 3, 4
    # unsafe before: the first 6 yes; after: the first 2 yes
    (m(5.0, unsafe=i < 6), m(5.0 + d, unsafe=i < 2))
    for i, d in enumerate([0, 1, 2, 3, 4, 0, 1, 2, 3, 4])
]


def test_paired_change():
    # d: mean 20 / 10 = 2.0; deviations -2, -1, 0, 1, 2 twice → squares sum 2 × 10 = 20
    # s² = 20 / 9 = 2.22222; SE = √(2.22222 / 10) = 0.471405; half = 2.262157 × 0.471405 = 1.066382
    # CI 0.933618 … 3.066382. Unsafe share: 6/10 = 0.6 before, 2/10 = 0.2 after → change -0.4
    result = stats.paired_change(PAIRS)
    assert result["pairs"] == 10
    assert result["cohesion"]["mean"] == pytest.approx(2.0)
    assert result["cohesion"]["ci_low"] == pytest.approx(0.933618, abs=1e-5)
    assert result["cohesion"]["ci_high"] == pytest.approx(3.066382, abs=1e-5)
    assert result["unsafe"]["before"] == pytest.approx(0.6)
    assert result["unsafe"]["after"] == pytest.approx(0.2)
    assert result["unsafe"]["change"] == pytest.approx(-0.4)


def test_difference_in_differences():
    # Non-participants before: cohesion 4, 6 five times each → mean 5, s² = 10 × 1 / 9 = 1.11111
    #                  after:  5, 7 five times each → mean 6, s² = 1.11111
    # Their change: 6 - 5 = 1. Participants' change (above): 2. DiD = 2 - 1 = 1.
    # SE² = 2.22222/10 + 1.11111/10 + 1.11111/10 = 0.222222 + 0.111111 + 0.111111 = 0.444444 → SE = 0.666667
    # df = 0.444444² / ((0.222222² + 0.111111² + 0.111111²) / 9) = 0.197531 / (0.0740741 / 9) = 24.0
    # t(0.975, 24) = 2.063899 → half = 1.375933 → CI -0.375933 … 2.375933
    # Unsafe: participants 0.2 - 0.6 = -0.4; non-participants before 5/10 yes, after 4/10 → -0.1
    # DiD unsafe = -0.4 - (-0.1) = -0.3
    before = [m(4.0 if i < 5 else 6.0, unsafe=i < 5) for i in range(10)]
    after = [m(5.0 if i % 2 else 7.0, unsafe=i < 4) for i in range(10)]
    result = stats.diff_in_diff(PAIRS, before, after)
    c = result["cohesion"]
    assert c["participants_change"] == pytest.approx(2.0)
    assert c["non_participants_change"] == pytest.approx(1.0)
    assert c["estimate"] == pytest.approx(1.0)
    assert c["ci_low"] == pytest.approx(-0.375933, abs=1e-5)
    assert c["ci_high"] == pytest.approx(2.375933, abs=1e-5)
    assert (c["n_pairs"], c["n_non_participants_before"], c["n_non_participants_after"]) == (10, 10, 10)
    u = result["unsafe"]
    assert u["participants_change"] == pytest.approx(-0.4)
    assert u["non_participants_change"] == pytest.approx(-0.1)
    assert u["estimate"] == pytest.approx(-0.3)
