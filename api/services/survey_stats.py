"""Survey statistics as pure functions: no database, no Flask, so they can be checked by hand.

Every figure is computed over the respondents who answered the question it needs (skipping is allowed),
and every figure whose count is below ``MIN_CELL`` is suppressed: shown as "too few", never as a number,
so nobody's answers can be picked out of a small group.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import mean, variance

MIN_CELL = 10
CONFIDENCE = 0.95
TOO_FEW = "too few"


@dataclass(frozen=True)
class Measures:
    """What one response says, derived from its answers (None where the question was skipped)."""

    feels_unsafe: bool | None
    unsafe_after_dark: bool | None
    cohesion: float | None


# --- Student's t distribution (scipy is not a dependency) -------------------------------------------------


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz; Numerical Recipes 6.4)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _betacf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    tail = 0.5 * _betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The p-quantile of Student's t with df degrees of freedom (bisection on the exact CDF)."""
    if not 0.0 < p < 1.0 or df <= 0:
        raise ValueError("p must lie in (0, 1) and df must be positive")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        high *= 2.0
    for _ in range(200):
        mid = (low + high) / 2.0
        if t_cdf(mid, df) < p:
            low = mid
        else:
            high = mid
        if high - low < 1e-12:
            break
    return (low + high) / 2.0


# --- Building blocks ---------------------------------------------------------------------------------------


def suppressed(count: int | None = None) -> dict:
    return {"suppressed": True, "label": TOO_FEW}


def mean_with_ci(values: Sequence[float]) -> dict:
    """Mean with a 95% confidence interval: mean ± t(0.975, n-1) · s / √n."""
    values = list(values)
    n = len(values)
    if n < MIN_CELL:
        return {"n": None, **suppressed()}
    m = mean(values)
    half = t_quantile(1 - (1 - CONFIDENCE) / 2, n - 1) * math.sqrt(variance(values) / n)
    return {"n": n, "suppressed": False, "mean": m, "ci_low": m - half, "ci_high": m + half}


def share_of(flags: Iterable[bool | None]) -> dict:
    """The share of True among those who answered."""
    answered = [f for f in flags if f is not None]
    if len(answered) < MIN_CELL:
        return {"n": None, **suppressed()}
    return {"n": len(answered), "suppressed": False, "share": sum(answered) / len(answered)}


def cell(measures: Sequence[Measures]) -> dict:
    """One wave × respondent type: responses, share feeling unsafe, mean cohesion with its 95% CI."""
    n = len(measures)
    if n < MIN_CELL:
        return {"respondents": None, "suppressed": True, "label": TOO_FEW,
                "unsafe": None, "unsafe_after_dark": None, "cohesion": None}
    return {
        "respondents": n,
        "suppressed": False,
        "label": None,
        "unsafe": share_of(m.feels_unsafe for m in measures),
        "unsafe_after_dark": share_of(m.unsafe_after_dark for m in measures),
        "cohesion": mean_with_ci([m.cohesion for m in measures if m.cohesion is not None]),
    }


def paired_change(pairs: Sequence[tuple[Measures, Measures]]) -> dict:
    """Change from baseline to follow-up for the same residents (before, after).

    Cohesion: mean of the differences d = after - before, with the paired-t 95% CI
    mean(d) ± t(0.975, n-1) · sd(d) / √n. Unsafe: share unsafe after minus share unsafe before, over the
    residents who answered that question both times.
    """
    cohesion_d = [a.cohesion - b.cohesion for b, a in pairs if a.cohesion is not None and b.cohesion is not None]
    unsafe = [(b.feels_unsafe, a.feels_unsafe) for b, a in pairs
              if a.feels_unsafe is not None and b.feels_unsafe is not None]
    result = {"pairs": len(pairs) if len(pairs) >= MIN_CELL else None}
    result["cohesion"] = mean_with_ci(cohesion_d)
    if len(unsafe) < MIN_CELL:
        result["unsafe"] = {"n": None, **suppressed()}
    else:
        before = sum(b for b, _ in unsafe) / len(unsafe)
        after = sum(a for _, a in unsafe) / len(unsafe)
        result["unsafe"] = {"n": len(unsafe), "suppressed": False, "before": before, "after": after,
                            "change": after - before}
    return result


def diff_in_diff(pairs: Sequence[tuple[Measures, Measures]], np_before: Sequence[Measures],
                 np_after: Sequence[Measures]) -> dict:
    """Participants' change minus non-participants' change over the same period.

    Participants are measured twice (paired); non-participants answer anonymously, so their two periods
    are two separate samples:
        DiD = mean(d_participants) - (mean(np_after) - mean(np_before))
        SE  = √( s²_d/n_d + s²_after/n_after + s²_before/n_before )
        df  = Welch–Satterthwaite: SE⁴ / Σ (s²_i/n_i)² / (n_i - 1)
        95% CI = DiD ± t(0.975, df) · SE
    A positive cohesion DiD means cohesion rose more among participants than around them. For the share
    feeling unsafe only the point estimate is given (in share points; negative = fewer feel unsafe).
    """
    d = [a.cohesion - b.cohesion for b, a in pairs if a.cohesion is not None and b.cohesion is not None]
    after = [m.cohesion for m in np_after if m.cohesion is not None]
    before = [m.cohesion for m in np_before if m.cohesion is not None]
    result = {}
    if min(len(d), len(after), len(before)) < MIN_CELL:
        result["cohesion"] = suppressed()
    else:
        participants = mean(d)
        others = mean(after) - mean(before)
        parts = [variance(x) / len(x) for x in (d, after, before)]
        se = math.sqrt(sum(parts))
        estimate = participants - others
        if se > 0:
            df = se**4 / sum(p * p / (len(x) - 1) for p, x in zip(parts, (d, after, before), strict=True))
            half = t_quantile(1 - (1 - CONFIDENCE) / 2, df) * se
        else:
            half = 0.0
        result["cohesion"] = {
            "suppressed": False, "participants_change": participants, "non_participants_change": others,
            "estimate": estimate, "ci_low": estimate - half, "ci_high": estimate + half,
            "n_pairs": len(d), "n_non_participants_before": len(before), "n_non_participants_after": len(after),
        }
    unsafe_pairs = [(b.feels_unsafe, a.feels_unsafe) for b, a in pairs
                    if a.feels_unsafe is not None and b.feels_unsafe is not None]
    after_u = [m.feels_unsafe for m in np_after if m.feels_unsafe is not None]
    before_u = [m.feels_unsafe for m in np_before if m.feels_unsafe is not None]
    if min(len(unsafe_pairs), len(after_u), len(before_u)) < MIN_CELL:
        result["unsafe"] = suppressed()
    else:
        participants = (sum(a for _, a in unsafe_pairs) - sum(b for b, _ in unsafe_pairs)) / len(unsafe_pairs)
        others = sum(after_u) / len(after_u) - sum(before_u) / len(before_u)
        result["unsafe"] = {"suppressed": False, "participants_change": participants,
                            "non_participants_change": others, "estimate": participants - others}
    return result
