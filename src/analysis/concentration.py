"""Market concentration: shares, HHI and relatives, mergers, partial ownership (MHHI), screens.

Definitions follow ``methods.md`` (shared design notes of the project):

- Shares ``s_i`` are in **percent** (a market sums to 100). **HHI** = sum of ``s_i**2`` on the
  0-10,000 scale; **CR-n** = sum of the ``n`` largest shares; **equivalent number of firms** =
  10,000 / HHI (US DOJ Antitrust Division, "Herfindahl-Hirschman Index").
- **Entropy** ``E = -sum p ln p`` with ``p = s / 100``; **Hannah-Kay** numbers-equivalent
  ``N_a = (sum p**a) ** (1 / (1 - a))``; **Gini** ``G = sum_i sum_j |p_i - p_j| / (2 n**2 mean(p))``
  (Open Risk, concentrationMetrics).
- Unnamed **others** (published shares rarely sum to 100): the residual ``x`` as one firm adds
  ``x**2`` (upper bound); as ``k`` equal firms it adds ``x**2 / k`` (lower bound as ``k`` grows).
  The over-time results report these two **bounds** and no central point: any split in between
  (e.g. the rule ``"capped"``, equal firms no larger than the smallest named firm) depends on how
  many firms the source happened to name. CR-n is computed from the named firms only (no phantom
  firm for the residual). See :data:`OTHERS_RULES`.
- **Merger**: the change in HHI of merging firms with shares ``a`` and ``b`` is ``2ab``; in general
  post-merger HHI of any grouping minus pre-merger HHI.
- **Modified HHI** of O'Brien and Salop (2000): owners ``i`` hold ``beta[i, j]`` of firm ``j``'s
  profits and control weight ``gamma[i, j]``; firm ``j`` weighs rival ``k``'s profit by
  ``w[j, k] = (gamma[:, j] @ beta[:, k]) / (gamma[:, j] @ beta[:, j])`` and
  ``MHHI = sum_j sum_k s_j s_k w[j, k]`` (see :func:`mhhi`).
- **Screens**: US 2023 Merger Guidelines (Guideline 1, section 2.1), US 2010 Horizontal Merger
  Guidelines (section 5.3) and EU Horizontal Merger Guidelines (OJ C 31, 5.2.2004, paras 19-21).
  Thresholds are strict where the text says "more than" / "less than".

All functions are pure (no I/O). The only data entry point is :func:`select_shares`, which works on
the processed ``market_shares`` table (``analysis.data.load("market_shares", as_of=...)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from analysis.data import primary_rows

__all__ = [
    "OTHERS",
    "OTHERS_RULES",
    "BOUND_RULES",
    "TREATMENTS",
    "GUIDELINES",
    "hhi",
    "cr_n",
    "equivalent_firms",
    "entropy",
    "hannah_kay",
    "gini",
    "complete_shares",
    "others_bounds",
    "merger_delta",
    "post_merger_hhi",
    "pairwise_mergers",
    "profit_weights",
    "mhhi",
    "stake_delta",
    "stake_matrices",
    "ScreenResult",
    "screen_us_2023",
    "screen_us_2010",
    "screen_eu_2004",
    "screen",
    "screens_table",
    "select_shares",
    "period_kind",
    "selections",
    "shares_wide",
    "period_shares",
    "latest_period",
    "series_disagreement",
    "concentration_over_time",
    "stakes_relevance",
    "current_stakes",
    "ownership_matrices",
    "TreatmentResult",
    "treatment_weights",
    "apply_treatment",
    "treatments_table",
    "rounding_resolution",
    "simulate_shares",
    "simulate_hhi",
    "simulate_delta",
    "simulate_over_time",
    "simulate_treatment",
    "interval",
]

#: Label of the residual the sources state (``firm == "others"`` in ``market_shares``).
OTHERS = "others"

#: Rules for the unnamed residual ``x`` (see :func:`complete_shares`).
OTHERS_RULES: tuple[str, ...] = ("capped", "one_firm", "fragmented", "k_firms")

#: Partnership treatments of :func:`apply_treatment`.
TREATMENTS: tuple[str, ...] = ("independent", "silent", "proportional", "merged")

#: Screens of :func:`screen`.
GUIDELINES: tuple[str, ...] = ("us_2023", "us_2010", "eu_2004")

OthersRule = Literal["capped", "one_firm", "fragmented", "k_firms"]

#: The two rules that bound the HHI for an unnamed residual: (lower, upper).
BOUND_RULES: tuple[str, str] = ("fragmented", "one_firm")
Treatment = Literal["independent", "silent", "proportional", "merged"]
Guideline = Literal["us_2023", "us_2010", "eu_2004"]


# --------------------------------------------------------------------------------------------
# Indices of one share vector (vectorized over leading axes where it makes sense)
# --------------------------------------------------------------------------------------------


def _arr(shares: Iterable[float] | np.ndarray | pd.Series) -> np.ndarray:
    a = np.asarray(shares, dtype=float)
    if a.ndim == 0:
        a = a.reshape(1)
    return a


def hhi(shares: Iterable[float] | np.ndarray, axis: int = -1) -> float | np.ndarray:
    """Herfindahl-Hirschman index: sum of squared percentage shares (0 to 10,000).

    Parameters
    ----------
    shares : array-like
        Shares in percent; NaN is ignored. A 2-D array gives one HHI per row (``axis=-1``).

    Returns
    -------
    float or ndarray
        HHI in points (a monopoly has 10,000).

    Examples
    --------
    >>> hhi([50, 30, 20])
    3800.0
    >>> hhi([[50, 50], [100, 0]]).tolist()
    [5000.0, 10000.0]
    """
    out = np.nansum(np.square(_arr(shares)), axis=axis)
    return float(out) if np.ndim(out) == 0 else out


def cr_n(shares: Iterable[float] | np.ndarray, n: int = 4, axis: int = -1) -> float | np.ndarray:
    """Concentration ratio: sum of the ``n`` largest shares (percent).

    Examples
    --------
    >>> cr_n([10, 40, 20, 5, 25], n=2)
    65.0
    >>> cr_n([60], n=4)
    60.0
    """
    a = np.nan_to_num(_arr(shares), nan=0.0)
    top = -np.sort(-a, axis=axis)
    out = np.take(top, range(min(n, top.shape[axis])), axis=axis).sum(axis=axis)
    return float(out) if np.ndim(out) == 0 else out


def equivalent_firms(hhi_value: float | np.ndarray) -> float | np.ndarray:
    """Number of equal-sized firms with the same HHI: 10,000 / HHI.

    Examples
    --------
    >>> equivalent_firms(2500.0)
    4.0
    """
    out = 10_000.0 / np.asarray(hhi_value, dtype=float)
    return float(out) if np.ndim(out) == 0 else out


def _fractions(shares: Iterable[float] | np.ndarray) -> np.ndarray:
    a = _arr(shares)
    a = a[~np.isnan(a)]
    return a[a > 0] / 100.0


def entropy(shares: Iterable[float] | np.ndarray) -> float:
    """Shannon entropy ``-sum p ln p`` of shares (nats), with ``p = s / 100``.

    Examples
    --------
    >>> round(entropy([50, 50]), 6)  # ln 2
    0.693147
    """
    p = _fractions(shares)
    return float(-(p * np.log(p)).sum())


def hannah_kay(shares: Iterable[float] | np.ndarray, alpha: float = 2.0) -> float:
    """Hannah-Kay numbers-equivalent ``(sum p**alpha) ** (1 / (1 - alpha))``.

    ``alpha = 2`` gives 10,000 / HHI; ``alpha -> 1`` gives ``exp(entropy)``.

    Examples
    --------
    >>> round(hannah_kay([50, 30, 20], 2.0), 4), round(10_000 / 3800, 4)
    (2.6316, 2.6316)
    >>> round(hannah_kay([50, 50], 1.0), 6)
    2.0
    """
    p = _fractions(shares)
    if abs(alpha - 1.0) < 1e-12:
        return float(np.exp(-(p * np.log(p)).sum()))
    return float(np.power(np.power(p, alpha).sum(), 1.0 / (1.0 - alpha)))


def gini(shares: Iterable[float] | np.ndarray) -> float:
    """Gini coefficient ``sum_i sum_j |p_i - p_j| / (2 n**2 mean(p))`` of the given shares.

    0 for equal shares; it depends on ``n`` (the firms listed), so it is only comparable across
    periods with the same treatment of others.

    Examples
    --------
    >>> gini([25, 25, 25, 25])
    0.0
    >>> round(gini([50, 30, 20]), 4)
    0.2
    """
    a = _arr(shares)
    a = a[~np.isnan(a)] / 100.0
    n = a.size
    if n == 0 or a.sum() == 0:
        return float("nan")
    return float(np.abs(a[:, None] - a[None, :]).sum() / (2 * n**2 * a.mean()))


# --------------------------------------------------------------------------------------------
# The unnamed residual ("others")
# --------------------------------------------------------------------------------------------


def complete_shares(
    named: Iterable[float] | np.ndarray,
    residual: float | None = None,
    rule: OthersRule = "capped",
    k: int = 10,
) -> np.ndarray:
    """Named shares completed with the unnamed residual split by a stated ``rule``.

    Parameters
    ----------
    named : array-like
        Shares of the named firms, percent.
    residual : float, optional
        Share of the unnamed rest; default ``max(0, 100 - sum(named))``.
    rule : {"capped", "one_firm", "fragmented", "k_firms"}
        - ``one_firm``: the residual is one firm (adds ``x**2``: upper bound of HHI);
        - ``fragmented``: the residual is infinitely many small firms (adds nothing: the lower
          bound, the limit of ``x**2 / k``); the residual is dropped from the vector;
        - ``k_firms``: ``k`` equal firms (adds ``x**2 / k``);
        - ``capped``: equal firms no larger than the smallest named firm, plus a remainder
          (assumes the source named the largest firms).
    k : int
        Number of firms for ``k_firms``.

    Returns
    -------
    ndarray
        The named shares followed by the pieces of the residual.

    Examples
    --------
    >>> complete_shares([50, 30], rule="one_firm").tolist()
    [50.0, 30.0, 20.0]
    >>> complete_shares([40, 30, 10], rule="capped").tolist()
    [40.0, 30.0, 10.0, 10.0, 10.0]
    >>> complete_shares([50, 30], rule="fragmented").tolist()
    [50.0, 30.0]
    """
    a = _arr(named)
    a = a[~np.isnan(a)]
    x = max(0.0, 100.0 - float(a.sum())) if residual is None else max(0.0, float(residual))
    if x <= 0 or rule == "fragmented":
        return a
    if rule == "one_firm":
        return np.append(a, x)
    if rule == "k_firms":
        return np.append(a, np.full(int(k), x / int(k)))
    if rule == "capped":
        cap = float(a.min()) if a.size and a.min() > 0 else x
        pieces = int(np.floor(x / cap + 1e-9))
        rest = x - pieces * cap
        extra = np.full(pieces, cap)
        if rest > 1e-9:
            extra = np.append(extra, rest)
        return np.append(a, extra)
    raise ValueError(f"unknown others rule {rule!r}; use one of {OTHERS_RULES}")


def others_bounds(
    named: Iterable[float] | np.ndarray, residual: float | None = None
) -> tuple[float, float]:
    """Lower and upper HHI bounds for an unnamed residual (fragmented vs one firm).

    Examples
    --------
    >>> others_bounds([50, 30])  # residual 20: adds 0 (many tiny firms) to 400 (one firm)
    (3400.0, 3800.0)
    """
    low = hhi(complete_shares(named, residual, "fragmented"))
    high = hhi(complete_shares(named, residual, "one_firm"))
    return low, high


# --------------------------------------------------------------------------------------------
# Mergers
# --------------------------------------------------------------------------------------------


def merger_delta(a: float | np.ndarray, b: float | np.ndarray) -> float | np.ndarray:
    """Change in HHI when firms with shares ``a`` and ``b`` (percent) merge: ``2ab``.

    Examples
    --------
    >>> merger_delta(20, 10)
    400.0
    """
    out = 2.0 * np.asarray(a, dtype=float) * np.asarray(b, dtype=float)
    return float(out) if np.ndim(out) == 0 else out


def post_merger_hhi(shares: Mapping[str, float], groups: Iterable[Iterable[str]]) -> float:
    """HHI after the firms in each group combine (firms in no group stay alone).

    Examples
    --------
    >>> post_merger_hhi({"a": 50, "b": 30, "c": 20}, [["b", "c"]])
    5000.0
    """
    owner = {f: f for f in shares}
    for group in groups:
        members = list(group)
        for f in members:
            owner[f] = members[0]
    combined: dict[str, float] = {}
    for f, s in shares.items():
        combined[owner[f]] = combined.get(owner[f], 0.0) + float(s)
    return hhi(list(combined.values()))


def pairwise_mergers(shares: Mapping[str, float], hhi_pre: float | None = None) -> pd.DataFrame:
    """Every two-firm merger among the named firms: post-merger HHI, delta, combined share.

    Parameters
    ----------
    shares : mapping
        Firm -> share (percent).
    hhi_pre : float, optional
        Pre-merger HHI including any residual (default: HHI of ``shares``).

    Returns
    -------
    DataFrame
        Columns ``firm_a``, ``firm_b``, ``share_a``, ``share_b``, ``combined_share``, ``delta``,
        ``hhi_post``; sorted by delta (descending).

    Examples
    --------
    >>> top = pairwise_mergers({"a": 50, "b": 30, "c": 20}).iloc[0]
    >>> top["firm_a"], top["firm_b"], float(top["delta"])
    ('a', 'b', 3000.0)
    """
    base = hhi(list(shares.values())) if hhi_pre is None else float(hhi_pre)
    firms = list(shares)
    rows = []
    for i, a in enumerate(firms):
        for b in firms[i + 1 :]:
            d = merger_delta(shares[a], shares[b])
            rows.append(
                {
                    "firm_a": a,
                    "firm_b": b,
                    "share_a": float(shares[a]),
                    "share_b": float(shares[b]),
                    "combined_share": float(shares[a]) + float(shares[b]),
                    "delta": d,
                    "hhi_post": base + d,
                }
            )
    columns = ["firm_a", "firm_b", "share_a", "share_b", "combined_share", "delta", "hhi_post"]
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(
        ["delta", "firm_a", "firm_b"], ascending=[False, True, True]
    ).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Partial ownership: O'Brien-Salop modified HHI
# --------------------------------------------------------------------------------------------


def profit_weights(beta: np.ndarray, gamma: np.ndarray) -> np.ndarray:
    """O'Brien-Salop weights ``w[j, k]`` firm ``j``'s managers put on rival ``k``'s profit.

    ``w[j, k] = (sum_i gamma[i, j] beta[i, k]) / (sum_i gamma[i, j] beta[i, j])``; ``w[j, j] = 1``.

    Parameters
    ----------
    beta : ndarray, shape (owners, firms)
        Owner ``i``'s share of firm ``j``'s profits (fraction, columns usually sum to 1).
    gamma : ndarray, shape (owners, firms)
        Owner ``i``'s control weight over firm ``j`` (fraction).

    Raises
    ------
    ValueError
        When a firm's controlling owners hold none of its profits (the weight is undefined).

    Examples
    --------
    >>> profit_weights(np.array([[1.0, 0.2], [0.0, 0.8]]), np.eye(2)).round(3).tolist()
    [[1.0, 0.2], [0.0, 1.0]]
    """
    beta = np.asarray(beta, dtype=float)
    gamma = np.asarray(gamma, dtype=float)
    if beta.shape != gamma.shape:
        raise ValueError(f"beta {beta.shape} and gamma {gamma.shape} differ in shape")
    num = gamma.T @ beta  # (firms, firms): sum_i gamma_ij beta_ik
    den = np.diag(num).copy()
    if np.any(den <= 0):
        raise ValueError("a firm's controlling owners hold no share of its profits")
    return num / den[:, None]


def mhhi(
    shares: Iterable[float] | np.ndarray, beta: np.ndarray, gamma: np.ndarray, axis: int = -1
) -> float | np.ndarray:
    """Modified HHI of O'Brien and Salop (2000): ``sum_j sum_k s_j s_k w[j, k]``.

    Equals the HHI plus ``delta MHHI`` (the ordered off-diagonal terms). Weights may exceed 1, so
    MHHI may exceed 10,000. A 2-D ``shares`` (draws x firms) gives one value per draw.

    Examples
    --------
    Two equal firms under one owner with full control (a monopoly):

    >>> mhhi([50, 50], beta=np.ones((1, 2)), gamma=np.ones((1, 2)))
    10000.0

    Silent 20 % stake of A's owners in B (shares 30 and 20): adds ``0.2 * 30 * 20 = 120``:

    >>> mhhi([30, 20], *stake_matrices(0.2, "silent")) - hhi([30, 20])
    120.0
    """
    w = profit_weights(beta, gamma)
    s = _arr(shares)
    s = np.nan_to_num(s, nan=0.0)
    if s.ndim == 1:
        return float(s @ w @ s)
    return np.einsum("...j,jk,...k->...", s, w, s)


Case = Literal["silent", "proportional", "total", "merger"]


def stake_matrices(beta: float, case: Case = "silent") -> tuple[np.ndarray, np.ndarray]:
    """Owner matrices for "A's owners acquire ``beta`` of B's profits" (two firms A, B).

    Owners are (A's owners, B's other owners); columns are (A, B).

    - ``silent``: no control over B (B's other owners keep it all; needs ``beta < 1``);
    - ``proportional``: control in proportion to the profit share (``gamma = beta``);
    - ``total``: A's owners control B;
    - ``merger``: ``beta = 1`` with total control.

    Examples
    --------
    >>> b, g = stake_matrices(0.25, "proportional")
    >>> b.tolist(), g.tolist()
    ([[1.0, 0.25], [0.0, 0.75]], [[1.0, 0.25], [0.0, 0.75]])
    """
    if case == "merger":
        beta = 1.0
    if not 0.0 <= beta <= 1.0:
        raise ValueError("beta must lie in [0, 1]")
    if case == "silent" and beta >= 1.0:
        raise ValueError("a silent interest needs beta < 1 (B's controlling owners need profits)")
    b = np.array([[1.0, beta], [0.0, 1.0 - beta]])
    if case == "silent":
        g = np.array([[1.0, 0.0], [0.0, 1.0]])
    elif case == "proportional":
        g = b.copy()
    elif case in ("total", "merger"):
        g = np.array([[1.0, 1.0], [0.0, 0.0]])
    else:
        raise ValueError(f"unknown case {case!r}")
    return b, g


def stake_delta(s_a: float, s_b: float, beta: float, case: Case = "silent") -> float:
    """Closed-form delta MHHI when A's owners acquire ``beta`` of B (methods.md table).

    ==============  ==============================================
    silent          ``beta s_A s_B``
    proportional    ``s_A s_B [beta + beta / (beta**2 + (1 - beta)**2)]``
    total           ``s_A s_B (beta + 1 / beta)``
    merger          ``2 s_A s_B``
    ==============  ==============================================

    Examples
    --------
    >>> stake_delta(30, 20, 0.2, "silent")
    120.0
    >>> stake_delta(30, 20, 1.0, "proportional") == stake_delta(30, 20, 0.5, "merger") == 1200.0
    True
    """
    ab = float(s_a) * float(s_b)
    if case == "silent":
        return beta * ab
    if case == "proportional":
        return ab * (beta + beta / (beta**2 + (1 - beta) ** 2))
    if case == "total":
        return ab * (beta + 1.0 / beta)
    if case == "merger":
        return 2.0 * ab
    raise ValueError(f"unknown case {case!r}")


# --------------------------------------------------------------------------------------------
# Screens
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScreenResult:
    """Outcome of a merger-guideline screen.

    Attributes
    ----------
    guideline : str
        ``us_2023``, ``us_2010`` or ``eu_2004``.
    hhi_post, delta : float
        Post-transaction (M)HHI and its change, points.
    merged_share : float or None
        Share of the combined firm, percent (used by ``us_2023`` only).
    level : str
        Concentration band the guideline names (``highly concentrated`` ...).
    outcome : str
        What the text says about such a change.
    concern : bool
        ``True`` when the screen flags the change (presumption, significant concerns, or not in a
        safe harbour of the EU guidelines).
    rule : str
        The clause applied, with its thresholds.
    """

    guideline: str
    hhi_post: float
    delta: float
    merged_share: float | None
    level: str
    outcome: str
    concern: bool
    rule: str

    def as_dict(self) -> dict[str, object]:
        """The result as a plain dict (a table row)."""
        return asdict(self)


def screen_us_2023(
    hhi_post: float, delta: float, merged_share: float | None = None
) -> ScreenResult:
    """US 2023 Merger Guidelines, Guideline 1 (section 2.1) structural presumption.

    Presumed to substantially lessen competition when post-merger HHI > 1,800 and delta > 100, or
    when the merged firm's share > 30 % and delta > 100 (all strict).

    Examples
    --------
    >>> screen_us_2023(1801, 101).concern, screen_us_2023(1800, 101).concern
    (True, False)
    >>> screen_us_2023(1000, 101, merged_share=30.5).outcome
    'presumed to substantially lessen competition (share)'
    >>> screen_us_2023(5000, 100).concern
    False
    """
    level = "highly concentrated" if hhi_post > 1800 else "not highly concentrated"
    by_hhi = hhi_post > 1800 and delta > 100
    by_share = merged_share is not None and merged_share > 30 and delta > 100
    if by_hhi:
        outcome = "presumed to substantially lessen competition (HHI)"
    elif by_share:
        outcome = "presumed to substantially lessen competition (share)"
    else:
        outcome = "no structural presumption"
    return ScreenResult(
        "us_2023",
        float(hhi_post),
        float(delta),
        None if merged_share is None else float(merged_share),
        level,
        outcome,
        bool(by_hhi or by_share),
        "HHI > 1,800 and delta > 100, or share > 30% and delta > 100 (Guideline 1, 2.1)",
    )


def screen_us_2010(hhi_post: float, delta: float) -> ScreenResult:
    """US 2010 Horizontal Merger Guidelines, section 5.3.

    Bands: unconcentrated < 1,500; moderately 1,500-2,500; highly > 2,500. A change < 100 is
    unlikely to have adverse effects. Moderately and delta > 100: potentially significant concerns.
    Highly and 100 < delta <= 200: potentially significant concerns; highly and delta > 200:
    presumed likely to enhance market power. A change of exactly 100 falls in none of the clauses.

    Examples
    --------
    >>> screen_us_2010(2501, 201).outcome
    'presumed likely to enhance market power'
    >>> screen_us_2010(2500, 201).outcome
    'potentially raise significant competitive concerns'
    >>> screen_us_2010(3000, 100).outcome
    'no clause of section 5.3 applies (delta of exactly 100)'
    """
    if hhi_post < 1500:
        level = "unconcentrated"
    elif hhi_post <= 2500:
        level = "moderately concentrated"
    else:
        level = "highly concentrated"
    concern = False
    if delta < 100:
        outcome = "unlikely to have adverse competitive effects (small change)"
    elif level == "unconcentrated":
        outcome = "unlikely to have adverse competitive effects (unconcentrated)"
    elif delta == 100:
        outcome = "no clause of section 5.3 applies (delta of exactly 100)"
    elif level == "moderately concentrated":
        outcome, concern = "potentially raise significant competitive concerns", True
    elif delta <= 200:
        outcome, concern = "potentially raise significant competitive concerns", True
    else:
        outcome, concern = "presumed likely to enhance market power", True
    return ScreenResult(
        "us_2010",
        float(hhi_post),
        float(delta),
        None,
        level,
        outcome,
        concern,
        "bands < 1,500 / 1,500-2,500 / > 2,500; changes 100 and 200 (section 5.3)",
    )


def screen_eu_2004(hhi_post: float, delta: float) -> ScreenResult:
    """EU Horizontal Merger Guidelines (OJ C 31, 5.2.2004), paras 19-21.

    Concerns unlikely if HHI < 1,000; or 1,000-2,000 with delta < 250; or > 2,000 with delta < 150.
    These are initial indicators, not presumptions, and do not apply under special circumstances
    (para 20), one of which is significant cross-shareholdings among market participants.

    Examples
    --------
    >>> screen_eu_2004(999, 5000).concern, screen_eu_2004(1000, 249).concern
    (False, False)
    >>> screen_eu_2004(2000, 250).concern, screen_eu_2004(2001, 150).concern
    (True, True)
    """
    if hhi_post < 1000:
        level, safe = "below 1,000", True
    elif hhi_post <= 2000:
        level, safe = "1,000-2,000", delta < 250
    else:
        level, safe = "above 2,000", delta < 150
    outcome = (
        "horizontal concerns unlikely (safe harbour)"
        if safe
        else "outside the safe harbours: initial indicator for further examination"
    )
    return ScreenResult(
        "eu_2004",
        float(hhi_post),
        float(delta),
        None,
        level,
        outcome,
        not safe,
        "HHI < 1,000; 1,000-2,000 and delta < 250; > 2,000 and delta < 150 (paras 19-21)",
    )


def screen(
    hhi_post: float, delta: float, guideline: Guideline, merged_share: float | None = None
) -> ScreenResult:
    """Dispatch to :func:`screen_us_2023`, :func:`screen_us_2010` or :func:`screen_eu_2004`.

    Examples
    --------
    >>> screen(3800, 400, "us_2010").level
    'highly concentrated'
    """
    if guideline == "us_2023":
        return screen_us_2023(hhi_post, delta, merged_share)
    if guideline == "us_2010":
        return screen_us_2010(hhi_post, delta)
    if guideline == "eu_2004":
        return screen_eu_2004(hhi_post, delta)
    raise ValueError(f"unknown guideline {guideline!r}; use one of {GUIDELINES}")


def screens_table(
    cases: Iterable[Mapping[str, object]], guidelines: Sequence[str] = GUIDELINES
) -> pd.DataFrame:
    """Screens for several cases: one row per case and guideline.

    Parameters
    ----------
    cases : iterable of mapping
        Each with ``hhi_post``, ``delta`` and optionally ``merged_share`` and any label columns
        (e.g. ``case``), which are carried into the output.
    guidelines : sequence of str
        Subset of :data:`GUIDELINES`.

    Examples
    --------
    >>> t = screens_table([{"case": "x", "hhi_post": 3800.0, "delta": 400.0}], ["us_2023"])
    >>> t[["case", "guideline", "concern"]].to_dict("records")
    [{'case': 'x', 'guideline': 'us_2023', 'concern': True}]
    """
    rows = []
    for case in cases:
        labels = {k: v for k, v in case.items() if k not in ("hhi_post", "delta", "merged_share")}
        share = case.get("merged_share")
        for g in guidelines:
            res = screen(
                float(case["hhi_post"]),
                float(case["delta"]),
                g,  # type: ignore[arg-type]
                None if share is None or pd.isna(share) else float(share),
            )
            rows.append({**labels, **res.as_dict()})
    columns = [*ScreenResult.__dataclass_fields__]
    if not rows:
        return pd.DataFrame(columns=["case", *columns])
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# Shares from the market_shares table
# --------------------------------------------------------------------------------------------

_STATUS_RANK = {"announced": 0, "reported": 1, "rumoured": 2}


def period_kind(start: pd.Series, end: pd.Series) -> pd.Series:
    """``quarter``, ``half``, ``year`` or ``other`` from a period's length.

    Examples
    --------
    >>> s = pd.to_datetime(pd.Series(["2024-01-01", "2024-01-01"]))
    >>> e = pd.to_datetime(pd.Series(["2024-03-31", "2024-12-31"]))
    >>> period_kind(s, e).tolist()
    ['quarter', 'year']
    """
    days = (pd.to_datetime(end) - pd.to_datetime(start)).dt.days + 1
    kind = np.select(
        [days.between(85, 95), days.between(178, 186), days.between(360, 370)],
        ["quarter", "half", "year"],
        default="other",
    )
    return pd.Series(kind, index=start.index, dtype="object")


def select_shares(
    market_shares: pd.DataFrame,
    market: str | None = None,
    series: str | None = None,
    measure: str | None = None,
    frequency: str = "any",
) -> pd.DataFrame:
    """One share per market, series, measure, period and firm (the rule for duplicates).

    Rule: first the data's own marking, :func:`analysis.data.primary_rows`: a row whose
    ``alternate_of`` names a row present in ``market_shares`` is dropped (an alternate whose
    preferred row is not yet known, e.g. in an as-of view, stays). Where several unmarked rows
    still give a share for the same firm and period, the **latest known** (largest
    ``source_date``), then the firmer ``status``, then the shortest ``share_id``.

    Parameters
    ----------
    market_shares : DataFrame
        The processed ``market_shares`` table (optionally as of a date).
    market, series, measure : str, optional
        Filters (``None`` keeps all).
    frequency : {"any", "quarter", "half", "year"}
        Keep only periods of that length.

    Returns
    -------
    DataFrame
        The selected rows with a ``period_kind`` column, sorted by period and descending share.
    """
    frame = primary_rows(market_shares, "market_shares").copy()
    for column, value in (("market", market), ("series", series), ("measure", measure)):
        if value is not None:
            frame = frame.loc[frame[column] == value]
    if frame.empty:
        out = frame.assign(period_kind=pd.Series(dtype="object"))
        return out.reset_index(drop=True)
    frame = frame.assign(period_kind=period_kind(frame["period_start"], frame["period_end"]))
    if frequency != "any":
        frame = frame.loc[frame["period_kind"] == frequency]
    frame = frame.assign(
        _rank=frame["status"].map(_STATUS_RANK).fillna(3),
        _idlen=frame["share_id"].str.len(),
    )
    frame = frame.sort_values(
        ["source_date", "_rank", "_idlen", "share_id"], ascending=[False, True, True, True]
    )
    key = ["market", "series", "measure", "period_start", "period_end", "firm"]
    frame = frame.drop_duplicates(key, keep="first").drop(columns=["_rank", "_idlen"])
    frame = frame.sort_values(["market", "series", "period_end", "share"], ascending=[1, 1, 1, 0])
    return frame.reset_index(drop=True)


def selections(
    market_shares: pd.DataFrame,
    market: str,
    series: str | None = None,
    frequency: str = "auto",
) -> dict[tuple[str, str], pd.DataFrame]:
    """:func:`select_shares` for every publisher series and measure of a market.

    Parameters
    ----------
    market_shares : DataFrame
        Processed ``market_shares`` (as of a date).
    market : str
        The market.
    series : str, optional
        One series (``None`` or ``"all"``: every series in the data).
    frequency : {"auto", "any", "quarter", "half", "year"}
        ``auto`` keeps, per series and measure, the most common period length (so that quarters
        and full years are not mixed in one time series); on a tie, the kind of the latest
        period.

    Returns
    -------
    dict
        ``(series, measure)`` -> selected rows (non-empty only), in sorted order.
    """
    frame = market_shares.loc[market_shares["market"] == market]
    if series not in (None, "all"):
        frame = frame.loc[frame["series"] == series]
    out: dict[tuple[str, str], pd.DataFrame] = {}
    for (s, m), _ in frame.groupby(["series", "measure"], sort=True):
        sel = select_shares(frame, market, s, m)
        if frequency == "auto" and not sel.empty:
            periods = sel.drop_duplicates("period_end")
            stats = periods.groupby("period_kind")["period_end"].agg(["size", "max"])
            best = stats.sort_values(["size", "max"], ascending=False).index[0]
            sel = sel.loc[sel["period_kind"] == best]
        elif frequency not in ("auto", "any"):
            sel = sel.loc[sel["period_kind"] == frequency]
        if not sel.empty:
            out[(str(s), str(m))] = sel.reset_index(drop=True)
    return out


def shares_wide(selected: pd.DataFrame) -> pd.DataFrame:
    """Shares as a period x firm table (percent; NaN where the source names no share).

    Parameters
    ----------
    selected : DataFrame
        Output of :func:`select_shares` for one market, series and measure.

    Returns
    -------
    DataFrame
        Index ``period_end``; one column per firm (``others`` if stated), ordered by mean share.
    """
    if selected.empty:
        return pd.DataFrame(index=pd.DatetimeIndex([], name="period_end"))
    wide = selected.pivot_table(index="period_end", columns="firm", values="share", aggfunc="first")
    order = wide.drop(columns=[OTHERS], errors="ignore").mean().sort_values(ascending=False).index
    cols = [*order, *([OTHERS] if OTHERS in wide else [])]
    wide = wide[cols]
    wide.columns.name = None
    return wide.sort_index()


def period_shares(
    selected: pd.DataFrame, period_end: object | None = None
) -> tuple[pd.Series, float]:
    """Named shares and the residual of one period (default: the latest).

    Returns
    -------
    (Series, float)
        Firm -> share (percent, descending, ``others`` excluded) and the residual: the stated
        ``others`` share where the source gives one, else ``max(0, 100 - sum of named)``.

    Examples
    --------
    >>> sel = pd.DataFrame({"period_end": pd.to_datetime(["2024-03-31"] * 3),
    ...                     "firm": ["a", "b", "others"], "share": [40.0, 30.0, 31.0]})
    >>> named, rest = period_shares(sel)
    >>> named.to_dict(), rest
    ({'a': 40.0, 'b': 30.0}, 31.0)
    """
    if selected.empty:
        return pd.Series(dtype=float), 100.0
    end = selected["period_end"].max() if period_end is None else pd.Timestamp(period_end)
    rows = selected.loc[selected["period_end"] == end]
    named = rows.loc[rows["firm"] != OTHERS].set_index("firm")["share"].astype(float)
    named = named.sort_values(ascending=False)
    named.name = "share"
    stated = rows.loc[rows["firm"] == OTHERS, "share"]
    residual = float(stated.iloc[0]) if len(stated) else max(0.0, 100.0 - float(named.sum()))
    return named, residual


def latest_period(selected: pd.DataFrame, min_named: float = 0.0) -> pd.Timestamp | None:
    """The latest ``period_end`` whose named firms cover more than ``min_named`` percent (strict).

    Examples
    --------
    >>> sel = pd.DataFrame({"period_end": pd.to_datetime(["2024-03-31", "2024-06-30"]),
    ...                     "firm": ["a", "a"], "share": [60.0, 20.0]})
    >>> latest_period(sel, 50).date().isoformat()
    '2024-03-31'
    """
    if selected.empty:
        return None
    named = selected.loc[selected["firm"] != OTHERS].groupby("period_end")["share"].sum()
    ok = named.loc[named > min_named]
    return None if ok.empty else pd.Timestamp(ok.index.max())


def series_disagreement(
    market_shares: pd.DataFrame, market: str, measure: str | None = None
) -> pd.DataFrame:
    """Shares of the same firm and period from different publisher series, side by side.

    Returns
    -------
    DataFrame
        Columns ``period_end``, ``firm``, one column per series (percent) and ``spread`` (largest
        minus smallest), for firm-periods given by at least two series (rule of
        :func:`select_shares`).
    """
    sel = select_shares(market_shares, market=market, measure=measure, frequency="quarter")
    sel = sel.loc[sel["firm"] != OTHERS]
    if sel.empty:
        return pd.DataFrame(columns=["period_end", "firm", "spread"])
    wide = sel.pivot_table(index=["period_end", "firm"], columns="series", values="share")
    wide = wide.loc[wide.notna().sum(axis=1) >= 2]
    wide.columns.name = None
    wide["spread"] = wide.max(axis=1) - wide.min(axis=1)
    return wide.reset_index()


def concentration_over_time(
    selected: pd.DataFrame,
    n: int = 4,
    min_named: float = 0.0,
) -> pd.DataFrame:
    """HHI bounds, CR-n of the named firms and related indices for every period of a selection.

    No central HHI is given: the published shares leave the unnamed residual undetermined, and a
    central split (e.g. equal firms no larger than the smallest named firm) would move with the
    number of firms the source happened to name. The result is the interval between the two
    bounds of ``methods.md``: the residual as many tiny firms (``hhi_low``, adds nothing) and as
    one firm (``hhi_high``, adds ``x**2``).

    Parameters
    ----------
    selected : DataFrame
        Output of :func:`select_shares` (one market, series and measure).
    n : int
        CR-n, computed from the **named firms only** (the residual is not a firm): a lower bound
        of the true CR-n, exact when the source names the ``n`` largest firms.
    min_named : float
        Keep only periods whose named firms cover **more than** this share (percent, strict).

    Returns
    -------
    DataFrame
        One row per ``period_end`` with ``period_start``, ``period_kind``, ``firms_named``,
        ``named_share`` (percent covered by named firms), ``residual`` (percent), ``hhi_low``,
        ``hhi_high``, ``hhi_named`` (named firms' own contribution, equal to ``hhi_low``),
        ``cr_n`` (named firms only), ``equivalent_firms_low`` and ``equivalent_firms_high``
        (10,000 / ``hhi_high`` and 10,000 / ``hhi_low``), and ``entropy``, ``hannah_kay_1``
        (exp entropy) and ``gini`` of the named firms plus the residual as one firm (the
        concentrated edge: splitting the residual raises entropy without limit).

    Examples
    --------
    >>> sel = pd.DataFrame({"period_start": pd.to_datetime(["2024-01-01"] * 2),
    ...     "period_end": pd.to_datetime(["2024-03-31"] * 2), "period_kind": ["quarter"] * 2,
    ...     "firm": ["a", "b"], "share": [50.0, 30.0]})
    >>> concentration_over_time(sel)[["hhi_low", "hhi_high", "cr_n", "named_share"]].iloc[0].tolist()
    [3400.0, 3800.0, 80.0, 80.0]
    """
    columns = [
        "period_end",
        "period_start",
        "period_kind",
        "firms_named",
        "named_share",
        "residual",
        "hhi_low",
        "hhi_high",
        "hhi_named",
        "cr_n",
        "equivalent_firms_low",
        "equivalent_firms_high",
        "entropy",
        "hannah_kay_1",
        "gini",
    ]
    rows = []
    for end, group in selected.groupby("period_end", sort=True):
        named, residual = period_shares(group, end)
        if named.empty or not float(named.sum()) > min_named:
            continue
        s = named.to_numpy(dtype=float)
        low = complete_shares(s, residual, "fragmented")
        high = complete_shares(s, residual, "one_firm")
        h_low, h_high = hhi(low), hhi(high)
        rows.append(
            {
                "period_end": end,
                "period_start": group["period_start"].iloc[0],
                "period_kind": group["period_kind"].iloc[0] if "period_kind" in group else None,
                "firms_named": int(len(named)),
                "named_share": float(named.sum()),
                "residual": residual,
                "hhi_low": h_low,
                "hhi_high": h_high,
                "hhi_named": hhi(s),
                "cr_n": cr_n(s, n),
                "equivalent_firms_low": equivalent_firms(h_high) if h_high > 0 else float("nan"),
                "equivalent_firms_high": equivalent_firms(h_low) if h_low > 0 else float("nan"),
                "entropy": entropy(high),
                "hannah_kay_1": hannah_kay(high, 1.0),
                "gini": gini(high),
            }
        )
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------------------------
# Ownership -> beta / gamma, and the partnership treatments
# --------------------------------------------------------------------------------------------


def stakes_relevance(stakes: pd.DataFrame, firms: Iterable[str]) -> pd.DataFrame:
    """Which stakes can move a market's horizontal MHHI, and why the others cannot.

    A stake matters when the investee has a share in the market and either the investor has one
    too or the investor holds disclosed stakes in two or more firms of the market (common
    ownership); it needs a disclosed ``economic_share`` for the silent and proportional
    treatments.

    Returns
    -------
    DataFrame
        ``stakes`` with ``investor_in_market``, ``investee_in_market``, ``disclosed`` and
        ``moves_mhhi`` (bool) and ``reason``.

    Examples
    --------
    >>> st = pd.DataFrame({"investor": ["m", "a"], "investee": ["o", "c"],
    ...                    "economic_share": [27.0, None]})
    >>> stakes_relevance(st, ["a", "c"])["moves_mhhi"].tolist()
    [False, True]
    """
    firms = set(firms)
    out = stakes.copy()
    if out.empty:
        for col in ("investor_in_market", "investee_in_market", "disclosed", "moves_mhhi"):
            out[col] = pd.Series(dtype=bool)
        out["reason"] = pd.Series(dtype="object")
        return out
    out["investor_in_market"] = out["investor"].isin(firms)
    out["investee_in_market"] = out["investee"].isin(firms)
    out["disclosed"] = out["economic_share"].notna()
    held = out.loc[out["investee_in_market"] & out["disclosed"]].groupby("investor")["investee"]
    common = set(held.nunique().loc[lambda s: s >= 2].index)
    out["moves_mhhi"] = out["investee_in_market"] & (
        out["investor_in_market"] | out["investor"].isin(common)
    )
    reasons = []
    for row in out.itertuples(index=False):
        if not row.investee_in_market:
            reasons.append("investee has no share in this market")
        elif row.investor_in_market:
            reasons.append(
                "horizontal stake" + ("" if row.disclosed else " (share undisclosed: merged only)")
            )
        elif row.investor in common:
            reasons.append("common outside owner of several firms")
        else:
            reasons.append("outside investor in a single firm of the market")
    out["reason"] = reasons
    return out


def current_stakes(
    ownership: pd.DataFrame, as_of: object | None = None, include_rumoured: bool = False
) -> pd.DataFrame:
    """The stake of each investor in each investee in force on ``as_of`` (default: latest row).

    Rule: ``rumoured`` rows (terms in talks or unconfirmed) are dropped unless
    ``include_rumoured``; then the row with the latest ``date_from`` on or before ``as_of`` holds
    for each pair; where
    its ``economic_share`` is empty, the last disclosed share of the same pair is carried forward
    (``share_carried`` is then ``True``). ``economic_share`` is the number used as beta whatever
    its ``share_measure`` (profit interest, equity, as-converted diluted); the measure is kept.

    Returns
    -------
    DataFrame
        Columns ``investor``, ``investee``, ``date_from``, ``economic_share`` (percent),
        ``share_measure``, ``control``, ``voting``, ``share_carried``, ``ownership_id``.

    Examples
    --------
    >>> o = pd.DataFrame({"ownership_id": ["m-o-1", "m-o-2"], "investor": ["m", "m"],
    ...     "investee": ["o", "o"], "date_from": pd.to_datetime(["2023-01-23", "2024-07-09"]),
    ...     "economic_share": [49.0, None], "share_measure": ["profit_interest"] * 2,
    ...     "control": ["none", "none"], "voting": [None, None]})
    >>> row = current_stakes(o).iloc[0]
    >>> float(row["economic_share"]), bool(row["share_carried"])
    (49.0, True)
    >>> current_stakes(o.assign(status=["rumoured", "announced"]))["economic_share"].isna().all()
    np.True_
    """
    columns = [
        "investor",
        "investee",
        "date_from",
        "economic_share",
        "share_measure",
        "control",
        "voting",
        "share_carried",
        "ownership_id",
    ]
    if ownership.empty:
        return pd.DataFrame(columns=columns)
    frame = ownership.sort_values(["investor", "investee", "date_from"])
    if not include_rumoured and "status" in frame:
        frame = frame.loc[frame["status"] != "rumoured"]
    if as_of is not None:
        frame = frame.loc[frame["date_from"] <= pd.Timestamp(as_of)]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    filled = frame.groupby(["investor", "investee"])["economic_share"].ffill()
    frame = frame.assign(
        share_carried=frame["economic_share"].isna() & filled.notna(), economic_share=filled
    )
    latest = frame.groupby(["investor", "investee"], sort=True).tail(1)
    return latest[columns].reset_index(drop=True)


def ownership_matrices(
    firms: Sequence[str],
    stakes: pd.DataFrame,
    control: Literal["silent", "proportional"] = "silent",
) -> tuple[np.ndarray, np.ndarray, list[str], pd.DataFrame]:
    """Profit (beta) and control (gamma) matrices for ``firms`` from a table of stakes.

    Owners are each market firm's own shareholders (labelled with the firm) and every outside
    investor holding a disclosed stake in a market firm. A market firm ``i`` that holds a stake
    in market firm ``j`` is read as "``i``'s owners hold beta of ``j``" (O'Brien-Salop). Each
    firm's own shareholders keep ``1 - sum of stakes`` in it.

    Parameters
    ----------
    firms : sequence of str
        Firms of the market (columns).
    stakes : DataFrame
        Output of :func:`current_stakes`; only rows whose investee is a market firm and with a
        disclosed ``economic_share`` are used.
    control : {"silent", "proportional"}
        ``silent``: investors get no control (each firm's own shareholders control it);
        ``proportional``: control weights equal profit shares.

    Returns
    -------
    beta, gamma : ndarray, shape (owners, firms)
    owners : list of str
    used : DataFrame
        The stakes that entered the matrices.
    """
    firms = list(firms)
    used = stakes.loc[stakes["investee"].isin(firms) & stakes["economic_share"].notna()]
    used = used.loc[used["investor"] != used["investee"]]
    outside = sorted(set(used["investor"]) - set(firms))
    owners = [*firms, *outside]
    index = {o: i for i, o in enumerate(owners)}
    beta = np.zeros((len(owners), len(firms)))
    beta[np.arange(len(firms)), np.arange(len(firms))] = 1.0
    for row in used.itertuples(index=False):
        j = firms.index(row.investee)
        beta[index[row.investor], j] += float(row.economic_share) / 100.0
    held = beta.sum(axis=0) - 1.0  # stakes held by others in each firm
    for j in range(len(firms)):
        beta[j, j] = 1.0 - held[j]
    if np.any(beta < -1e-12):
        raise ValueError("stakes in a firm add up to more than 100%")
    if control == "silent":
        gamma = np.zeros_like(beta)
        gamma[np.arange(len(firms)), np.arange(len(firms))] = 1.0
    elif control == "proportional":
        gamma = beta.copy()
    else:
        raise ValueError(f"unknown control {control!r}")
    return beta, gamma, owners, used.reset_index(drop=True)


@dataclass(frozen=True)
class TreatmentResult:
    """A partnership treatment applied to one market and period.

    Attributes
    ----------
    treatment : str
        ``independent``, ``silent``, ``proportional`` or ``merged``.
    others : str
        Rule for the unnamed residual (see :func:`complete_shares`); the residual's pieces are
        held by nobody, so ``delta`` does not depend on it, while ``hhi`` and ``mhhi`` do.
    hhi : float
        HHI of the shares as published (named firms plus others by the ``others`` rule).
    mhhi : float
        Modified HHI under the treatment (for ``merged``: HHI of the combined firms).
    delta : float
        ``mhhi - hhi``.
    largest_share : float
        Largest share of a named firm or combined group (percent; the residual is not a firm).
    merged_share : float or None
        Largest share of a group of two or more named firms combined by the treatment (only
        ``merged``; ``None`` otherwise): the share used by the US 2023 share test.
    links : list of str
        Stakes that can move the MHHI under this treatment (``investor>investee``).
    inert_links : list of str
        Stakes that entered the matrices but cannot move the MHHI: under ``silent`` every stake
        of an investor without a share in the market (it gets no control); under
        ``proportional`` such an investor's stake in a single firm of the market.
    """

    treatment: str
    others: str
    hhi: float
    mhhi: float
    delta: float
    largest_share: float
    merged_share: float | None = None
    links: list[str] = field(default_factory=list)
    inert_links: list[str] = field(default_factory=list)


def _merger_parents(firms: Sequence[str], stakes: pd.DataFrame) -> dict[str, str]:
    inside = stakes.loc[
        stakes["investee"].isin(firms)
        & stakes["investor"].isin(firms)
        & (stakes["investor"] != stakes["investee"])
    ]
    inside = inside.assign(_s=inside["economic_share"].astype(float).fillna(-1.0))
    inside = inside.sort_values(["investee", "_s", "investor"], ascending=[True, False, True])
    top = inside.drop_duplicates("investee")
    return dict(zip(top["investee"], top["investor"], strict=True))


def _root(firm: str, parent: Mapping[str, str]) -> str:
    seen = {firm}
    while firm in parent and parent[firm] not in seen:
        firm = parent[firm]
        seen.add(firm)
    return firm


def treatment_weights(
    firms: Sequence[str], stakes: pd.DataFrame, treatment: Treatment = "silent"
) -> tuple[np.ndarray, list[str]]:
    """Weight matrix ``w`` with ``MHHI = s @ w @ s`` under a partnership ``treatment``.

    - ``independent``: the identity (MHHI = HHI);
    - ``silent``: O'Brien-Salop weights with disclosed stakes as silent financial interests
      (beta from ``economic_share``, no control), see :func:`ownership_matrices`;
    - ``proportional``: the same with control in proportion to the stake (gamma = beta);
    - ``merged``: each market firm held by another market firm is merged into the holder with the
      largest disclosed stake (any stake if none is disclosed): ``w[j, k] = 1`` within a group.

    A stake moves the horizontal MHHI only where holder and held (or two firms held by one outside
    investor) both have shares in the same market.

    Returns
    -------
    (ndarray, list of str)
        ``w`` (firms x firms) and the stakes used, as ``investor>investee``.

    Examples
    --------
    >>> st = pd.DataFrame({"investor": ["a"], "investee": ["b"], "economic_share": [20.0]})
    >>> treatment_weights(["a", "b"], st, "silent")[0].tolist()
    [[1.0, 0.2], [0.0, 1.0]]
    >>> treatment_weights(["a", "b"], st, "merged")[0].tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """
    firms = list(firms)
    n = len(firms)
    if treatment == "independent" or n == 0:
        return np.eye(n), []
    if treatment in ("silent", "proportional"):
        beta, gamma, _, used = ownership_matrices(firms, stakes, treatment)  # type: ignore[arg-type]
        links = [f"{a}>{b}" for a, b in zip(used["investor"], used["investee"], strict=True)]
        return profit_weights(beta, gamma), links
    if treatment == "merged":
        parent = _merger_parents(firms, stakes)
        roots = [_root(f, parent) for f in firms]
        w = np.array([[1.0 if ra == rb else 0.0 for rb in roots] for ra in roots])
        return w, sorted(f"{a}>{b}" for b, a in parent.items())
    raise ValueError(f"unknown treatment {treatment!r}; use one of {TREATMENTS}")


def _split_links(
    links: Sequence[str], firms: Sequence[str], treatment: str
) -> tuple[list[str], list[str]]:
    """Links that can move the MHHI under ``treatment`` and those that cannot."""
    inside = set(firms)
    pairs = [link.split(">", 1) for link in links]
    held: dict[str, set[str]] = {}
    for investor, investee in pairs:
        held.setdefault(investor, set()).add(investee)
    moving, inert = [], []
    for link, (investor, _) in zip(links, pairs, strict=True):
        if investor in inside:
            moves = True
        elif treatment == "proportional":
            moves = len(held[investor] & inside) >= 2
        else:
            moves = False
        (moving if moves else inert).append(link)
    return moving, inert


def apply_treatment(
    named: pd.Series,
    residual: float,
    stakes: pd.DataFrame,
    treatment: Treatment = "silent",
    others: OthersRule = "one_firm",
) -> TreatmentResult:
    """The MHHI of one period's shares under a partnership ``treatment``.

    See :func:`treatment_weights` for the treatments. The unnamed residual is completed by the
    ``others`` rule and held by nobody (its pieces stay independent), so ``delta`` is the same
    under every rule; :func:`treatments_table` reports both bounds.

    Parameters
    ----------
    named : Series
        Firm -> share (percent) of the named firms (see :func:`period_shares`).
    residual : float
        Unnamed rest (percent).
    stakes : DataFrame
        Output of :func:`current_stakes` (columns ``investor``, ``investee``,
        ``economic_share``).

    Examples
    --------
    >>> st = pd.DataFrame({"investor": ["a"], "investee": ["b"], "economic_share": [20.0]})
    >>> r = apply_treatment(pd.Series({"a": 30.0, "b": 20.0}), 50.0, st, "silent", "fragmented")
    >>> r.hhi, r.mhhi, r.delta
    (1300.0, 1420.0, 120.0)
    >>> r = apply_treatment(pd.Series({"a": 30.0, "b": 20.0}), 50.0, st, "merged", "fragmented")
    >>> r.delta, r.merged_share
    (1200.0, 50.0)
    """
    firms = [str(f) for f in named.index]
    s = named.to_numpy(dtype=float)
    rest = complete_shares(s, residual, others)[len(s) :]
    base = hhi(np.concatenate([s, rest]))
    w, links = treatment_weights(firms, stakes, treatment)
    value = float(s @ w @ s) + hhi(rest) if firms else base
    largest = float(s.max(initial=0.0))
    merged_share = None
    if treatment == "merged" and firms:
        parent = _merger_parents(firms, stakes)
        groups: dict[str, list[float]] = {}
        for f, v in zip(firms, s, strict=True):
            groups.setdefault(_root(f, parent), []).append(float(v))
        combined = [sum(v) for v in groups.values() if len(v) >= 2]
        largest = max(largest, *(sum(v) for v in groups.values()))
        merged_share = max(combined) if combined else None
    moving, inert = _split_links(links, firms, treatment)
    return TreatmentResult(
        treatment, others, base, value, value - base, largest, merged_share, moving, inert
    )


def treatments_table(
    named: pd.Series,
    residual: float,
    stakes: pd.DataFrame,
    treatments: Sequence[str] = TREATMENTS,
) -> pd.DataFrame:
    """:func:`apply_treatment` for several treatments at both bounds for the residual.

    Returns
    -------
    DataFrame
        One row per treatment: ``treatment``, ``hhi_low`` and ``mhhi_low`` (residual as many
        tiny firms), ``hhi_high`` and ``mhhi_high`` (residual as one firm), ``delta`` (the same
        under both), ``largest_share``, ``merged_share``, ``links`` (stakes that can move the
        MHHI, ``;``-joined ``investor>investee``) and ``inert_links`` (stakes that entered but
        cannot move it: investor without a share in this market).

    Examples
    --------
    >>> st = pd.DataFrame({"investor": ["a", "x"], "investee": ["b", "b"],
    ...                    "economic_share": [20.0, 10.0]})
    >>> t = treatments_table(pd.Series({"a": 30.0, "b": 20.0}), 50.0, st, ["silent"])
    >>> t[["hhi_low", "hhi_high", "delta", "links", "inert_links"]].to_dict("records")
    [{'hhi_low': 1300.0, 'hhi_high': 3800.0, 'delta': 120.0, 'links': 'a>b', 'inert_links': 'x>b'}]
    """
    columns = [
        "treatment",
        "hhi_low",
        "hhi_high",
        "mhhi_low",
        "mhhi_high",
        "delta",
        "largest_share",
        "merged_share",
        "links",
        "inert_links",
    ]
    rows = []
    for t in treatments:
        low, high = (
            apply_treatment(named, residual, stakes, t, rule)  # type: ignore[arg-type]
            for rule in BOUND_RULES
        )
        if abs(low.delta - high.delta) > 1e-6 * max(1.0, abs(low.delta)):
            raise AssertionError("delta depends on the residual rule")  # pragma: no cover
        rows.append(
            {
                "treatment": t,
                "hhi_low": low.hhi,
                "hhi_high": high.hhi,
                "mhhi_low": low.mhhi,
                "mhhi_high": high.mhhi,
                "delta": low.delta,
                "largest_share": low.largest_share,
                "merged_share": low.merged_share,
                "links": ";".join(low.links),
                "inert_links": ";".join(low.inert_links),
            }
        )
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------------------------
# Uncertainty
# --------------------------------------------------------------------------------------------


def rounding_resolution(shares: Iterable[float] | np.ndarray) -> np.ndarray:
    """Rounding step of each published share: 1 for whole percents, 0.1 for one decimal, ...

    Examples
    --------
    >>> rounding_resolution([32, 16.9, 5.25]).tolist()
    [1.0, 0.1, 0.01]
    """
    a = _arr(shares)
    out = np.ones_like(a)
    for d in (1, 2, 3):
        scaled = a * 10 ** (d - 1)
        out = np.where(np.abs(scaled - np.round(scaled)) > 1e-9, 10.0**-d, out)
    return out


def simulate_shares(
    named: Iterable[float] | np.ndarray,
    n_draws: int = 10_000,
    seed: int = 0,
    method: Literal["uniform", "dirichlet"] = "uniform",
    residual: float | None = None,
    concentration: float = 2_000.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Draws of the named shares and of the residual consistent with the published figures.

    Parameters
    ----------
    named : array-like
        Published shares of the named firms (percent).
    n_draws : int
        Number of draws.
    seed : int
        Seed of :func:`numpy.random.default_rng` (same seed, same draws).
    method : {"uniform", "dirichlet"}
        ``uniform``: each share uniform within its rounding interval (``s +- step / 2``, see
        :func:`rounding_resolution`), floored at 0. ``dirichlet``: the vector (named, residual)
        drawn from a Dirichlet with mean at the published shares and precision
        ``concentration`` (a stand-in for disagreement between publishers; 2,000 gives a standard
        deviation of about 1 point for a 30 % share).
    residual : float, optional
        Published residual; default ``100 - sum(named)``.

    Returns
    -------
    (ndarray, ndarray)
        Named shares, shape ``(n_draws, n)``, and residuals, shape ``(n_draws,)``, percent
        (residual floored at 0).

    Examples
    --------
    >>> s, r = simulate_shares([50, 30], n_draws=1000, seed=1)
    >>> s.shape, bool((abs(s - [50, 30]) <= 0.5).all())
    ((1000, 2), True)
    """
    a = _arr(named)
    rng = np.random.default_rng(seed)
    x = max(0.0, 100.0 - float(a.sum())) if residual is None else float(residual)
    if method == "uniform":
        step = rounding_resolution(a)
        draws = a + (rng.random((n_draws, a.size)) - 0.5) * step
        draws = np.maximum(draws, 0.0)
        if residual is None:
            rest = np.maximum(100.0 - draws.sum(axis=1), 0.0)
        else:
            rstep = rounding_resolution([x])[0]
            rest = np.maximum(x + (rng.random(n_draws) - 0.5) * rstep, 0.0)
        return draws, rest
    if method == "dirichlet":
        mean = np.append(a, x)
        mean = np.maximum(mean, 1e-6) / mean.sum()
        draws = rng.dirichlet(mean * concentration, size=n_draws) * 100.0
        return draws[:, :-1], draws[:, -1]
    raise ValueError(f"unknown method {method!r}")


def simulate_hhi(
    draws: np.ndarray, rest: np.ndarray, others: OthersRule = "one_firm", k: int = 10
) -> np.ndarray:
    """HHI of each draw, with the residual completed by ``others`` (vectorized).

    ``capped`` splits each draw's residual into pieces of the draw's smallest named share.

    Examples
    --------
    >>> simulate_hhi(np.array([[50.0, 30.0]]), np.array([20.0]), "one_firm").tolist()
    [3800.0]
    """
    base = np.square(draws).sum(axis=1)
    if others == "fragmented":
        return base
    if others == "one_firm":
        return base + np.square(rest)
    if others == "k_firms":
        return base + np.square(rest) / k
    if others == "capped":
        cap = draws.min(axis=1) if draws.shape[1] else rest
        cap = np.where(cap > 0, cap, np.maximum(rest, 1e-12))
        pieces = np.floor(rest / cap + 1e-9)
        remainder = np.maximum(rest - pieces * cap, 0.0)
        return base + pieces * np.square(cap) + np.square(remainder)
    raise ValueError(f"unknown others rule {others!r}")


def simulate_delta(draws: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Delta MHHI of each draw for a weight matrix (:func:`treatment_weights`), vectorized.

    ``delta = sum_j sum_{k != j} s_j s_k w[j, k]`` per row of ``draws`` (draws x firms).

    Examples
    --------
    >>> simulate_delta(np.array([[30.0, 20.0]]), np.array([[1.0, 0.2], [0.0, 1.0]])).tolist()
    [120.0]
    """
    off = np.asarray(weights, dtype=float) - np.diag(np.diag(weights))
    return np.einsum("dj,jk,dk->d", draws, off, draws)


def simulate_over_time(
    selected: pd.DataFrame,
    n_draws: int = 10_000,
    seed: int = 0,
    method: Literal["uniform", "dirichlet"] = "uniform",
    level: float = 0.9,
    min_named: float = 0.0,
) -> pd.DataFrame:
    """Rounding (or publisher) uncertainty of each HHI bound, for every period of a selection.

    What varies: the **published shares** (named firms and the residual), drawn by
    :func:`simulate_shares` (``uniform``: within their rounding; ``dirichlet``: around them).
    What does not: the split of the unnamed residual, which stays at each bound (many tiny
    firms for ``hhi_low_*``, one firm for ``hhi_high_*``). The simulation therefore widens each
    bound a little; it says nothing about where between the bounds the HHI lies.

    Each period uses its own generator seeded with ``seed`` plus the period's date ordinal, so
    results do not depend on which other periods are present. Periods whose named firms cover
    ``min_named`` percent or less are left out (as in :func:`concentration_over_time`).

    Returns
    -------
    DataFrame
        Columns ``period_end``, ``hhi_low_median``, ``hhi_low_lo``, ``hhi_low_hi``,
        ``hhi_high_median``, ``hhi_high_lo``, ``hhi_high_hi`` (``level`` interval).
    """
    columns = [
        "period_end",
        *(f"hhi_{b}_{q}" for b in ("low", "high") for q in ("median", "lo", "hi")),
    ]
    rows = []
    for end, group in selected.groupby("period_end", sort=True):
        named, residual = period_shares(group, end)
        if named.empty or not float(named.sum()) > min_named:
            continue
        stated = OTHERS in set(group["firm"])
        draws, rest = simulate_shares(
            named.to_numpy(),
            n_draws,
            seed + int(pd.Timestamp(end).toordinal()),
            method,
            residual if stated else None,
        )
        row: dict[str, object] = {"period_end": end}
        for bound, rule in zip(("low", "high"), BOUND_RULES, strict=True):
            med, lo, hi = interval(simulate_hhi(draws, rest, rule), level)  # type: ignore[arg-type]
            row.update({f"hhi_{bound}_median": med, f"hhi_{bound}_lo": lo, f"hhi_{bound}_hi": hi})
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def simulate_treatment(
    named: pd.Series,
    residual: float,
    stakes: pd.DataFrame,
    treatment: Treatment = "silent",
    n_draws: int = 10_000,
    seed: int = 0,
    method: Literal["uniform", "dirichlet"] = "uniform",
    level: float = 0.9,
    residual_stated: bool = False,
) -> dict[str, float]:
    """HHI, MHHI and delta intervals of one period under a treatment, by simulation.

    What varies: the published shares (see :func:`simulate_shares`); the residual stays at each
    bound (``_low``: many tiny firms, ``_high``: one firm). ``delta`` does not depend on the
    residual rule.

    Returns
    -------
    dict
        Point values as published: ``hhi_low``, ``hhi_high``, ``mhhi_low``, ``mhhi_high`` and
        ``delta``; and ``*_median``, ``*_lo``, ``*_hi`` of each over the draws.

    Examples
    --------
    >>> st = pd.DataFrame({"investor": ["a"], "investee": ["b"], "economic_share": [20.0]})
    >>> r = simulate_treatment(pd.Series({"a": 30.0, "b": 20.0}), 50.0, st, n_draws=2000)
    >>> r["delta"], 110 < r["delta_lo"] <= r["delta_hi"] < 130
    (120.0, True)
    """
    firms = [str(f) for f in named.index]
    w, _ = treatment_weights(firms, stakes, treatment)
    draws, rest = simulate_shares(
        named.to_numpy(dtype=float), n_draws, seed, method, residual if residual_stated else None
    )
    d = simulate_delta(draws, w) if firms else np.zeros(n_draws)
    out: dict[str, float] = {}
    values: dict[str, np.ndarray] = {"delta": d}
    for bound, rule in zip(("low", "high"), BOUND_RULES, strict=True):
        point = apply_treatment(named, residual, stakes, treatment, rule)  # type: ignore[arg-type]
        out.update({f"hhi_{bound}": point.hhi, f"mhhi_{bound}": point.mhhi, "delta": point.delta})
        h = simulate_hhi(draws, rest, rule)  # type: ignore[arg-type]
        values[f"hhi_{bound}"] = h
        values[f"mhhi_{bound}"] = h + d
    for name, v in values.items():
        med, lo, hi = interval(v, level)
        out.update({f"{name}_median": med, f"{name}_lo": lo, f"{name}_hi": hi})
    return out


def interval(values: np.ndarray, level: float = 0.9) -> tuple[float, float, float]:
    """Median and central ``level`` interval of simulated values.

    Examples
    --------
    >>> [round(v, 6) for v in interval(np.arange(101.0), 0.9)]
    [50.0, 5.0, 95.0]
    """
    lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
    q = np.quantile(np.asarray(values, dtype=float), [0.5, lo, hi])
    return float(q[0]), float(q[1]), float(q[2])
